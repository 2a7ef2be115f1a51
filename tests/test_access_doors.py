"""Access is decided in one place: no template tests a role or a status
to decide what to offer (emails only say what happened), and every page that is not one of Flask-Admin's
own goes through the access door (admin/guards.py) or is public."""
import inspect
import re
from pathlib import Path

from models import Step
from tests.conftest import sign_in

TEMPLATES = Path(__file__).parent.parent / "templates"
JINJA_TAG = re.compile(r"{%.*?%}|{{.*?}}", re.DOTALL)
# Who the user is, or which state a record is in, tested in the page.
DECIDING = re.compile(r"current_user|is_hr|\.role\b|\.status\s*(==|!=|in\b|not\s+in\b)|is_awaiting")

# Pages anyone may open: signing in and out, the health check, an emailed
# agreement link (the link is the proof), static files and the redirect home.
PUBLIC = {"static", "admin.static", "home", "auth.login", "auth.logout", "health.healthz", "confirm.confirm"}


def test_no_template_decides_access_by_itself():
    found = [f"{path.relative_to(TEMPLATES)}: {tag}"
             for path in sorted(TEMPLATES.rglob("*.html")) if path.parent.name != "email"
             for tag in JINJA_TAG.findall(path.read_text())
             if DECIDING.search(tag)]
    assert found == []


def is_flask_admins_own(view_function):
    return inspect.unwrap(view_function).__module__.split(".")[0] == "flask_admin"


def test_every_custom_page_goes_through_the_access_door(app):
    unguarded = [endpoint for endpoint, view_function in app.view_functions.items()
                 if endpoint not in PUBLIC and not is_flask_admins_own(view_function)
                 and not getattr(view_function, "access_checked", False)]
    assert unguarded == []


def test_the_door_is_on_the_custom_pages(app):
    """Not a vacuous check: the pages written here are found and guarded."""
    guarded = {endpoint for endpoint, view_function in app.view_functions.items()
               if getattr(view_function, "access_checked", False)}
    assert {"admin.index", "meeting.cancel_view", "meeting.correct_view", "cycle.start_year_view",
            "cycle.objectives_view", "step.done_view", "attachment.download_view",
            "officer.personal_file_view", "council_report.index", "council_report.download_view",
            "cycle.send_for_agreement_view", "meeting.withdraw_from_agreement_view",
            "objective.details_view", "objective.edit_view"} <= guarded


def test_a_custom_page_finds_its_row_then_asks_access(client, scenario):
    """The door, over HTTP: signed out, the sign-in page; no such row, 404;
    a row the user sees but may not change, 403."""
    own_step = Step.get(Step.cycle == scenario.director_cycle)
    signed_out = client.get(f"/admin/cycle/objectives/?id={scenario.director_cycle.id}")
    assert signed_out.status_code == 302 and "/login" in signed_out.headers["Location"]
    token = sign_in(client, scenario.director_user)
    assert client.post("/admin/step/done/", data={"id": 999999, "note": "Done", "csrf_token": token}
                       ).status_code == 404
    assert client.post("/admin/step/done/", data={"id": own_step.id, "note": "Done", "csrf_token": token}
                       ).status_code == 403
    assert Step.get_by_id(own_step.id).done_on is None
