"""Who sees what, as a matrix: every kind of user × every model × every
action, on the records of two officers — the Joint Chief Executive
(appraised by both Leaders) and a director (line-managed by the JCE).

Letters: L list shows the record, D details, C create one for that
officer, E edit, X delete, O export, A an AJAX picker offers it.
A letter that is absent means the action is refused."""
import io
from datetime import date, datetime
from types import SimpleNamespace

import pytest

from models import (
    Action,
    Agreement,
    Assessment,
    Attachment,
    AuditEvent,
    Council,
    Cycle,
    DevelopmentNeed,
    Meeting,
    Objective,
    Officer,
    OutboxEmail,
    Priority,
    Step,
    TimetableStep,
    User,
)
from services.people.accounts import create_user
from tests.conftest import PASSWORD, sign_in

USERS = ("hr", "leader_north", "leader_south", "jce", "director", "other_director",
         "councillor", "anonymous")

#                         hr          leader_n   leader_s   jce        director   other_dir  cllr       anon
ON_THE_DIRECTOR = {
    "officer":           ("LDCEXOA",  "",        "",        "LDA",     "LDA",     "",        "",        ""),
    "cycle":             ("LDCEXOA",  "",        "",        "LDA",     "LDA",     "",        "",        ""),
    "step":              ("LDEXO",    "",        "",        "LDE",     "LD",      "",        "",        ""),
    "objective_draft":   ("LDCEXOA",  "",        "",        "LDCEXA",  "LDCEXA",  "",        "",        ""),
    "objective_agreed":  ("LDCEXOA",  "",        "",        "LDCEXA",  "LDA",     "",        "LD",      ""),
    "assessment":        ("LDCEXO",   "",        "",        "LDCEX",   "LD",      "",        "",        ""),
    "meeting":           ("LDCEXOA",  "",        "",        "LDCEXA",  "LDA",     "",        "",        ""),
    "action":            ("LDCEXO",   "",        "",        "LDCEX",   "LD",      "",        "",        ""),
    "developmentneed":   ("LDCEXO",   "",        "",        "LDCEX",   "LD",      "",        "",        ""),
    "attachment":        ("LDCEXO",   "",        "",        "LDC",     "LD",      "",        "",        ""),
    "agreement":         ("LDO",      "",        "",        "LD",      "LD",      "",        "",        ""),
    "outboxemail":       ("LDXO",     "",        "",        "",        "",        "",        "",        ""),
    "auditevent":        ("LDO",      "",        "",        "",        "",        "",        "",        ""),
    "user":              ("LDCEXOA",  "",        "",        "A",       "A",       "",        "",        ""),
    "council":           ("LDCEXO",   "",        "",        "",        "",        "",        "",        ""),
    "priority":          ("LDCEXO",   "",        "",        "",        "",        "",        "",        ""),
    "timetablestep":     ("LDCEXO",   "",        "",        "",        "",        "",        "",        ""),
}

ON_THE_JCE = {
    "officer":           ("LDCEXOA",  "LDA",     "LDA",     "LDA",     "",        "",        "",        ""),
    "cycle":             ("LDCEXOA",  "LDA",     "LDA",     "LDA",     "",        "",        "",        ""),
    "step":              ("LDEXO",    "LDE",     "LDE",     "LD",      "",        "",        "",        ""),
    "objective_draft":   ("LDCEXOA",  "LDCEXA",  "LDCEXA",  "LDCEXA",  "",        "",        "",        ""),
    "objective_agreed":  ("LDCEXOA",  "LDCEXA",  "LDCEXA",  "LDA",     "",        "",        "LD",      ""),
    "assessment":        ("LDCEXO",   "LDCEX",   "LDCEX",   "LD",      "",        "",        "",        ""),
    "meeting":           ("LDCEXOA",  "LDCEXA",  "LDCEXA",  "LDA",     "",        "",        "",        ""),
    "action":            ("LDCEXO",   "LDCEX",   "LDCEX",   "LD",      "",        "",        "",        ""),
    "developmentneed":   ("LDCEXO",   "LDCEX",   "LDCEX",   "LD",      "",        "",        "",        ""),
    "attachment":        ("LDCEXO",   "LDC",     "LDC",     "LD",      "",        "",        "",        ""),
    "agreement":         ("LDO",      "LD",      "LD",      "LD",      "",        "",        "",        ""),
    "outboxemail":       ("LDXO",     "",        "",        "",        "",        "",        "",        ""),
    "auditevent":        ("LDO",      "",        "",        "",        "",        "",        "",        ""),
    "user":              ("LDCEXOA",  "A",       "A",       "A",       "A",       "",        "",        ""),
    "council":           ("LDCEXO",   "",        "",        "",        "",        "",        "",        ""),
    "priority":          ("LDCEXO",   "",        "",        "",        "",        "",        "",        ""),
    "timetablestep":     ("LDCEXO",   "",        "",        "",        "",        "",        "",        ""),
}

TABLES = {"director": ON_THE_DIRECTOR, "jce": ON_THE_JCE}

# Where each kind of record's AJAX picker is: (view, field).
PICKERS = {
    "officer": ("cycle", "officer"),
    "cycle": ("objective", "cycle"),
    "objective_draft": ("assessment", "objective"),
    "objective_agreed": ("assessment", "objective"),
    "meeting": ("assessment", "meeting"),
    "user": ("officer", "user"),
}
# Records nobody creates by hand in the admin.
NEVER_CREATED = {"step", "agreement", "outboxemail", "auditevent"}


def applicable(model):
    return "LDCEXO" + ("A" if model in PICKERS else "")


def test_every_cell_of_the_matrix_is_written_down():
    for table in TABLES.values():
        assert set(table) == set(ON_THE_DIRECTOR)
        for model, row in table.items():
            assert len(row) == len(USERS), model
            for cell in row:
                assert set(cell) <= set(applicable(model)), (model, cell)
                assert not (model in NEVER_CREATED and "C" in cell), model


CASES = [(target, model, user) for target, table in TABLES.items() for model in table for user in USERS]
# Looking first, then creating, deleting last.
ORDER = "LDEOACX"


@pytest.fixture
def world(scenario):
    """The scenario, with one record of every kind for each target officer."""
    records = {}
    for name, officer, cycle in (("jce", scenario.jce, scenario.jce_cycle),
                                 ("director", scenario.director, scenario.director_cycle)):
        draft = Objective.create(cycle=cycle, category="personal", title=f"Draft goal of {name}")
        agreed = Objective.create(cycle=cycle, category="personal", title=f"Published goal of {name}",
                                  status="agreed", published=True)
        meeting = Meeting.create(cycle=cycle, kind="informal review", held_on=date(2026, 6, 1),
                                 outcomes=f"Review of {name}")
        records[name] = SimpleNamespace(
            officer=officer, cycle=cycle, step=Step.get(Step.cycle == cycle),
            objective_draft=draft, objective_agreed=agreed, meeting=meeting,
            assessment=Assessment.create(objective=agreed, meeting=meeting, rating="on track",
                                         evidence=f"Evidence on {name}"),
            action=Action.create(meeting=meeting, description=f"Follow up {name}"),
            developmentneed=DevelopmentNeed.create(cycle=cycle, need=f"Coaching for {name}"),
            attachment=Attachment.create(officer=officer, original_name=f"{name}.pdf",
                                         stored_name=f"stored-{name}", content_type="application/pdf",
                                         size=10, sha256="0" * 64),
            agreement=Agreement.create(cycle=cycle, meeting=meeting, party=officer.user,
                                       content_hash="1" * 64, token_hash=f"{name:0<64}",
                                       expires_at=datetime(2026, 12, 31)),
            user=officer.user,
            outboxemail=OutboxEmail.create(recipient="x@northvale.gov.uk", subject="Hello",
                                           body_text="Hello"),
            auditevent=AuditEvent.create(action="login", actor=f"Auditor of {name}"),
            council=scenario.north,
            priority=scenario.priority_north,
            timetablestep=TimetableStep.get(TimetableStep.number == 1),
        )
    scenario.records = records
    scenario.users = {
        "hr": scenario.hr, "leader_north": scenario.leader_north,
        "leader_south": scenario.leader_south, "jce": scenario.jce_user,
        "director": scenario.director_user, "other_director": scenario.other_director_user,
        "councillor": scenario.councillor,
    }
    return scenario


def create_form(world, target, model):
    """A valid new record of this kind for the target officer."""
    r = world.records[target]
    if model == "officer":
        newcomer = create_user(email="new.person@northvale.gov.uk", name="New Person",
                               role="staff", password=PASSWORD)
        return Officer, {"user": newcomer.id, "post_title": "Director of Digital",
                         "statutory_role": "none", "active": "y"}
    return {
        "cycle": (Cycle, {"officer": r.officer.id, "year": "2027"}),
        "objective_draft": (Objective, {"cycle": r.cycle.id, "category": "personal",
                                        "title": "A new draft", "status": "draft"}),
        "objective_agreed": (Objective, {"cycle": r.cycle.id, "category": "personal",
                                         "title": "A new agreed one", "status": "agreed",
                                         "published": "y"}),
        "assessment": (Assessment, {"objective": r.objective_agreed.id, "rating": "achieved"}),
        "meeting": (Meeting, {"cycle": r.cycle.id, "kind": "informal review",
                              "held_on": "2026-07-01"}),
        "action": (Action, {"meeting": r.meeting.id, "description": "Another action"}),
        "developmentneed": (DevelopmentNeed, {"cycle": r.cycle.id, "need": "Mentoring",
                                              "status": "planned"}),
        "attachment": (Attachment, {"officer": r.officer.id,
                                    "file": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "certificate.pdf")}),
        "user": (User, {"name": "New Person", "email": "new.person@northvale.gov.uk",
                        "role": "staff", "active": "y", "new_password": PASSWORD}),
        "council": (Council, {"name": "West Wold Council", "short_name": "WWC"}),
        "priority": (Priority, {"reference": "NV9", "title": "Clean streets"}),
        "timetablestep": (TimetableStep, {"number": "9", "activity": "Reflect", "owner": "officer",
                                          "due_rule": "end of June", "completed_by": "manual"}),
    }[model]


# What of each record an export shows (a CSV has no links to look for).
EXPORT_MARKERS = {
    "officer": lambda record: record.post_title,
    "cycle": lambda record: str(record.officer),
    "step": lambda record: str(record.cycle),
    "assessment": lambda record: record.objective.title,
    "meeting": lambda record: str(record.cycle),
    "agreement": lambda record: record.party.name,
    "outboxemail": lambda record: record.recipient,
    "auditevent": lambda record: record.actor,
    "priority": lambda record: record.title,
    "timetablestep": lambda record: record.activity,
}


def still_there(record):
    query = type(record).select().where(type(record).id == record.id)
    if isinstance(record, Attachment):  # deleted in the admin, its row kept until the purge
        query = query.where(Attachment.deleted_at.is_null())
    return query.exists()


def endpoint(model):
    return model.split("_")[0]


def shown_in(html, record):
    return f"details/?id={record.id}&" in html.replace("&amp;", "&")


def attempt(client, world, target, model, letter, token):
    """Try one action; True when it was carried out (or, for L, D, O, A, shown)."""
    record = getattr(world.records[target], model)
    base = f"/admin/{endpoint(model)}"
    if letter == "L":
        response = client.get(f"{base}/")
        return response.status_code == 200 and shown_in(response.get_data(as_text=True), record)
    if letter == "D":
        return client.get(f"{base}/details/?id={record.id}").status_code == 200
    if letter == "E":
        return client.get(f"{base}/edit/?id={record.id}").status_code == 200
    if letter == "O":
        response = client.get(f"{base}/export/csv/")
        marker = EXPORT_MARKERS.get(model, str)(record)
        return response.status_code == 200 and marker in response.get_data(as_text=True)
    if letter == "A":
        view, field = PICKERS[model]
        response = client.get(f"/admin/{view}/ajax/lookup/?name={field}&query=")
        return response.status_code == 200 and record.id in [row[0] for row in response.get_json()]
    if letter == "X":
        response = client.post(f"{base}/delete/", data={"id": record.id, "csrf_token": token})
        gone = not still_there(record)
        flashed = client.get("/admin/").get_data(as_text=True) if response.status_code == 302 else ""
        return gone or "cannot be deleted while other records refer to it" in flashed
    if letter == "C":
        if model in NEVER_CREATED:
            return client.get(f"{base}/new/").status_code == 200
        model_class, form = create_form(world, target, model)
        before = model_class.select().count()
        client.post(f"{base}/new/", data={"csrf_token": token, **form})
        return model_class.select().count() == before + 1
    raise AssertionError(letter)


@pytest.mark.parametrize("target,model,user", CASES)
def test_access_matrix(world, client, target, model, user):
    token = "" if user == "anonymous" else sign_in(client, world.users[user])
    letters = [letter for letter in ORDER if letter in applicable(model)]
    outcome = "".join(letter for letter in letters
                      if attempt(client, world, target, model, letter, token))
    assert outcome == "".join(letter for letter in ORDER
                              if letter in TABLES[target][model][USERS.index(user)])
