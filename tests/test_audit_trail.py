"""Every change, every confidential view and every sign-in is in the
audit trail, which nobody can change."""
import json

from models import AuditEvent, Council, Objective
from tests.conftest import csrf_token_from, sign_in


def events(action, model):
    return list(AuditEvent.select().where((AuditEvent.action == action) & (AuditEvent.model == model))
                .order_by(AuditEvent.id))


def test_an_edit_records_who_and_the_changed_fields_old_and_new(client, scenario):
    token = sign_in(client, scenario.hr)
    draft = scenario.draft_objective
    client.post(f"/admin/objective/edit/?id={draft.id}", data={
        "csrf_token": token, "cycle": draft.cycle_id, "category": "collaboration",
        "priority": scenario.collaboration.id, "title": "Merge the HR and payroll teams",
        "status": "draft"})
    [event] = events("update", "Objective")
    assert event.user_id == scenario.hr.id and event.record_id == str(draft.id)
    assert json.loads(event.changes)["title"] == ["Merge the two HR teams",
                                                  "Merge the HR and payroll teams"]
    assert event.ip == "127.0.0.1"


def test_creating_and_deleting_are_recorded(client, scenario):
    token = sign_in(client, scenario.hr)
    client.post("/admin/council/new/", data={"csrf_token": token, "name": "West Wold Council",
                                             "short_name": "WWC"})
    council = Council.get(Council.short_name == "WWC")
    client.post("/admin/council/delete/", data={"csrf_token": token, "id": council.id})
    [created] = [e for e in events("create", "Council") if e.record_id == str(council.id)]
    [deleted] = events("delete", "Council")
    assert json.loads(created.changes)["name"] == [None, "West Wold Council"]
    assert json.loads(deleted.changes)["short_name"] == ["WWC", None]


def test_a_password_change_is_recorded_without_the_password(client, scenario):
    token = sign_in(client, scenario.hr)
    director = scenario.director_user
    client.post(f"/admin/user/edit/?id={director.id}", data={
        "csrf_token": token, "name": director.name, "email": director.email, "role": "staff",
        "active": "y", "new_password": "a brand new long password"})
    [event] = events("update", "User")
    assert json.loads(event.changes) == {"password_hash": ["(changed)", "(changed)"]}


def test_sign_ins_and_failed_sign_ins_are_recorded(client, scenario):
    token = csrf_token_from(client.get("/login"))
    client.post("/login", data={"email": scenario.director_user.email, "password": "wrong password!",
                                "csrf_token": token})
    sign_in(client, scenario.director_user)
    assert [(e.action, e.actor) for e in AuditEvent.select().order_by(AuditEvent.id)
            if e.action.startswith("login")] == [
        ("login-failed", scenario.director_user.email),
        ("login", f"{scenario.director_user.name} <{scenario.director_user.email}>"),
    ]


def test_hr_can_browse_and_filter_the_audit_log(client, scenario):
    sign_in(client, scenario.hr)
    page = client.get("/admin/auditevent/?flt0_action_equals=login").get_data(as_text=True)
    assert scenario.hr.email in page


def test_nobody_can_change_or_delete_the_audit_log(client, scenario):
    token = sign_in(client, scenario.hr)
    event = AuditEvent.get(AuditEvent.action == "login")
    assert client.get(f"/admin/auditevent/edit/?id={event.id}").status_code == 403
    assert client.post("/admin/auditevent/delete/", data={
        "csrf_token": token, "id": event.id}).status_code in (302, 403)
    assert client.get("/admin/auditevent/new/").status_code == 302
    assert AuditEvent.get_by_id(event.id).actor == event.actor


def test_a_refused_change_leaves_no_audit_event(client, scenario):
    token = sign_in(client, scenario.jce_user)
    before = AuditEvent.select().count()
    client.post(f"/admin/objective/edit/?id={scenario.agreed_objective.id}", data={
        "csrf_token": token, "title": "Changed"})
    assert AuditEvent.select().count() == before
    assert Objective.get_by_id(scenario.agreed_objective.id).title == "Reopen the market hall"
