"""Every admin view works for HR, with real records in it."""
import pytest

from admin import VIEWS
from models import Action, Assessment, DevelopmentNeed, Meeting, MeetingAttendee
from tests.conftest import sign_in

ENDPOINTS = [view_class(model).endpoint for view_class, model, _name, _category in VIEWS]


@pytest.fixture
def hr_client(client, scenario):
    meeting = Meeting.create(cycle=scenario.jce_cycle, kind="annual agreement",
                             held_on="2026-03-20", role_of_officer="Lead both councils")
    MeetingAttendee.create(meeting=meeting, user=scenario.leader_north)
    Action.create(meeting=meeting, description="Publish the joint workforce plan",
                  owner=scenario.jce_user, due_date="2026-06-30")
    Assessment.create(objective=scenario.agreed_objective, meeting=meeting, rating="on track",
                      evidence="Contractor appointed")
    DevelopmentNeed.create(cycle=scenario.jce_cycle, need="Commercial awareness")
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
    if record is None:
        pytest.skip(f"the scenario has no {endpoint}")
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
