"""The dashboard at /admin/, per person: what awaits their agreement, their
own steps red/amber/green, every officer's year at a glance for HR and
appraisers with a warning where external facilitation is due; and an
officer's objectives in the context of the councils' priorities."""
from datetime import date, timedelta

from models import Assessment, Cycle, Objective, Step, TimetableStep
from services.agreed_records import ObjectivesRecord
from services.agreement import submit_for_agreement
from services.overview import step_state
from services.timetable import create_cycle, external_facilitation_due
from tests.conftest import sign_in


def dashboard(client, user):
    sign_in(client, user)
    return client.get("/admin/").get_data(as_text=True)


def test_steps_are_red_when_overdue_amber_when_due_within_a_month_and_green_otherwise():
    today = date(2026, 2, 20)
    step = Step(due_date=date(2026, 2, 19))
    assert step_state(step, today) == "red"
    step.due_date = today
    assert step_state(step, today) == "amber"
    step.due_date = today + timedelta(days=30)
    assert step_state(step, today) == "amber"
    step.due_date = today + timedelta(days=31)
    assert step_state(step, today) == "green"
    step.done_on = today
    step.due_date = date(2026, 1, 1)
    assert step_state(step, today) == "green"


def test_a_leader_sees_what_awaits_their_agreement_and_their_own_steps(client, scenario):
    submit_for_agreement(ObjectivesRecord(scenario.jce_cycle), requested_by=scenario.hr)
    Step.update(due_date=date.today() - timedelta(days=1)).where(
        Step.id == Step.select(Step.id).join(TimetableStep)
        .where((Step.cycle == scenario.jce_cycle) & (TimetableStep.number == 2))).execute()

    page = dashboard(client, scenario.leader_north)

    mine = page.split('id="my-agreement"')[1].split("</section>")[0]
    assert "Objectives for 2026 – Jo Chambers" in mine
    steps = page.split('id="my-steps"')[1].split("</section>")[0]
    assert '<span class="rag rag-red">Overdue</span>' in steps
    assert "2. Informal discussion of draft objectives with Group Leaders" in steps
    assert "Dan Morris" not in steps  # not her step


def test_an_officer_sees_their_own_steps_but_not_everyones_year(client, scenario):
    page = dashboard(client, scenario.director_user)
    assert "1. Draft objectives for discussion" in page
    assert "Nothing is waiting for your agreement." in page
    assert "Jo Chambers" not in page


def test_hr_sees_every_officers_year_at_a_glance(client, scenario):
    Objective.create(cycle=scenario.jce_cycle, category="personal", title="Coaching", status="agreed")

    page = dashboard(client, scenario.hr)

    glance = page.split('id="cycles"')[1]
    row = glance.split("Jo Chambers")[1].split("</tr>")[0]
    assert "Draft 1, Agreed 2" in row
    assert "Corporate (council) 1, Collaboration 1, Personal / development 1" in row
    assert "Olu Adeyemi" in glance and "No cycle" in glance
    assert "External facilitation due" in row


def test_appraisers_see_only_the_officers_they_appraise(client, scenario):
    page = dashboard(client, scenario.jce_user)
    glance = page.split('id="cycles"')[1]
    assert "Dan Morris" in glance and "Olu Adeyemi" not in glance


def test_external_facilitation_is_due_with_none_in_the_last_three_years(client, scenario):
    assert external_facilitation_due(scenario.jce, 2026)
    Cycle.update(externally_facilitated=True, facilitator="LGA").where(
        Cycle.id == scenario.jce_cycle.id).execute()
    assert not external_facilitation_due(scenario.jce, 2026)
    assert not external_facilitation_due(scenario.jce, 2028)  # 2026 is within the three years
    assert external_facilitation_due(scenario.jce, 2029)

    # a facilitated year means no facilitation step in the next
    steps = Step.select().join(TimetableStep).where(Step.cycle == create_cycle(scenario.jce, 2027))
    assert 7 not in {step.timetable_step.number for step in steps}

    page = dashboard(client, scenario.hr)
    jce_row = page.split('id="cycles"')[1].split("Jo Chambers")[1].split("</tr>")[0]
    director_row = page.split('id="cycles"')[1].split("Dan Morris")[1].split("</tr>")[0]
    assert "External facilitation due" not in jce_row
    assert "External facilitation due" in director_row


def test_councillors_see_no_steps_or_records(client, scenario):
    page = dashboard(client, scenario.councillor)
    assert "agreed objectives published to councillors" in page
    assert "Jo Chambers" not in page and "my-steps" not in page


# -- objectives in context -----------------------------------------------


def test_objectives_grouped_by_council_and_category_with_latest_ratings(client, scenario):
    Objective.create(cycle=scenario.jce_cycle, category="corporate", council=scenario.south,
                     title="Leisure centre rebuilt", status="agreed")
    Assessment.create(objective=scenario.agreed_objective, rating="partly met", evidence="Builder late")
    Assessment.create(objective=scenario.agreed_objective, rating="on track", evidence="Caught up")
    sign_in(client, scenario.leader_north)

    page = client.get(f"/admin/cycle/objectives/?id={scenario.jce_cycle.id}").get_data(as_text=True)

    north = page.split("North Vale District Council: corporate objectives")[1].split("</section>")[0]
    assert "Reopen the market hall" in north and "NV1 Thriving town centres" in north
    assert "On track" in north and "Partly met" not in north  # the latest rating only
    south = page.split("South Downs Borough Council: corporate objectives")[1].split("</section>")[0]
    assert "Leisure centre rebuilt" in south and "Not yet assessed" in south
    collaboration = page.split("Collaboration objectives")[1].split("</section>")[0]
    assert "Merge the two HR teams" in collaboration and "C1 One shared workforce" in collaboration
    chart = page.split("<svg")[1].split("</svg>")[0]
    assert "On track: 1; Not yet assessed: 2" in chart
    assert "Builder late" not in page


def test_the_officer_sees_their_ratings_but_a_stranger_sees_nothing(client, app, scenario):
    Assessment.create(objective=scenario.agreed_objective, rating="achieved")
    sign_in(client, scenario.jce_user)
    page = client.get(f"/admin/cycle/objectives/?id={scenario.jce_cycle.id}").get_data(as_text=True)
    assert "Achieved" in page.split("North Vale District Council: corporate objectives")[1]

    other = app.test_client()
    sign_in(other, scenario.other_director_user)
    assert other.get(f"/admin/cycle/objectives/?id={scenario.jce_cycle.id}").status_code in (403, 404)
    councillor = app.test_client()
    sign_in(councillor, scenario.councillor)
    assert councillor.get(f"/admin/cycle/objectives/?id={scenario.jce_cycle.id}").status_code == 403
