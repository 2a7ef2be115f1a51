"""Every way an agreement link can be refused: used before, the record
changed since, expired, tampered with, its party no longer a party, its
request closed by someone asking for changes, the form's CSRF token
missing. Each gets a clear page with a 4xx status, and nothing changes."""
import base64
import json
import re
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest

from models import (
    Action,
    Agreement,
    Attachment,
    AuditEvent,
    Meeting,
    MeetingAttendee,
    Objective,
    OfficerAppraiser,
    OutboxEmail,
    utcnow,
)
from services.agreement import workflow
from services.agreement.links import find_agreement, issue_link
from services.agreement.records import MeetingRecord
from services.agreement.workflow import (
    LinkProblem,
    LinkRefused,
    decide,
    open_agreement,
    open_link,
    submit_for_agreement,
)
from services.mail.outbox import send_pending
from services.people.accounts import create_user
from tests.conftest import PASSWORD, csrf_token_from, sign_in
from tests.mailserver import link_in, text_of


def state():
    """Everything a refused link must leave as it was."""
    return (
        [tuple(agreement.__data__.values()) for agreement in Agreement.select().order_by(Agreement.id)],
        [meeting.status for meeting in Meeting.select().order_by(Meeting.id)],
        AuditEvent.select().where(AuditEvent.action == "agree").count(),
        Attachment.select().count(),
        OutboxEmail.select().count(),
    )


class Browser:
    """One person's browser on a link: opens it, then sends a decision
    with the CSRF token from the page it opened."""

    def __init__(self, app, path):
        self.client = app.test_client()
        self.path = path
        self.token = None

    def open(self):
        page = self.client.get(self.path)
        if page.status_code == 200:
            self.token = csrf_token_from(page)
        return page

    def decide(self, decision="agree", comment="", path=None, with_token=True):
        data = {"decision": decision, "comment": comment}
        if with_token:
            data["csrf_token"] = self.token
        return self.client.post(path or self.path, data=data)


def refused(response, status, title):
    assert response.status_code == status, response.get_data(as_text=True)
    page = response.get_data(as_text=True)
    assert title in page and "Nothing has been recorded" in page
    assert 'name="decision"' not in page
    return page


def test_an_agreement_link_cannot_be_reused(app, scenario, links):
    browser = Browser(app, links[scenario.leader_north])
    browser.open()
    assert browser.decide().status_code == 200
    after_first_use = state()

    refused(browser.decide(), 409, "This link has been used")
    refused(browser.open(), 409, "This link has been used")
    assert state() == after_first_use


def test_a_link_is_refused_when_the_record_has_changed_since_it_was_sent(
    app, scenario, annual_meeting, links
):
    browser = Browser(app, links[scenario.leader_north])
    browser.open()
    Action.create(meeting=annual_meeting, description="Added after the links went out")
    before = state()

    refused(browser.decide(), 409, "The record has changed")
    refused(browser.open(), 409, "The record has changed")
    assert state() == before


def test_an_expired_link_is_refused(app, scenario, links):
    browser = Browser(app, links[scenario.leader_north])
    browser.open()
    Agreement.update(expires_at=utcnow() - timedelta(minutes=1)).where(
        Agreement.party == scenario.leader_north).execute()
    before = state()

    refused(browser.decide(), 410, "This link has expired")
    assert state() == before


def test_a_token_with_one_character_changed_is_not_recognised(app, scenario, links):
    browser = Browser(app, links[scenario.leader_north])
    browser.open()
    path = links[scenario.leader_north]
    tampered = path[:-1] + ("A" if path[-1] != "A" else "B")
    before = state()

    refused(browser.client.get(tampered), 404, "This link is not recognised")
    refused(browser.decide(path=tampered), 404, "This link is not recognised")
    refused(browser.client.get("/confirm/" + "x" * 500), 404, "This link is not recognised")
    assert state() == before


def test_a_link_stops_working_when_its_party_is_no_longer_a_party(app, scenario, annual_meeting, links):
    browser = Browser(app, links[scenario.leader_south])
    browser.open()
    OfficerAppraiser.delete().where(OfficerAppraiser.user == scenario.leader_south).execute()
    before = state()

    refused(browser.decide(), 403, "You are no longer asked to agree this record")
    assert state() == before

    # the parties who remain can still agree, and then the record is agreed
    for party in (scenario.jce_user, scenario.leader_north):
        other = Browser(app, links[party])
        other.open()
        assert other.decide().status_code == 200
    assert Meeting.get_by_id(annual_meeting.id).status == "agreed"
    assert Agreement.get(Agreement.party == scenario.leader_south).closed_at is not None


def test_asking_for_changes_sends_the_record_back_and_stops_the_other_links(
    app, scenario, annual_meeting, links, mail_server
):
    leader = Browser(app, links[scenario.leader_north])
    leader.open()

    response = leader.decide("changes", "Add the May elections to the key issues.")

    assert response.status_code == 200
    assert "The record has gone back to draft" in response.get_data(as_text=True)
    assert "Everyone has now agreed" not in response.get_data(as_text=True)
    assert Meeting.get_by_id(annual_meeting.id).status == "changes requested"
    asked = Agreement.get(Agreement.party == scenario.leader_north)
    assert asked.decision == "changes requested"
    assert asked.comment == "Add the May elections to the key issues."
    assert all(agreement.closed_at for agreement in Agreement.select())
    officer = Browser(app, links[scenario.jce_user])
    refused(officer.open(), 410, "This request has closed")

    send_pending()
    told = {message["To"]: message for message in mail_server.messages
            if message["Subject"].startswith("Changes requested")}
    assert set(told) == {scenario.leader_south.email, scenario.jce_user.email, scenario.hr.email}
    assert "Add the May elections to the key issues." in text_of(told[scenario.leader_south.email])
    assert "Cllr Lena North has asked for changes" in text_of(told[scenario.hr.email])

    # changed and sent again, it is agreed afresh with new links
    Meeting.update(key_issues="The shared workforce plan; the May elections; the by-election.").where(
        Meeting.id == annual_meeting.id).execute()
    submit_for_agreement(MeetingRecord(Meeting.get_by_id(annual_meeting.id)), requested_by=scenario.hr)
    assert Agreement.select().where(Agreement.closed_at.is_null()).count() == 3


def test_asking_for_changes_needs_a_comment(app, scenario, links):
    browser = Browser(app, links[scenario.leader_north])
    browser.open()
    before = state()

    response = browser.decide("changes", "   ")

    assert response.status_code == 400
    assert "Say what should change" in response.get_data(as_text=True)
    assert state() == before


def test_a_decision_that_is_neither_agree_nor_changes_is_refused(app, scenario, links):
    browser = Browser(app, links[scenario.leader_north])
    browser.open()
    before = state()

    assert browser.decide("maybe").status_code == 400
    assert state() == before


def test_a_decision_without_its_csrf_token_is_refused(app, scenario, links):
    browser = Browser(app, links[scenario.leader_north])
    browser.open()
    before = state()

    refused(browser.decide(with_token=False), 400, "Your decision was not recorded")
    assert state() == before


def test_opening_a_link_shows_the_record_and_keeps_the_link_out_of_caches_and_referrers(app, scenario, links):
    page = Browser(app, links[scenario.leader_north]).open()

    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] in ("no-referrer", "same-origin")
    viewed = AuditEvent.get(AuditEvent.action == "view-confidential")
    assert viewed.user_id == scenario.leader_north.id and viewed.model == "Meeting"


def test_confirmation_can_require_the_party_to_be_signed_in_as_themself(app, client, scenario, links):
    app.config["CONFIRM_REQUIRES_LOGIN"] = True
    path = links[scenario.leader_north]

    anonymous = app.test_client().get(path)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]

    sign_in(client, scenario.leader_south)
    refused(client.get(path), 403, "This link is for someone else")

    party = app.test_client()
    sign_in(party, scenario.leader_north)
    page = party.get(path)
    assert page.status_code == 200
    decided = party.post(path, data={"decision": "agree", "csrf_token": csrf_token_from(page)})
    assert decided.status_code == 200
    assert Agreement.get(Agreement.party == scenario.leader_north).decision == "agreed"


def test_the_database_never_holds_a_working_link(scenario, links):
    tokens = [path.rsplit("/", 1)[1] for path in links.values()]
    stored = " ".join(str(value) for model in (Agreement, OutboxEmail)
                      for row in model.select() for value in row.__data__.values())
    assert not any(token in stored for token in tokens)


def statements_to_open(app, path, queries_run):
    counted, page = queries_run(lambda: app.test_client().get(path))
    assert page.status_code == 200, page.get_data(as_text=True)
    return counted, page.get_data(as_text=True)


def test_opening_a_link_runs_a_fixed_number_of_statements_however_big_the_record(
    app, scenario, annual_meeting, links, mail_server, queries_run
):
    small, _page = statements_to_open(app, links[scenario.leader_north], queries_run)

    # A much bigger record: more objectives (with councils and priorities),
    # attendees and actions (each with an owner).
    for number in range(12):
        Objective.create(cycle=scenario.jce_cycle, category="corporate", council=scenario.north,
                         priority=scenario.priority_north, title=f"Extra objective {number}",
                         target_date=date(2026, 12, 31))
    review = Meeting.create(
        cycle=scenario.jce_cycle, kind="informal review", held_on=date(2026, 6, 1),
        outcomes="Objectives checked for continuing relevance.",
    )
    people = [create_user(email=f"attendee{number}@northvale.gov.uk", name=f"Attendee {number}",
                          role="staff", password=PASSWORD) for number in range(8)]
    for person in people + [scenario.jce_user, scenario.leader_north, scenario.leader_south]:
        MeetingAttendee.create(meeting=review, user=person)
    for number, person in enumerate(people):
        Action.create(meeting=review, description=f"Extra action {number}", owner=person,
                      due_date=date(2026, 7, 1 + number))
    submit_for_agreement(MeetingRecord(review), requested_by=scenario.hr)
    send_pending()
    path = urlsplit(link_in(mail_server.messages_to(scenario.leader_north.email)[-1])).path
    big, page = statements_to_open(app, path, queries_run)

    assert "Extra objective 11" in page and "Attendee 7" in page and "Extra action 7" in page
    assert big == small, f"{small} statements for the small record, {big} for the big one"
    assert small <= 8


def test_each_link_carries_32_random_bytes_of_its_own(links):
    tokens = [path.rsplit("/", 1)[1] for path in links.values()]

    assert {len(base64.urlsafe_b64decode(token + "=")) for token in tokens} == {32}
    assert len(set(tokens)) == len(tokens)


def test_a_token_empty_or_over_100_characters_is_refused_without_asking_the_database(app, queries_run):
    assert queries_run(lambda: find_agreement("")) == (0, None)
    assert queries_run(lambda: find_agreement("x" * 101)) == (0, None)
    assert queries_run(lambda: find_agreement("x" * 100)) == (1, None)


def test_a_links_page_says_who_asked_for_the_agreement(app, scenario, links):
    page = Browser(app, links[scenario.leader_north]).open().get_data(as_text=True)

    assert f"{scenario.hr.name} has asked {scenario.leader_north.name} to agree" in page


def test_a_links_page_lists_each_party_with_their_role_and_where_they_stand(app, scenario, links):
    officer = Browser(app, links[scenario.jce_user])
    officer.open()
    officer.decide()

    page = Browser(app, links[scenario.leader_north]).open().get_data(as_text=True)

    assert re.search(r"Jo Chambers \(Officer\): agreed on \d", page)
    assert "Cllr Lena North (Leader (NVDC)): not yet decided" in page
    assert "Cllr Sam South (Leader (SDBC)): not yet decided" in page


def test_a_link_works_until_the_moment_it_expires(scenario, links):
    token = links[scenario.leader_north].rsplit("/", 1)[1]
    expires_at = Agreement.get(Agreement.party == scenario.leader_north).expires_at

    assert open_link(token, now=expires_at - timedelta(seconds=1)).agreement.party == scenario.leader_north
    with pytest.raises(LinkRefused, match="This link expired on"):
        open_link(token, now=expires_at)


def test_a_decision_is_recorded_at_the_time_it_was_made_with_what_was_agreed_in_the_audit_trail(
    scenario, links
):
    token = links[scenario.leader_north].rsplit("/", 1)[1]
    at = utcnow() + timedelta(days=1)

    decide(token, "agree", "Content with it.", "192.0.2.7", now=at)

    agreement = Agreement.get(Agreement.party == scenario.leader_north)
    assert (agreement.decided_at, agreement.decision, agreement.ip) == (at, "agreed", "192.0.2.7")
    event = AuditEvent.get(AuditEvent.action == "agree")
    assert (event.user_id, event.model) == (scenario.leader_north.id, "Meeting")
    assert json.loads(event.changes) == {"agreement": agreement.id, "decision": "agreed",
                                         "comment": "Content with it.", "version": agreement.content_hash}


def test_a_link_replaced_by_a_reminder_while_its_decision_is_being_made_is_refused_as_replaced(
    scenario, links, monkeypatch
):
    token = links[scenario.leader_north].rsplit("/", 1)[1]
    agreement = Agreement.get(Agreement.party == scenario.leader_north)

    def opened_and_then_a_reminder_goes(token, now):
        opened = open_agreement(token, now)
        issue_link(agreement.id, now)  # the reminder's new link, sent that very moment
        return opened

    monkeypatch.setattr(workflow, "open_agreement", opened_and_then_a_reminder_goes)
    before = state()

    with pytest.raises(LinkRefused, match="A newer email about this record has replaced") as refusal:
        decide(token, "agree", "", "192.0.2.7")

    assert refusal.value.reason == LinkProblem.REPLACED
    assert state()[1:] == before[1:] and Agreement.get_by_id(agreement.id).decided_at is None
