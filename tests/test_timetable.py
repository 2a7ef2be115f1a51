"""The annual timetable: due dates from HR's rules (across year ends and
leap years, and the first Council meeting after the objectives are
agreed), starting a year for every officer, and steps that complete
themselves when their event happens or by hand with a note."""
from datetime import date

import pytest

from models import (
    Agreement,
    CouncilMeeting,
    Cycle,
    Meeting,
    Officer,
    OfficerAppraiser,
    Step,
    TimetableStep,
    utcnow,
)
from services.agreement.links import issue_link
from services.agreement.records import MeetingRecord, ObjectivesRecord
from services.agreement.workflow import decide, submit_for_agreement
from services.people.accounts import create_user
from services.year.timetable import (
    TimetableError,
    complete_step,
    create_cycle,
    due_date,
    refresh_council_meeting_due_dates,
    rule_problem,
    start_year,
)
from tests.conftest import PASSWORD, sign_in


def steps_of(cycle):
    return {step.timetable_step.number: step for step in
            Step.select(Step, TimetableStep).join(TimetableStep).where(Step.cycle == cycle)}


def agree_everything(record):
    submit_for_agreement(record, requested_by=None)
    for agreement in Agreement.select().where(Agreement.awaiting_decision()):
        decide(issue_link(agreement.id, utcnow()).rsplit("/", 1)[1], "agree", "", "192.0.2.1")


# -- due dates ------------------------------------------------------------


@pytest.mark.parametrize("rule,year,due", [
    ("end of January", 2027, date(2027, 1, 31)),
    ("end of February", 2027, date(2027, 2, 28)),
    ("end of February", 2028, date(2028, 2, 29)),  # leap year
    ("end of February", 2100, date(2100, 2, 28)),  # a century, not a leap year
    ("end of February", 2000, date(2000, 2, 29)),  # every 400 years, a leap year
    ("End of  September", 2026, date(2026, 9, 30)),
    ("end of January next year", 2026, date(2027, 1, 31)),
    ("end of February next year", 2027, date(2028, 2, 29)),
    ("end of December", 2026, date(2026, 12, 31)),
])
def test_end_of_month_rules(rule, year, due):
    assert due_date(rule, year) == due


def test_weeks_after_a_step_run_across_the_year_end():
    assert due_date("6 weeks after step 3", 2026, {3: date(2026, 12, 1)}) == date(2027, 1, 12)
    assert due_date("1 week after step 2", 2028, {2: date(2028, 2, 22)}) == date(2028, 2, 29)
    assert due_date("6 weeks after step 3", 2026, {}) is None  # its anchor is not in this year's timetable


def test_the_report_is_due_at_the_first_meeting_of_every_council_the_officer_serves(scenario):
    for council, day in ((scenario.north, date(2026, 3, 4)), (scenario.north, date(2026, 4, 15)),
                         (scenario.south, date(2026, 4, 22)), (scenario.south, date(2026, 6, 10))):
        CouncilMeeting.create(council=council, meets_on=day)
    rule = "first Council meeting after step 3"
    step_3 = {3: date(2026, 3, 31)}

    assert due_date(rule, 2026, step_3, [scenario.north]) == date(2026, 4, 15)
    assert due_date(rule, 2026, step_3, [scenario.north, scenario.south]) == date(2026, 4, 22)
    # a meeting on the very day the objectives are due is too soon to report to
    assert due_date(rule, 2026, {3: date(2026, 4, 15)}, [scenario.north]) is None


def test_the_report_due_date_crosses_the_year_end(scenario):
    CouncilMeeting.create(council=scenario.north, meets_on=date(2027, 1, 20))
    assert due_date("first Council meeting after step 3", 2026, {3: date(2026, 12, 31)},
                    [scenario.north]) == date(2027, 1, 20)


def test_a_report_due_date_waits_for_the_councils_meeting_dates(scenario):
    step_4 = steps_of(scenario.director_cycle)[4]
    assert step_4.due_date is None  # no North Vale meeting on record yet

    CouncilMeeting.create(council=scenario.north, meets_on=date(2026, 4, 15))
    assert refresh_council_meeting_due_dates() == 1  # the JCE also waits for South Downs

    assert Step.get_by_id(step_4.id).due_date == date(2026, 4, 15)
    assert steps_of(scenario.jce_cycle)[4].due_date is None


def test_a_new_cycle_has_a_step_with_a_real_due_date_for_each_timetable_step(scenario):
    CouncilMeeting.create(council=scenario.south, meets_on=date(2027, 4, 21))
    cycle = create_cycle(scenario.other_director, 2027)

    steps = steps_of(cycle)
    assert sorted(steps) == [1, 2, 3, 4, 5, 6, 7]  # never externally facilitated: step 7 is due
    assert steps[1].owner == scenario.other_director_user
    assert steps[2].owner == scenario.leader_south
    assert [steps[n].due_date for n in range(1, 7)] == [
        date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 21),
        date(2027, 9, 30), date(2028, 1, 31)]


def test_unparseable_rules_are_refused_with_the_forms_that_work(scenario, client):
    assert rule_problem("end of Smarch").startswith("Write the rule as")
    assert rule_problem("when the Leader is ready")
    assert rule_problem("first Council meeting after step 3") is None
    with pytest.raises(TimetableError, match="Write the rule as"):
        due_date("sometime in spring", 2027)

    # HR cannot save one, and a cycle is never half-made from one already stored
    token = sign_in(client, scenario.hr)
    step_2 = TimetableStep.get(TimetableStep.number == 2)
    page = client.post(f"/admin/timetablestep/edit/?id={step_2.id}", data={
        "number": "2", "activity": step_2.activity, "owner": "appraiser", "due_rule": "soonish",
        "completed_by": "manual", "active": "y", "csrf_token": token})
    assert "Write the rule as" in page.get_data(as_text=True)
    TimetableStep.update(due_rule="soonish").where(TimetableStep.id == step_2.id).execute()
    with pytest.raises(TimetableError, match="Timetable step 2 has a rule that cannot be used"):
        create_cycle(scenario.other_director, 2027)
    assert not Cycle.select().where(Cycle.year == 2027).exists()


# -- starting a year ---------------------------------------------------------


def test_starting_a_year_makes_a_cycle_for_every_active_officer(scenario):
    Officer.update(active=False).where(Officer.id == scenario.director.id).execute()

    created, already = start_year(2027)

    assert {cycle.officer_id for cycle in created} == {scenario.jce.id, scenario.other_director.id}
    assert already == []
    assert all(Step.select().where(Step.cycle == cycle).count() == 7 for cycle in created)


def test_a_year_already_started_is_not_started_twice(scenario):
    with pytest.raises(TimetableError, match="Jo Chambers already has a cycle for 2026"):
        create_cycle(scenario.jce, 2026)

    created, already = start_year(2026)  # only the director of resources had none
    assert [cycle.officer_id for cycle in created] == [scenario.other_director.id]
    assert already == ["Dan Morris", "Jo Chambers"]
    with pytest.raises(TimetableError, match="Every active officer already has a cycle for 2026"):
        start_year(2026)


def test_an_officer_with_no_appraiser_stops_the_year_and_nothing_is_half_made(scenario):
    OfficerAppraiser.delete().where(OfficerAppraiser.officer == scenario.other_director).execute()

    with pytest.raises(TimetableError, match="Nobody is recorded as Olu Adeyemi's Leader or line manager"):
        start_year(2027)

    assert not Cycle.select().where(Cycle.year == 2027).exists()
    assert not Step.select().join(Cycle).where(Cycle.year == 2027).exists()


def test_new_cycle_command(app, scenario):
    runner = app.test_cli_runner()

    result = runner.invoke(args=["new-cycle", "--year", "2027"])
    assert result.exit_code == 0, result.output
    assert "Started 2027 for 3 officer(s)." in result.output

    again = runner.invoke(args=["new-cycle", "--year", "2027"])
    assert again.exit_code == 1
    assert "Every active officer already has a cycle for 2027." in again.output
    assert Cycle.select().where(Cycle.year == 2027).count() == 3


def test_hr_starts_a_year_from_the_dashboard_and_sees_it_fill(client, scenario):
    token = sign_in(client, scenario.hr)
    assert "Start the year for every active officer" in client.get("/admin/").get_data(as_text=True)

    page = client.post("/admin/cycle/start-year/", data={"year": "2027", "csrf_token": token},
                       follow_redirects=True).get_data(as_text=True)

    assert "Started 2027 for 3 officer(s)." in page
    assert Cycle.select().where(Cycle.year == 2027).count() == 3
    bad = client.post("/admin/cycle/start-year/", data={"year": "next", "csrf_token": token},
                      follow_redirects=True).get_data(as_text=True)
    assert "Enter the year as four digits" in bad


def test_only_hr_may_start_a_year(client, scenario):
    token = sign_in(client, scenario.leader_north)
    assert "Start the year" not in client.get("/admin/").get_data(as_text=True)
    response = client.post("/admin/cycle/start-year/", data={"year": "2027", "csrf_token": token})
    assert response.status_code == 403
    assert not Cycle.select().where(Cycle.year == 2027).exists()


# -- completing steps ------------------------------------------------------


def test_agreed_objectives_complete_step_3(scenario):
    agree_everything(ObjectivesRecord(scenario.jce_cycle))

    steps = steps_of(scenario.jce_cycle)
    assert steps[3].done_on == utcnow().date()
    assert "Objectives agreed by every party." in steps[3].note
    assert [n for n, step in steps.items() if step.done_on] == [3]


def test_an_agreed_six_month_review_completes_step_5_but_other_meetings_do_not(scenario, annual_meeting):
    agree_everything(MeetingRecord(annual_meeting))
    assert not any(step.done_on for step in steps_of(scenario.jce_cycle).values())

    review = Meeting.create(
        cycle=scenario.jce_cycle, kind="six-month review", held_on=date(2026, 9, 20),
        **{name: f"Heading {name}" for name in ("role_of_officer", "achievements", "improvements",
                                                 "key_issues", "development_needs")})
    agree_everything(MeetingRecord(review))

    assert steps_of(scenario.jce_cycle)[5].done_on == utcnow().date()


def test_a_step_is_marked_done_by_hand_with_a_note_once(client, scenario):
    step_2 = steps_of(scenario.director_cycle)[2]  # the JCE is the director's line manager
    token = sign_in(client, scenario.jce_user)

    refused = client.post("/admin/step/done/", data={"id": step_2.id, "note": " ", "csrf_token": token},
                          follow_redirects=True)
    assert "Say in a note how the step was done." in refused.get_data(as_text=True)
    done = client.post("/admin/step/done/", data={"id": step_2.id, "note": "Met the Group Leaders on 12 Feb.",
                                                  "csrf_token": token}, follow_redirects=True)
    assert "The step is marked done." in done.get_data(as_text=True)
    step_2 = Step.get_by_id(step_2.id)
    assert step_2.done_on == date.today()
    assert step_2.note == "Met the Group Leaders on 12 Feb. (Jo Chambers)"

    again = client.post("/admin/step/done/", data={"id": step_2.id, "note": "Again", "csrf_token": token},
                        follow_redirects=True)
    assert f"Step 2 was already done on {date.today().day}" in again.get_data(as_text=True)
    with pytest.raises(TimetableError, match="already done"):
        complete_step(step_2, "Once more")
    assert Step.get_by_id(step_2.id).note == "Met the Group Leaders on 12 Feb. (Jo Chambers)"


def test_nobody_else_marks_an_officers_step_done(client, scenario):
    step_2 = steps_of(scenario.director_cycle)[2]
    outsider = create_user(email="x@example.gov.uk", name="Someone Else", role="staff", password=PASSWORD)
    token = sign_in(client, outsider)
    response = client.post("/admin/step/done/", data={"id": step_2.id, "note": "Done", "csrf_token": token})
    assert response.status_code in (403, 404)
    assert Step.get_by_id(step_2.id).done_on is None


def test_hr_entering_a_council_meeting_fills_in_the_report_due_date(client, scenario):
    token = sign_in(client, scenario.hr)

    response = client.post("/admin/councilmeeting/new/", data={
        "council": scenario.north.id, "meets_on": "2026-04-15", "csrf_token": token})

    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    assert steps_of(scenario.director_cycle)[4].due_date == date(2026, 4, 15)
