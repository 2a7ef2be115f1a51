"""Text no field should hold is refused wherever it comes in, with a clear
message by the field and nothing changed, on every database: a NUL or
another control character in any field, a line break in a one-line field
(a name, an email address, a title); a multi-line text keeps its tabs and
line breaks. An address whose search, filter, lookup or sort holds one is
a clear 400 page, never the database driver's 500; and a ?sort= that names
no sortable column is ignored."""
import re
from datetime import date

import pytest
from click.testing import CliRunner

from admin import VIEWS
from models import (
    Action,
    Agreement,
    AuditEvent,
    Council,
    DevelopmentNeed,
    Meeting,
    Objective,
    Officer,
    Priority,
    Step,
    TimetableStep,
    User,
)
from services.text import ONE_LINE_MESSAGE, TEXT_MESSAGE
from tests.conftest import add_one_of_every_record, csrf_token_from, sign_in
from tests.test_bad_input import errors_next_to, table_snapshot

CONTROL_CHARACTERS = ["\x00", "\x08", "\x1b", "\x7f", "\x9b"]
LINE_BREAKS = ["\n", "\r", "\x0b", "\x85", "\u2028", "\u2029", "\t"]


def form_data(scenario, meeting):
    """For each form, what a new record's form sends when it is good."""
    return {
        "user": (User, {"name": "Siân Evans", "email": "sian.evans@northvale.gov.uk", "role": "staff",
                        "active": "y", "new_password": "a long enough password"}),
        "council": (Council, {"name": "West Fell District Council", "short_name": "WFDC"}),
        "priority": (Priority, {"council": scenario.north.id, "reference": "NV9", "title": "Clean streets",
                                "active": "y"}),
        "officer": (Officer, {"user": scenario.hr.id, "post_title": "Head of People",
                              "statutory_role": "none", "active": "y"}),
        "objective": (Objective, {"cycle": scenario.jce_cycle.id, "category": "personal",
                                  "title": "Learn Welsh", "description": "Entry level", "measure": "Pass",
                                  "status": "draft"}),
        "meeting": (Meeting, {"cycle": scenario.jce_cycle.id, "kind": "informal review",
                              "held_on": "2026-05-01", "duration_minutes": "60", "location": "Room 1",
                              "outcomes": "On track"}),
        "action": (Action, {"meeting": meeting.id, "description": "Book the course",
                            "due_date": "2026-06-01"}),
        "developmentneed": (DevelopmentNeed, {"cycle": scenario.jce_cycle.id, "need": "Welsh",
                                              "activity": "Evening class", "provider": "Coleg Cambria",
                                              "status": "planned"}),
        "timetablestep": (TimetableStep, {"number": "8", "activity": "Reflect", "owner": "officer",
                                          "due_rule": "end of March", "completed_by": "manual",
                                          "active": "y"}),
    }


# (form, field, one line?)
TEXT_FIELDS = [
    ("user", "name", True), ("user", "email", True),
    ("council", "name", True), ("council", "short_name", True),
    ("priority", "reference", True), ("priority", "title", True),
    ("officer", "post_title", True),
    ("objective", "title", True), ("objective", "description", False), ("objective", "measure", False),
    ("meeting", "location", True), ("meeting", "outcomes", False),
    ("action", "description", False),
    ("developmentneed", "need", False), ("developmentneed", "activity", False),
    ("developmentneed", "provider", True),
    # (A timetable step's due rule is read as a rule first: anything else is refused as no rule.)
    ("timetablestep", "activity", True),
]


@pytest.fixture
def hr_forms(client, scenario):
    token = sign_in(client, scenario.hr)
    meeting = Meeting.create(cycle=scenario.jce_cycle, kind="informal review", held_on=date(2026, 4, 1))
    forms = form_data(scenario, meeting)

    def post(endpoint, **changes):
        model, data = forms[endpoint]
        before = table_snapshot(model)
        response = client.post(f"/admin/{endpoint}/new/", data={"csrf_token": token, **data, **changes})
        return response, model, before

    return post


@pytest.mark.parametrize("endpoint", sorted({endpoint for endpoint, _field, _one_line in TEXT_FIELDS}))
def test_each_form_saves_good_text(hr_forms, endpoint):
    response, model, before = hr_forms(endpoint)

    assert response.status_code == 302, errors_next_to(response.get_data(as_text=True), "name")
    assert len(table_snapshot(model)) == len(before) + 1


def refused_by_the_field(result, field, message):
    response, model, before = result
    assert response.status_code == 200, "the form should be shown again, not saved"
    assert message in errors_next_to(response.get_data(as_text=True), field)
    assert table_snapshot(model) == before


@pytest.mark.parametrize("character", CONTROL_CHARACTERS, ids=repr)
@pytest.mark.parametrize("endpoint,field,one_line", TEXT_FIELDS)
def test_no_field_takes_a_control_character(hr_forms, endpoint, field, one_line, character):
    result = hr_forms(endpoint, **{field: f"Pasted{character}text"})

    refused_by_the_field(result, field, ONE_LINE_MESSAGE if one_line else TEXT_MESSAGE)


@pytest.mark.parametrize("separator", LINE_BREAKS, ids=repr)
@pytest.mark.parametrize("endpoint,field", [(e, f) for e, f, one_line in TEXT_FIELDS if one_line])
def test_a_one_line_field_takes_no_line_break(hr_forms, endpoint, field, separator):
    refused_by_the_field(hr_forms(endpoint, **{field: f"Two{separator}lines"}), field, ONE_LINE_MESSAGE)


@pytest.mark.parametrize("endpoint,field", [(e, f) for e, f, one_line in TEXT_FIELDS if not one_line])
def test_a_multi_line_text_keeps_its_tabs_and_line_breaks(hr_forms, endpoint, field):
    text = "First point:\r\n\tindented\r\nSecond point"

    response, model, _before = hr_forms(endpoint, **{field: text})

    assert response.status_code == 302
    assert model.select().where(getattr(model, field) == text.replace("\r\n", "\n")).exists() or \
        model.select().where(getattr(model, field) == text).exists()


def test_an_inline_action_takes_no_control_character(client, scenario, annual_meeting):
    token = sign_in(client, scenario.hr)
    page = client.get(f"/admin/meeting/edit/?id={annual_meeting.id}").get_data(as_text=True)
    data = {name: value for name, value in re.findall(r'name="([^"]+)"[^>]*value="([^"]*)"', page)}
    data.update({"csrf_token": token, "kind": "annual agreement", "actions-0-description": "Pasted\x00text"})
    before = table_snapshot(Action)

    response = client.post(f"/admin/meeting/edit/?id={annual_meeting.id}", data=data)

    assert response.status_code == 200
    assert TEXT_MESSAGE in errors_next_to(response.get_data(as_text=True), "actions-0-description")
    assert table_snapshot(Action) == before


def test_create_user_refuses_a_name_with_a_line_break(app, scenario):
    result = CliRunner().invoke(app.cli, ["create-user", "--email", "new@northvale.gov.uk",
                                          "--name", "Siân\nEvans", "--role", "staff",
                                          "--password", "a long enough pass"])

    assert result.exit_code != 0 and ONE_LINE_MESSAGE in result.output
    assert not User.select().where(User.email == "new@northvale.gov.uk").exists()


def test_a_step_note_takes_no_control_character(client, scenario):
    token = sign_in(client, scenario.hr)
    step = Step.select().where(Step.cycle == scenario.jce_cycle).first()

    response = client.post("/admin/step/done/", data={"id": step.id, "note": "Done\x00", "csrf_token": token},
                           follow_redirects=True)

    assert TEXT_MESSAGE in response.get_data(as_text=True)
    assert Step.get_by_id(step.id).done_on is None


# -- the site's own forms ---------------------------------------------------


def test_signing_in_with_a_control_character_in_the_email_is_refused_by_the_field(client, scenario):
    token = csrf_token_from(client.get("/login"))
    events = AuditEvent.select().count()

    response = client.post("/login", data={"email": "hannah.reed@northvale.gov.uk\x00",
                                           "password": "whatever it is", "csrf_token": token})

    assert response.status_code == 400
    assert f'id="email-error">{ONE_LINE_MESSAGE}<' in response.get_data(as_text=True)
    assert AuditEvent.select().count() == events


@pytest.mark.parametrize("character", ["\x00", "\x1b"], ids=repr)
def test_a_comment_with_a_control_character_is_refused_and_nothing_is_decided(
        app, links, scenario, character):
    browser = app.test_client()
    path = links[scenario.leader_north]
    token = csrf_token_from(browser.get(path))

    response = browser.post(path, data={"decision": "changes", "comment": f"Change{character} this",
                                        "csrf_token": token})

    assert response.status_code == 400
    assert TEXT_MESSAGE in response.get_data(as_text=True)
    assert not Agreement.select().where(Agreement.decided_at.is_null(False)).exists()


def test_a_comment_keeps_its_line_breaks(app, links, scenario):
    browser = app.test_client()
    path = links[scenario.leader_north]
    token = csrf_token_from(browser.get(path))

    response = browser.post(path, data={"decision": "changes", "comment": "First:\r\n\tthis\r\nThen that",
                                        "csrf_token": token})

    assert response.status_code == 200
    assert Agreement.get(Agreement.party == scenario.leader_north).comment == "First:\r\n\tthis\r\nThen that"


# -- addresses --------------------------------------------------------------


def model_endpoints():
    return [model.__name__.lower() for _view, model, _name, _category in VIEWS]


def unreadable(response):
    return response.status_code == 400 and "This address cannot be read" in response.get_data(as_text=True)


@pytest.mark.parametrize("endpoint", model_endpoints())
def test_a_search_or_filter_with_a_nul_is_a_clear_400_on_every_list(client, scenario, endpoint):
    sign_in(client, scenario.hr)

    assert unreadable(client.get(f"/admin/{endpoint}/?search=hall%00"))
    assert unreadable(client.get(f"/admin/{endpoint}/?flt0_0=hall%00"))
    assert unreadable(client.get(f"/admin/{endpoint}/?search=escape%1B"))


@pytest.mark.parametrize("endpoint,name", [("meeting", "cycle"), ("action", "owner"), ("objective", "cycle")])
def test_a_lookup_with_a_nul_is_a_clear_400(client, scenario, endpoint, name):
    sign_in(client, scenario.hr)

    assert unreadable(client.get(f"/admin/{endpoint}/ajax/lookup/?name={name}&query=Jo%00"))
    assert client.get(f"/admin/{endpoint}/ajax/lookup/?name={name}&query=Jo").status_code == 200


def test_the_sign_in_and_agreement_pages_refuse_an_unreadable_address(client, links, scenario):
    assert unreadable(client.get("/login?next=/admin/%00"))
    assert unreadable(client.get(f"{links[scenario.jce_user]}?x=%01"))


@pytest.mark.parametrize("endpoint", model_endpoints())
def test_every_list_ignores_a_sort_by_a_column_it_cannot_sort_by(client, scenario, endpoint):
    add_one_of_every_record(scenario)
    sign_in(client, scenario.hr)

    for sort in ["-1", "x", *map(str, range(12)), "99"]:
        for descending in ("", "&desc=1"):
            response = client.get(f"/admin/{endpoint}/?sort={sort}{descending}")
            assert response.status_code == 200, (sort, descending)
