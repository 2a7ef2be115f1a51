"""The demonstration scenario that `flask --app app seed-demo` builds."""
from urllib.parse import urlsplit

import pytest

from demo.seeding import DEMO_ACCOUNTS, DEMO_PASSWORD
from models import (
    ALL_MODELS,
    Action,
    Assessment,
    Council,
    Cycle,
    DevelopmentNeed,
    Meeting,
    Objective,
    Officer,
    OfficerAppraiser,
    OutboxEmail,
    Priority,
    Step,
    TimetableStep,
    User,
)
from models.meeting import RECORD_HEADINGS
from services.validation import record_problems
from tests.conftest import sign_in
from tests.mailserver import link_in


@pytest.fixture
def jce(demo):
    return Officer.get(Officer.statutory_role == "head of paid service")


def appraisers(officer, capacity):
    return list(
        OfficerAppraiser.select()
        .where((OfficerAppraiser.officer == officer) & (OfficerAppraiser.capacity == capacity))
    )


def current_cycle(officer):
    return Cycle.get((Cycle.officer == officer) & (Cycle.year == 2026))


def test_demo_has_two_councils_each_with_a_corporate_plan_and_shared_priorities(demo):
    councils = list(Council.select())
    assert len(councils) == 2
    for council in councils:
        assert Priority.select().where(Priority.council == council).count() == 3
    assert Priority.select().where(Priority.council.is_null()).count() == 2


def test_demo_has_a_joint_chief_executive_appraised_by_both_leaders(jce):
    assert {link.council for link in jce.council_links} == set(Council.select())
    leaders = appraisers(jce, "leader")
    assert {link.council for link in leaders} == set(Council.select())
    deputies = appraisers(jce, "deputy leader")
    assert {link.council for link in deputies} == set(Council.select())


def test_the_joint_chief_executive_line_manages_the_directors_and_statutory_officers(jce):
    managed = [
        link.officer for link in
        OfficerAppraiser.select().where(
            (OfficerAppraiser.user == jce.user) & (OfficerAppraiser.capacity == "line manager")
        )
    ]
    assert len(managed) == 5
    assert sorted(officer.statutory_role for officer in managed) == [
        "monitoring officer", "none", "none", "none", "s151",
    ]
    assert all(officer.council_links.count() >= 1 for officer in managed)


def test_demo_has_two_councillors(demo):
    assert User.select().where(User.role == "councillor").count() == 2


def test_every_officer_has_a_2026_cycle_with_objectives_in_each_category(demo):
    for officer in Officer.select():
        cycle = current_cycle(officer)
        corporate = cycle.objectives.where(Objective.category == "corporate")
        assert {objective.council for objective in corporate} == {
            link.council for link in officer.council_links
        }
        assert all(objective.priority for objective in corporate)
        for category in ("collaboration", "personal"):
            assert cycle.objectives.where(Objective.category == category).exists(), (
                f"{officer} has no {category} objective"
            )


def test_objectives_are_mostly_agreed_with_some_published_some_draft_and_one_achieved(demo):
    def count(*condition):
        return Objective.select().where(*condition).count()

    assert count(Objective.status == "agreed") > Objective.select().count() / 2
    assert count(Objective.status == "draft") > 0
    assert count(Objective.status == "achieved") == 1
    assert count(Objective.published == True) > 0  # noqa: E712
    assert count((Objective.published == True) & (Objective.status == "draft")) == 0  # noqa: E712


def test_the_annual_agreement_is_agreed_by_the_officer_and_both_leaders(jce):
    meeting = current_cycle(jce).meetings.where(Meeting.kind == "annual agreement").get()
    assert meeting.status == "agreed"
    for heading, label in RECORD_HEADINGS + (("outcomes", "Outcomes"),):
        assert getattr(meeting, heading).strip(), f"{label} is empty"
    # Compared by id: User takes its hash from UserMixin, which is by identity.
    attendees = {link.user_id for link in meeting.attendee_links}
    assert {jce.user_id} | {link.user_id for link in appraisers(jce, "leader")} <= attendees
    actions = list(meeting.actions)
    assert actions and all(action.owner and action.due_date for action in actions)
    assert any(action.done for action in actions)


def test_the_joint_chief_executive_has_an_informal_review_in_draft(jce):
    assert current_cycle(jce).meetings.where(
        (Meeting.kind == "informal review") & (Meeting.status == "draft")
    ).exists()


def test_a_director_has_had_a_six_month_review(jce):
    review = Meeting.get(Meeting.kind == "six-month review")
    assert review.cycle.officer != jce
    assert review.cycle.officer.post_title.startswith(("Director", "Joint Director"))


def test_a_six_month_review_awaits_agreement_with_its_emails_in_the_outbox(demo):
    waiting = Meeting.get(Meeting.status == "awaiting agreement")
    assert Meeting.select().where(Meeting.status == "awaiting agreement").count() == 1
    parties = {agreement.party.email for agreement in waiting.agreements}
    assert parties == {"fiona.campbell@brookfield.gov.uk", "chief.executive@ashbyvale.gov.uk"}
    queued = list(OutboxEmail.select().where(OutboxEmail.sent_at.is_null()))
    assert {email.recipient for email in queued} == parties
    assert all(email.subject.startswith("Please agree: Six-month review") for email in queued)


def test_send_mail_delivers_the_demo_emails_with_working_links(demo, mail_server):
    result = demo.test_cli_runner().invoke(args=["send-mail"])

    assert result.exit_code == 0, result.output
    assert "Sent 2" in result.output
    for message in mail_server.messages:
        page = demo.test_client().get(urlsplit(link_in(message)).path)
        assert page.status_code == 200
        assert "Brookfield Civic Centre, Room 3" in page.get_data(as_text=True)


def test_reviews_assess_the_objectives_of_that_cycle_and_leave_actions_to_follow_up(demo):
    assessments = list(Assessment.select().where(Assessment.meeting.is_null(False)))
    assert len(assessments) >= 4
    assert {assessment.rating for assessment in assessments} >= {"achieved", "on track"}
    assert all(a.objective.cycle_id == a.meeting.cycle_id for a in assessments)
    assert Action.select().where(Action.done == False).exists()  # noqa: E712


def test_development_needs_are_planned_for_the_joint_chief_executive(jce):
    assert DevelopmentNeed.select().where(DevelopmentNeed.cycle == current_cycle(jce)).count() >= 1


def test_the_joint_chief_executive_has_done_the_first_three_steps_early_in_the_year(jce):
    steps = (Step.select(Step, TimetableStep).join(TimetableStep)
             .where(Step.cycle == current_cycle(jce)).order_by(TimetableStep.number))
    done = {step.timetable_step.number: step.done_on for step in steps if step.done_on}
    assert sorted(done) == [1, 2, 3]
    assert all(day.year == 2026 and day.month <= 3 for day in done.values())


def test_last_year_was_externally_facilitated_so_this_year_has_no_facilitation_step(jce):
    last_year = Cycle.get((Cycle.officer == jce) & (Cycle.year == 2025))
    assert last_year.externally_facilitated and last_year.facilitator
    steps = current_cycle(jce).steps.join(TimetableStep)
    assert not steps.where(TimetableStep.number == 7).exists()


def test_every_seeded_record_passes_validation(demo):
    problems = {
        f"{model.__name__} {record.id}": record_problems(record)
        for model in ALL_MODELS
        for record in model.select()
    }
    assert {name: found for name, found in problems.items() if found} == {}


def test_the_demo_accounts_list_every_account_with_its_role(demo):
    accounts = {(user.email, user.role) for user in User.select()}
    assert {(email, role) for email, role, _description in DEMO_ACCOUNTS} == accounts
    assert len(DEMO_ACCOUNTS) == len(accounts)
    assert len(DEMO_PASSWORD) >= 12


@pytest.mark.parametrize("email", [email for email, _role, _description in DEMO_ACCOUNTS])
def test_every_demo_account_signs_in_with_the_demo_password(demo, client, email):
    sign_in(client, User.get(User.email == email), DEMO_PASSWORD)


def test_seed_demo_command_fills_an_empty_database(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert DEMO_PASSWORD in result.output
    assert User.select().count() == len(DEMO_ACCOUNTS)


def test_seed_demo_command_refuses_a_database_that_already_has_users(demo):
    result = demo.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "already has users" in result.output
    assert User.select().count() == len(DEMO_ACCOUNTS)


def test_seed_demo_command_if_empty_leaves_a_populated_database_alone(demo):
    result = demo.test_cli_runner().invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert User.select().count() == len(DEMO_ACCOUNTS)
