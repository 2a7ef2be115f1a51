"""The dashboard at /admin/, per person: what awaits their agreement, their
own steps red/amber/green, every officer's year at a glance for HR and
appraisers with a warning where external facilitation is due; and an
officer's objectives in the context of the councils' priorities."""
import re
from datetime import date, timedelta

import pytest

from models import (
    Assessment,
    Cycle,
    Meeting,
    Objective,
    Officer,
    Step,
    TimetableStep,
)
from services.agreement.records import ObjectivesRecord
from services.agreement.workflow import submit_for_agreement
from services.year.overview import step_state
from services.year.timetable import create_cycle, external_facilitation_due
from tests.conftest import add_officers, sign_in


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


# -- one page of officers at a time, those needing attention first ---------

ROW_NAME = re.compile(r'<th scope="row"><a href="[^"]*">([^<]+)</a>')


def officer_names(page):
    """The officers in the year-at-a-glance table, in order."""
    return ROW_NAME.findall(page.split('id="cycles"')[1])


def nothing_overdue():
    Step.update(done_on=date.today()).where(Step.done_on.is_null()).execute()


def needs_attention(officer):
    """An officer with a timetable step overdue in an open cycle."""
    cycle = Cycle.get_or_none(Cycle.officer == officer) or create_cycle(officer, date.today().year)
    step = Step.select().where(Step.cycle == cycle).order_by(Step.id).first()
    step.done_on, step.due_date = None, date.today() - timedelta(days=1)
    step.save()
    return cycle


@pytest.fixture
def many_officers(scenario):
    """The scenario's three officers and 45 more: 48, with nothing overdue."""
    officers = add_officers(45, scenario.leader_south)
    nothing_overdue()
    return officers


def test_hr_pages_through_the_officers_twenty_at_a_time_by_name(client, scenario, many_officers):
    sign_in(client, scenario.hr)
    pages = [client.get(f"/admin/?page={number}").get_data(as_text=True) for number in (1, 2, 3)]

    expected = (["Dan Morris", "Jo Chambers"] + [f"Officer {n:02d}" for n in range(1, 46)]
                + ["Olu Adeyemi"])
    assert [officer_names(page) for page in pages] == [expected[:20], expected[20:40], expected[40:]]
    assert "Showing 1–20 of 48 officers." in pages[0]
    assert "Showing 21–40 of 48 officers." in pages[1]
    assert "Showing 41–48 of 48 officers." in pages[2]
    assert "No officer needs attention." in pages[0]


def test_the_pager_is_a_labelled_nav_marking_the_current_page_and_keeping_other_arguments(
        client, scenario, many_officers):
    sign_in(client, scenario.hr)

    page = client.get("/admin/?year=2026&page=2").get_data(as_text=True)

    nav = page.split('aria-label="Pages of officers">')[1].split("</nav>")[0]
    links = dict((text, href.replace("&amp;", "&")) for href, text in re.findall(
        r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', nav))
    assert links["Previous page"] == "/admin/?year=2026&page=1#cycles"
    assert links["Next page"] == "/admin/?year=2026&page=3#cycles"
    current = re.findall(r'<a [^>]*aria-current="page"[^>]*>(.*?)</a>', nav)
    assert current == ['<span class="sr-only">Page </span>2']
    for other in (1, 3):
        assert f'<span class="sr-only">Page </span>{other}</a>' in nav

    first = client.get("/admin/").get_data(as_text=True)
    nav = first.split('aria-label="Pages of officers">')[1].split("</nav>")[0]
    assert "Previous page" not in nav and "Next page" in nav
    last = client.get("/admin/?page=3").get_data(as_text=True)
    nav = last.split('aria-label="Pages of officers">')[1].split("</nav>")[0]
    assert "Previous page" in nav and "Next page" not in nav


def test_one_page_of_officers_has_no_pager(client, scenario):
    page = dashboard(client, scenario.hr)
    assert "Showing 1–3 of 3 officers." in page
    assert "Pages of officers" not in page


@pytest.mark.parametrize("asked, shown", [
    ("abc", 1), ("", 1), ("0", 1), ("-2", 1), ("2.5", 1), ("999", 3), ("9" * 40, 3),
])
def test_a_page_number_that_makes_no_sense_gives_a_sensible_page(
        client, scenario, many_officers, asked, shown):
    sign_in(client, scenario.hr)
    expected = client.get(f"/admin/?page={shown}").get_data(as_text=True)

    response = client.get(f"/admin/?page={asked}", follow_redirects=True)

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert officer_names(page) == officer_names(expected) != []
    first = (shown - 1) * 20 + 1
    assert f"Showing {first}–{min(first + 19, 48)} of 48 officers." in page


def test_a_page_past_the_end_goes_to_the_last_page_keeping_other_arguments(client, scenario, many_officers):
    sign_in(client, scenario.hr)
    response = client.get("/admin/?year=2026&page=999")
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/?year=2026&page=3#cycles"


def test_officers_needing_attention_come_first_and_say_why(client, scenario, many_officers):
    other = create_cycle(scenario.other_director, date.today().year)
    nothing_overdue()
    needs_attention(many_officers[29])  # Officer 30: a step overdue
    Meeting.create(cycle=other, kind="informal review", held_on=date.today(), status="awaiting agreement")
    closed = needs_attention(many_officers[39])  # Officer 40: overdue, but in a closed year
    Cycle.update(status="closed").where(Cycle.id == closed.id).execute()
    Officer.update(active=False).where(Officer.id == many_officers[44].id).execute()  # Officer 45

    sign_in(client, scenario.hr)
    pages = [client.get(f"/admin/?page={number}").get_data(as_text=True) for number in (1, 2, 3)]

    names = [name for page in pages for name in officer_names(page)]
    assert names == (["Officer 30", "Olu Adeyemi", "Dan Morris", "Jo Chambers"]
                     + [f"Officer {n:02d}" for n in range(1, 45) if n != 30])
    assert "Showing 1–20 of 47 officers." in pages[0]
    assert "2 officers need attention and are listed first" in pages[0]
    rows = pages[0].split('id="cycles"')[1].split("</tr>")
    assert '<span class="rag rag-red">Overdue step</span>' in rows[1] and "Officer 30" in rows[1]
    assert "Meeting record awaiting agreement" not in rows[1]
    assert "Meeting record awaiting agreement" in rows[2] and "Olu Adeyemi" in rows[2]
    assert "Overdue step" not in rows[2]
    assert "Overdue step" not in rows[3] and "Meeting record awaiting agreement" not in rows[3]
    assert "Overdue step" not in pages[1] + pages[2]


def test_an_appraiser_sees_only_their_own_officers_on_every_page(client, scenario):
    mine = add_officers(25, scenario.jce_user)
    theirs = add_officers(20, scenario.leader_south, start=26)
    needs_attention(theirs[0])
    needs_attention(scenario.other_director)
    needs_attention(mine[24])  # Officer 25

    sign_in(client, scenario.jce_user)
    pages = [client.get(f"/admin/?page={number}", follow_redirects=True).get_data(as_text=True)
             for number in (1, 2, 3, 999)]

    names = [officer_names(page) for page in pages]
    # Jo Chambers's own row, Dan Morris (whom she line-manages) and her 25;
    # the JCE's and Dan's 2026 steps are overdue too (created for this year's timetable).
    expected = {"Jo Chambers", "Dan Morris"} | {officer.user.name for officer in mine}
    assert set(names[0] + names[1]) == expected and len(names[0] + names[1]) == 27
    assert names[2] == names[3] == names[1]  # past the end: the last page, still only hers
    assert "Officer 25" in names[0]
    assert "Showing 21–27 of 27 officers." in pages[1]
    for page in pages:
        glance = page.split('id="cycles"')[1]
        assert "Olu Adeyemi" not in glance and "Officer 26" not in glance


def test_a_councillor_still_sees_no_officer_table_on_any_page(client, scenario, many_officers):
    sign_in(client, scenario.councillor)
    for number in (1, 2):
        page = client.get(f"/admin/?page={number}").get_data(as_text=True)
        assert 'id="cycles"' not in page and "Officer 01" not in page and "Pages of officers" not in page


def queries_to_show(queries_run, client, url):
    client.get(url)  # warm
    counted, response = queries_run(lambda: client.get(url))
    assert response.status_code == 200 and officer_names(response.get_data(as_text=True))
    return counted


@pytest.mark.parametrize("who", ["hr", "jce_user"])
def test_the_dashboard_runs_as_many_queries_with_45_more_officers_as_with_5(
        client, scenario, queries_run, who):
    year = date.today().year
    add_officers(5, scenario.jce_user, year=year)
    sign_in(client, getattr(scenario, who))

    few = queries_to_show(queries_run, client, "/admin/")
    add_officers(40, scenario.jce_user, start=6, year=year)
    many = [queries_to_show(queries_run, client, url)
            for url in ("/admin/", "/admin/?page=2", "/admin/?page=3")]

    assert "Showing 21–40 of" in client.get("/admin/?page=2").get_data(as_text=True)
    assert few == many[0] == many[1] == many[2] <= 10


def test_when_every_officer_needs_attention_the_dashboard_says_so(client, scenario):
    for officer in (scenario.jce, scenario.director, scenario.other_director):
        needs_attention(officer)
    page = dashboard(client, scenario.hr)
    assert "All 3 officers need attention." in page
    assert "listed first" not in page
