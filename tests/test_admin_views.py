"""Every admin view works for HR, with real records in it."""
import pytest

from admin import VIEWS
from models import Action, Meeting
from tests.conftest import add_one_of_every_record, sign_in

ENDPOINTS = [view_class(model).endpoint for view_class, model, _name, _category in VIEWS]


@pytest.fixture
def hr_client(client, scenario):
    add_one_of_every_record(scenario)
    sign_in(client, scenario.hr)
    return client


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_hr_sees_every_list(hr_client, endpoint):
    response = hr_client.get(f"/admin/{endpoint}/")
    assert response.status_code == 200, response.get_data(as_text=True)[-2000:]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_hr_opens_the_details_of_every_record(hr_client, endpoint):
    view = next(v for v in hr_client.application.extensions["admin"][0]._views
                if getattr(v, "endpoint", None) == endpoint)
    record = view.model.select().first()
    response = hr_client.get(f"/admin/{endpoint}/details/?id={record.id}")
    assert response.status_code == 200, response.get_data(as_text=True)[-2000:]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_hr_opens_every_form(hr_client, endpoint):
    response = hr_client.get(f"/admin/{endpoint}/new/")
    assert response.status_code in (200, 302), response.get_data(as_text=True)[-2000:]


def test_dashboard_shows_every_officer(hr_client, scenario):
    page = hr_client.get("/admin/").get_data(as_text=True)
    for officer in (scenario.jce, scenario.director, scenario.other_director):
        assert officer.user.name in page


def test_officer_page_shows_the_cycle_at_a_glance(hr_client, scenario):
    page = hr_client.get(f"/admin/officer/details/?id={scenario.jce.id}").get_data(as_text=True)
    assert "2026 cycle at a glance" in page
    assert "Reopen the market hall" in page
    assert "Annual performance agreement" in page
    assert "Cllr Lena North (leader, NVDC)" in page


def test_pickers_search_as_you_type_instead_of_loading_whole_tables(hr_client, scenario):
    meeting = Meeting.get()
    page = hr_client.get(f"/admin/meeting/edit/?id={meeting.id}").get_data(as_text=True)
    for field in ("cycle", "actions-0-owner", "attendee_links-0-user"):
        tag = page[page.rfind("<input", 0, page.find(f'id="{field}"')):page.find(f'id="{field}"')]
        assert 'data-role="select2-ajax"' in tag, field
    found = hr_client.get("/admin/meeting/ajax/lookup/?name=action.owner&query=chambers").get_json()
    assert [name for _id, name in found] == ["Jo Chambers"]


def test_actions_are_added_on_the_meeting_itself(client, scenario):
    token = sign_in(client, scenario.hr)
    response = client.post("/admin/meeting/new/", data={
        "csrf_token": token, "cycle": scenario.jce_cycle.id, "kind": "informal review",
        "held_on": "2026-06-15", "outcomes": "Objectives still relevant",
        "attendee_links-0-user": scenario.leader_north.id,
        "actions-0-description": "Report progress to both cabinets",
        "actions-0-owner": scenario.jce_user.id, "actions-0-due_date": "2026-07-31",
    })
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    meeting = Meeting.get(Meeting.held_on == "2026-06-15")
    assert [(a.description, a.owner_id) for a in meeting.actions] == [
        ("Report progress to both cabinets", scenario.jce_user.id)]
    assert [link.user_id for link in meeting.attendee_links] == [scenario.leader_north.id]


def test_an_action_edited_on_its_meeting_is_updated_not_duplicated(client, scenario):
    token = sign_in(client, scenario.hr)
    meeting = Meeting.create(cycle=scenario.jce_cycle, kind="informal review", held_on="2026-06-15")
    action = Action.create(meeting=meeting, description="Draft", owner=scenario.jce_user)
    response = client.post(f"/admin/meeting/edit/?id={meeting.id}", data={
        "csrf_token": token, "cycle": scenario.jce_cycle.id, "kind": "informal review",
        "held_on": "2026-06-15", "actions-0-id": action.id,
        "actions-0-description": "Report progress to both cabinets",
        "actions-0-owner": scenario.jce_user.id,
    })
    assert response.status_code == 302
    assert [a.description for a in meeting.actions] == ["Report progress to both cabinets"]
