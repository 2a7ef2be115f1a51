"""What people see, in a real browser, against the app served by waitress
with a real SMTP server capturing its mail. Each journey ends with a
screenshot in test-artifacts/."""
from datetime import date, datetime, timedelta

import pytest
from playwright.sync_api import expect

from models import Action, Agreement, Attachment, Meeting, MeetingAttendee, Objective, Officer, User
from services.agreement.records import MeetingRecord
from services.agreement.workflow import submit_for_agreement
from tests.browser.conftest import deliver_mail, pick, sign_in_as
from tests.mailserver import link_in


def save_new_record(page):
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("successfully created")


def test_hr_sets_up_an_officer_a_cycle_and_objectives_in_each_category(open_page, scenario):
    page = open_page()
    sign_in_as(page, scenario.hr)
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()

    page.goto("/admin/user/new/")
    page.get_by_label("Name").fill("Rhiannon Price")
    page.get_by_label("Email address").fill("rhiannon.price@northvale.gov.uk")
    page.get_by_label("Role").select_option("staff")
    page.get_by_label("New password").fill("a long and proper password")
    save_new_record(page)

    page.goto("/admin/officer/new/")
    pick(page, "user", "Rhiannon")
    page.get_by_label("Post").fill("Director of Digital Services")
    page.get_by_role("button", name="Add Appraiser").click()
    pick(page, "appraiser_links-0-user", "Jo Chambers")
    page.locator("#appraiser_links-0-capacity").select_option("line manager")
    save_new_record(page)

    page.goto("/admin/cycle/new/")
    pick(page, "officer", "Rhiannon")
    page.get_by_label("Year").fill("2026")
    save_new_record(page)

    for category, council, priority, title in (
        ("corporate", "North Vale District Council", "NV1 Thriving town centres", "Digital market hall"),
        ("collaboration", None, "C1 One shared workforce", "One IT service desk"),
        ("personal", None, None, "Complete a leadership course"),
    ):
        page.goto("/admin/objective/new/")
        pick(page, "cycle", "Rhiannon")
        page.get_by_label("Category").select_option(category)
        if council:
            page.get_by_label("Council", exact=True).select_option(label=council)
        if priority:
            page.get_by_label("Corporate-plan priority or collaboration objective").select_option(
                label=priority)
        page.get_by_label("Title").fill(title)
        page.get_by_label("Target date").fill("2026-12-15")
        save_new_record(page)

    officer = Officer.get(Officer.post_title == "Director of Digital Services")
    page.goto(f"/admin/officer/details/?id={officer.id}")
    expect(page.get_by_role("heading", name="2026 cycle at a glance")).to_be_visible()
    for title in ("Digital market hall", "One IT service desk", "Complete a leadership course"):
        expect(page.get_by_text(title)).to_be_visible()
    assert sorted(o.category for o in Objective.select().join_from(Objective, Objective.cycle.rel_model)
                  .where(Objective.title.in_(["Digital market hall", "One IT service desk",
                                              "Complete a leadership course"]))) == [
        "collaboration", "corporate", "personal"]


def test_a_leader_records_a_six_month_review_with_actions_and_submits_it(open_page, scenario):
    page = open_page()
    sign_in_as(page, scenario.leader_north)
    page.goto("/admin/meeting/new/")
    pick(page, "cycle", "Jo Chambers")
    page.get_by_label("Kind").select_option("six-month review")
    page.get_by_label("Date held").fill("2026-09-24")
    page.get_by_label("1. Role of the officer").fill("Head of paid service for both councils.")
    page.get_by_label("2. What has been achieved").fill("Market hall contract let.")
    page.get_by_label("3. What could be improved").fill("Earlier reports to members.")
    page.get_by_label("4. Key issues anticipated over the next year").fill("Elections in May.")
    page.get_by_label("5. Developmental needs").fill("Commercial skills.")
    page.get_by_role("button", name="Add Action").click()
    page.locator("textarea[id$='-description']").fill("Brief both cabinets on the market hall")
    page.locator("input[id$='-due_date']").fill("2026-10-31")
    save_new_record(page)

    meeting = Meeting.get(Meeting.kind == "six-month review")
    assert [a.description for a in meeting.actions] == ["Brief both cabinets on the market hall"]
    page.goto(f"/admin/meeting/details/?id={meeting.id}")
    page.get_by_role("button", name="Submit for agreement").click()
    expect(page.locator(".alert-success")).to_contain_text("Sent for agreement")
    parties = {a.party_id for a in Agreement.select().where(Agreement.meeting == meeting.id)}
    assert parties == {scenario.jce_user.id, scenario.leader_north.id, scenario.leader_south.id}


@pytest.fixture
def review_out_for_agreement(scenario):
    meeting = Meeting.create(cycle=scenario.jce_cycle, kind="six-month review",
                             held_on=date(2026, 9, 24), role_of_officer="Head of paid service.",
                             achievements="Market hall contract let.",
                             improvements="Earlier reports to members.", key_issues="Elections in May.",
                             development_needs="Commercial skills.", outcomes="On track.")
    MeetingAttendee.create(meeting=meeting, user=scenario.leader_north)
    Action.create(meeting=meeting, description="Brief both cabinets", owner=scenario.jce_user,
                  due_date=date(2026, 10, 31))
    submit_for_agreement(MeetingRecord(meeting), requested_by=scenario.hr)
    deliver_mail()
    return meeting


def test_the_officer_and_both_leaders_agree_from_their_emails_and_the_record_is_filed(
    open_page, scenario, mail_server, review_out_for_agreement
):
    meeting = review_out_for_agreement
    for party in (scenario.jce_user, scenario.leader_north, scenario.leader_south):
        page = open_page()
        page.goto(link_in(mail_server.only_message_to(party.email)))
        expect(page.get_by_text("Market hall contract let.")).to_be_visible()
        page.get_by_label("I agree this record").check()
        page.get_by_role("button", name="Record my decision").click()
        expect(page.get_by_role("heading", name=f"Thank you, {party.name}")).to_be_visible()

    assert Meeting.get_by_id(meeting.id).status == "agreed"
    page = open_page()
    sign_in_as(page, scenario.hr)
    page.goto(f"/admin/meeting/edit/?id={meeting.id}")
    expect(page.get_by_role("heading", name="You do not have access to this page")).to_be_visible()
    filed = Attachment.get((Attachment.meeting == meeting.id) & (Attachment.personal_file == True))  # noqa: E712
    page.goto("/admin/attachment/")
    expect(page.get_by_text(filed.original_name)).to_be_visible()


def test_a_councillor_sees_published_objectives_and_nothing_confidential(open_page, scenario):
    page = open_page()
    sign_in_as(page, scenario.councillor)
    page.get_by_role("link", name="agreed objectives published to councillors").click()
    expect(page.get_by_text("Reopen the market hall")).to_be_visible()
    expect(page.get_by_text("Merge the two HR teams")).to_have_count(0)
    for hidden in ("Assessments", "Meetings", "Audit log", "Users"):
        expect(page.get_by_role("link", name=hidden)).to_have_count(0)
    response = page.goto("/admin/assessment/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="You do not have access to this page")).to_be_visible()


def test_a_wrong_password_an_expired_link_and_a_forbidden_page_each_say_so_clearly(
    open_page, scenario, mail_server, review_out_for_agreement
):
    page = open_page()
    sign_in_as(page, scenario.director_user, password="not my password at all")
    expect(page.get_by_role("alert")).to_have_text("The email address or password is not right.")

    Agreement.update(expires_at=datetime.utcnow() - timedelta(days=1)).execute()
    response = page.goto(link_in(mail_server.only_message_to(scenario.leader_south.email)))
    assert 400 <= response.status < 500
    expect(page.locator("h1")).to_contain_text("expired")

    sign_in_as(page, scenario.director_user)
    response = page.goto("/admin/user/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="You do not have access to this page")).to_be_visible()
    assert User.get_by_id(scenario.director_user.id).active
