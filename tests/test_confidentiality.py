"""The ways around the access rules, tried one by one."""
from datetime import date

import pytest

from models import Assessment, AuditEvent, Meeting, Objective
from tests.conftest import sign_in


@pytest.fixture
def assessed(scenario):
    scenario.meeting = Meeting.create(cycle=scenario.jce_cycle, kind="six-month review",
                                      held_on=date(2026, 9, 20), outcomes="Good progress")
    scenario.assessment = Assessment.create(objective=scenario.agreed_objective,
                                            meeting=scenario.meeting, rating="partly met",
                                            evidence="Market hall delayed by contractor")
    return scenario


def test_councillor_cannot_see_assessments(client, assessed):
    sign_in(client, assessed.councillor)
    assert client.get("/admin/assessment/").status_code == 403
    page = client.get(f"/admin/assessment/details/?id={assessed.assessment.id}")
    assert page.status_code == 403
    assert "Market hall delayed" not in page.get_data(as_text=True)


def test_councillor_cannot_export_assessments_or_objectives(client, assessed):
    sign_in(client, assessed.councillor)
    assert client.get("/admin/assessment/export/csv/").status_code == 403
    response = client.get("/admin/objective/export/csv/")
    assert response.status_code == 302
    assert "Reopen the market hall" not in response.get_data(as_text=True)


def test_councillor_sees_published_objectives_only(client, assessed):
    sign_in(client, assessed.councillor)
    page = client.get("/admin/objective/").get_data(as_text=True)
    assert "Reopen the market hall" in page
    assert "Merge the two HR teams" not in page


def test_councillor_search_and_filter_do_not_reveal_drafts(client, assessed):
    sign_in(client, assessed.councillor)
    for url in ("/admin/objective/?search=Merge", "/admin/objective/?flt0_status_equals=draft",
                f"/admin/objective/details/?id={assessed.draft_objective.id}"):
        response = client.get(url)
        assert "Merge the two HR teams" not in response.get_data(as_text=True), url


def test_councillor_ajax_lookup_on_assessments_is_refused(client, assessed):
    sign_in(client, assessed.councillor)
    response = client.get("/admin/assessment/ajax/lookup/?name=objective&query=")
    assert response.status_code == 403


def test_councillor_sees_no_meetings_or_development_needs(client, assessed):
    sign_in(client, assessed.councillor)
    for endpoint in ("meeting", "action", "developmentneed", "attachment", "auditevent", "officer"):
        assert client.get(f"/admin/{endpoint}/").status_code == 403, endpoint
    dashboard = client.get("/admin/").get_data(as_text=True)
    assert "Six-month review" not in dashboard and "Jo Chambers" not in dashboard


def test_officer_cannot_edit_an_agreed_objective(client, assessed):
    token = sign_in(client, assessed.jce_user)
    objective = assessed.agreed_objective
    response = client.post(f"/admin/objective/edit/?id={objective.id}", data={
        "csrf_token": token, "cycle": objective.cycle_id, "category": "corporate",
        "council": assessed.north.id, "title": "Quietly dropped", "status": "agreed"})
    assert response.status_code == 403
    assert Objective.get_by_id(objective.id).title == "Reopen the market hall"


def test_officer_cannot_agree_their_own_draft_objective(client, assessed):
    token = sign_in(client, assessed.jce_user)
    draft = assessed.draft_objective
    client.post(f"/admin/objective/edit/?id={draft.id}", data={
        "csrf_token": token, "cycle": draft.cycle_id, "category": "collaboration",
        "priority": assessed.collaboration.id, "title": draft.title, "status": "agreed"})
    assert Objective.get_by_id(draft.id).status == "draft"


def test_officer_cannot_edit_an_assessment(client, assessed):
    token = sign_in(client, assessed.jce_user)
    assert client.get(f"/admin/assessment/details/?id={assessed.assessment.id}").status_code == 200
    response = client.post(f"/admin/assessment/edit/?id={assessed.assessment.id}", data={
        "csrf_token": token, "objective": assessed.agreed_objective.id, "rating": "achieved"})
    assert response.status_code == 403
    assert Assessment.get_by_id(assessed.assessment.id).rating == "partly met"


def test_nobody_edits_an_agreed_meeting_record_not_even_hr(client, assessed):
    Meeting.update(status="agreed").where(Meeting.id == assessed.meeting.id).execute()
    token = sign_in(client, assessed.hr)
    response = client.post(f"/admin/meeting/edit/?id={assessed.meeting.id}", data={
        "csrf_token": token, "cycle": assessed.jce_cycle.id, "kind": "six-month review",
        "held_on": "2026-09-20", "outcomes": "Rewritten afterwards"})
    assert response.status_code == 403
    assert client.post("/admin/meeting/delete/", data={
        "csrf_token": token, "id": assessed.meeting.id}).status_code == 403
    assert Meeting.get_by_id(assessed.meeting.id).outcomes == "Good progress"


def test_director_cannot_move_an_objective_to_someone_elses_cycle(client, scenario):
    own = Objective.create(cycle=scenario.director_cycle, category="personal", title="Learn Welsh")
    token = sign_in(client, scenario.director_user)
    client.post(f"/admin/objective/edit/?id={own.id}", data={
        "csrf_token": token, "cycle": scenario.jce_cycle.id, "category": "personal",
        "title": "Learn Welsh", "status": "draft"})
    assert Objective.get_by_id(own.id).cycle_id == scenario.director_cycle.id


def test_director_cannot_create_an_objective_for_someone_else(client, scenario):
    token = sign_in(client, scenario.director_user)
    before = Objective.select().count()
    client.post("/admin/objective/new/", data={
        "csrf_token": token, "cycle": scenario.jce_cycle.id, "category": "personal",
        "title": "Planted objective", "status": "draft"})
    assert Objective.select().count() == before


def test_bulk_delete_of_a_record_out_of_reach_deletes_nothing(client, scenario):
    own = Objective.create(cycle=scenario.director_cycle, category="personal", title="Learn Welsh")
    token = sign_in(client, scenario.director_user)
    response = client.post("/admin/objective/action/", data={
        "csrf_token": token, "action": "delete",
        "rowid": [own.id, scenario.draft_objective.id]})
    assert response.status_code in (302, 403)
    assert Objective.select().where(Objective.id == scenario.draft_objective.id).exists()


def test_other_staff_see_nothing_of_an_officer(client, assessed):
    sign_in(client, assessed.other_director_user)
    for url in (f"/admin/officer/details/?id={assessed.jce.id}",
                f"/admin/meeting/details/?id={assessed.meeting.id}",
                f"/admin/objective/details/?id={assessed.agreed_objective.id}"):
        assert client.get(url).status_code == 404, url


def test_opening_an_assessment_is_recorded_in_the_audit_trail(client, assessed):
    sign_in(client, assessed.leader_north)
    client.get(f"/admin/assessment/details/?id={assessed.assessment.id}")
    event = AuditEvent.get(AuditEvent.action == "view-confidential")
    assert (event.user_id, event.model, event.record_id) == (
        assessed.leader_north.id, "Assessment", str(assessed.assessment.id))


def test_exported_text_cannot_run_as_a_spreadsheet_formula(client, scenario):
    Objective.create(cycle=scenario.jce_cycle, category="personal", title="=HYPERLINK(\"x\")")
    sign_in(client, scenario.hr)
    csv = client.get("/admin/objective/export/csv/").get_data(as_text=True)
    assert "'=HYPERLINK" in csv
    assert ",=HYPERLINK" not in csv


def test_menus_show_only_what_a_councillor_can_use(client, scenario):
    sign_in(client, scenario.councillor)
    page = client.get("/admin/").get_data(as_text=True)
    assert "/admin/objective/" in page
    for hidden in ("/admin/assessment/", "/admin/meeting/", "/admin/user/", "/admin/auditevent/"):
        assert hidden not in page, hidden
