"""A small, real scenario shared by the tests: two councils in a joint
arrangement, their Leaders (each with a Deputy), a Joint Chief Executive
appraised by both Leaders, a director line-managed by the JCE, an unrelated
director, HR and a councillor.

The suite runs against `DATABASE_URL` when it is set (PostgreSQL or
MariaDB in CI), otherwise against a throw-away SQLite file. The schema is
built once per run by the migrations, then emptied before every test."""
import os
import re
from datetime import date, datetime
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from flask import g
from peewee import SqliteDatabase

from app import create_app
from config import TestingConfig
from models import ALL_MODELS, db
from services import schema
from services.people.accounts import create_user
from services.year.timetable import create_cycle, ensure_default_timetable
from tests.mailserver import MailServer

PASSWORD = "correct horse battery staple"
CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    return os.environ.get("DATABASE_URL") or (
        f"sqlite:///{tmp_path_factory.mktemp('db') / 'appraise-test.sqlite3'}"
    )


@pytest.fixture(scope="session")
def _schema(database_url, tmp_path_factory):
    """Drop whatever an earlier run left, then build the schema once."""
    app = create_app(TestingConfig, {"DATABASE_URL": database_url})
    with app.app_context(), db.connection_context():
        db.drop_tables(ALL_MODELS, safe=True, cascade=not isinstance(db.obj, SqliteDatabase))
        db.execute_sql('DROP TABLE IF EXISTS migratehistory')
        schema.upgrade()
    return database_url


@pytest.fixture
def app(_schema, tmp_path):
    app = create_app(
        TestingConfig,
        {"DATABASE_URL": _schema, "UPLOAD_DIR": str(tmp_path / "uploads")},
    )
    # First of all before every request: forget what the last request left in `g`.
    app.before_request_funcs.setdefault(None, []).insert(0, forget_the_previous_request)
    with app.app_context():
        db.connect(reuse_if_open=True)
        empty_all_tables()
        ensure_default_timetable()
        yield app
        if not db.is_closed():
            db.close()


def forget_the_previous_request():
    """The fixture keeps one app context open for the whole test, and Flask
    reuses it for every request, so `g` would carry Flask-Login's current
    user and Flask-WTF's CSRF token from one request, and one test client,
    to the next: a second client would act as the first one's user, and a
    user switched off mid-test would never be reloaded."""
    for name in list(g):
        g.pop(name)


def empty_all_tables():
    with db.atomic():
        # A record that refers to another of its kind (a meeting that supersedes
        # an earlier version) would block a one-statement delete of its table.
        for model in ALL_MODELS:
            for field in model._meta.refs:
                if field.rel_model is model and field.null:
                    model.update({field: None}).where(field.is_null(False)).execute()
        for model in reversed(ALL_MODELS):
            model.delete().execute()


@pytest.fixture
def client(app):
    return app.test_client()


def csrf_token_from(response):
    match = CSRF_INPUT.search(response.get_data(as_text=True))
    assert match, "the page has no CSRF token"
    return match.group(1)


def sign_in(client, user, password=PASSWORD):
    """Sign in through the real form. Returns a CSRF token for later POSTs."""
    token = csrf_token_from(client.get("/login"))
    response = client.post(
        "/login", data={"email": user.email, "password": password, "csrf_token": token}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return csrf_token_from(client.get("/admin/user/new/")) if user.is_hr else token


@pytest.fixture
def scenario(app):
    from models import Council, Objective, Officer, OfficerAppraiser, OfficerCouncil, Priority

    def user(name, email, role="staff"):
        return create_user(email=email, name=name, role=role, password=PASSWORD)

    north = Council.create(name="North Vale District Council", short_name="NVDC")
    south = Council.create(name="South Downs Borough Council", short_name="SDBC")
    people = SimpleNamespace(
        north=north,
        south=south,
        hr=user("Hannah Reed", "hannah.reed@northvale.gov.uk", "hr"),
        leader_north=user("Cllr Lena North", "leader@northvale.gov.uk"),
        leader_south=user("Cllr Sam South", "leader@southdowns.gov.uk"),
        deputy_north=user("Cllr Dev North", "deputy@northvale.gov.uk"),
        jce_user=user("Jo Chambers", "jo.chambers@northvale.gov.uk"),
        director_user=user("Dan Morris", "dan.morris@northvale.gov.uk"),
        other_director_user=user("Olu Adeyemi", "olu.adeyemi@southdowns.gov.uk"),
        councillor=user("Cllr Carol Webb", "carol.webb@northvale.gov.uk", "councillor"),
    )
    people.jce = Officer.create(user=people.jce_user, post_title="Joint Chief Executive",
                                statutory_role="head of paid service")
    people.director = Officer.create(user=people.director_user, post_title="Director of Place")
    people.other_director = Officer.create(
        user=people.other_director_user, post_title="Director of Resources", statutory_role="s151"
    )
    for council in (north, south):
        OfficerCouncil.create(officer=people.jce, council=council)
    OfficerCouncil.create(officer=people.director, council=north)
    OfficerCouncil.create(officer=people.other_director, council=south)
    OfficerAppraiser.create(officer=people.jce, user=people.leader_north, capacity="leader", council=north)
    OfficerAppraiser.create(officer=people.jce, user=people.leader_south, capacity="leader", council=south)
    OfficerAppraiser.create(officer=people.jce, user=people.deputy_north, capacity="deputy leader",
                            council=north)
    OfficerAppraiser.create(officer=people.director, user=people.jce_user, capacity="line manager")
    OfficerAppraiser.create(officer=people.other_director, user=people.leader_south,
                            capacity="line manager")

    people.priority_north = Priority.create(council=north, reference="NV1", title="Thriving town centres")
    people.collaboration = Priority.create(reference="C1", title="One shared workforce")
    people.jce_cycle = create_cycle(people.jce, 2026)
    people.director_cycle = create_cycle(people.director, 2026)
    people.agreed_objective = Objective.create(
        cycle=people.jce_cycle, category="corporate", council=north, priority=people.priority_north,
        title="Reopen the market hall", measure="Open by 30 Sep 2026", target_date=date(2026, 9, 30),
        status="agreed", published=True,
    )
    people.draft_objective = Objective.create(
        cycle=people.jce_cycle, category="collaboration", priority=people.collaboration,
        title="Merge the two HR teams", status="draft",
    )
    return people


def add_one_of_every_record(scenario, number=0):
    """A meeting of the Joint Chief Executive's with one of every record
    that hangs off it (attendee, action, assessment, attachment, agreement),
    and a development need, a Council meeting, an email and an audit event.
    Call it again with another `number` for another set."""
    from models import (
        Action,
        Agreement,
        Assessment,
        Attachment,
        AuditEvent,
        CouncilMeeting,
        DevelopmentNeed,
        Meeting,
        MeetingAttendee,
        OutboxEmail,
    )

    meeting = Meeting.create(cycle=scenario.jce_cycle, kind="annual agreement",
                             held_on=date(2026, 3, 20 - number), role_of_officer="Lead both councils")
    MeetingAttendee.create(meeting=meeting, user=scenario.leader_north)
    Action.create(meeting=meeting, description="Publish the joint workforce plan",
                  owner=scenario.jce_user, due_date="2026-06-30")
    Assessment.create(objective=scenario.agreed_objective, meeting=meeting, rating="on track",
                      evidence="Contractor appointed")
    DevelopmentNeed.create(cycle=scenario.jce_cycle, need="Commercial awareness")
    CouncilMeeting.create(council=scenario.north, meets_on=date(2026, 4, 15 + number))
    Attachment.create(officer=scenario.jce, meeting=meeting, original_name="record.pdf",
                      stored_name=f"a1b2c3-{number}", content_type="application/pdf", size=1024,
                      sha256="0" * 64, personal_file=True, uploaded_by=scenario.hr)
    Agreement.create(cycle=scenario.jce_cycle, meeting=meeting, party=scenario.leader_north,
                     content_hash="1" * 64, token_hash=f"{number:02}" * 32, expires_at=datetime(2026, 12, 8))
    OutboxEmail.create(recipient=scenario.leader_north.email, subject="Please agree",
                       body_text="Please agree the record.")
    AuditEvent.create(user=scenario.hr, actor=scenario.hr.name, action="create",
                      model="meeting", record_id=str(meeting.id))


def add_officers(count, appraiser, start=1, year=None):
    """`count` more active officers, "Officer 01" and on, appraised by
    `appraiser`, each with a cycle (and its steps, objectives and a
    meeting) when `year` is given."""
    from models import Meeting, Objective, Officer, OfficerAppraiser, User

    officers = []
    for n in range(start, start + count):
        user = User.create(name=f"Officer {n:02d}", email=f"officer{n}@northvale.gov.uk", password_hash="!")
        officer = Officer.create(user=user, post_title=f"Head of Service {n}")
        OfficerAppraiser.create(officer=officer, user=appraiser, capacity="line manager")
        if year:
            cycle = create_cycle(officer, year)
            Objective.create(cycle=cycle, category="personal", title=f"Objective {n}", status="agreed")
            Meeting.create(cycle=cycle, kind="informal review", held_on=date(year, 5, 1))
        officers.append(officer)
    return officers


@pytest.fixture
def queries_run(app, monkeypatch):
    """queries_run(action): calls action() and returns (the SQL statements
    it ran, what it returned), counted where peewee sends every query."""
    counted = []
    original = db.obj.execute_sql

    def counting(sql, params=None, *args, **kwargs):
        counted.append(sql)
        return original(sql, params, *args, **kwargs)

    monkeypatch.setattr(db.obj, "execute_sql", counting)

    def run(action):
        counted.clear()
        result = action()
        return len(counted), result

    return run


@pytest.fixture
def mail_server(app):
    """A real SMTP server on localhost, and the app sending through it."""
    server = MailServer()
    server.start()
    app.config.update(MAIL_SERVER=server.host, MAIL_PORT=server.port, MAIL_SUPPRESS_SEND=False,
                      MAIL_TIMEOUT=2)
    # Flask-Mail read its settings when the app was made.
    state = app.extensions["mail"]
    state.server, state.port, state.suppress = server.host, server.port, False
    yield server
    server.stop()


@pytest.fixture
def annual_meeting(scenario):
    """The Joint Chief Executive's annual agreement meeting: a draft with
    every heading written, attendees and two actions."""
    from models import Action, Meeting, MeetingAttendee

    meeting = Meeting.create(
        cycle=scenario.jce_cycle, kind="annual agreement", held_on=date(2026, 3, 20),
        location="Council Chamber, North Vale",
        role_of_officer="Head of paid service for both councils.",
        achievements="The market hall business case was approved.",
        improvements="Earlier sight of reports for both Leaders.",
        key_issues="The shared workforce plan; the May elections.",
        development_needs="Leading through political change: LGA course.",
        outcomes="Objectives for 2026 agreed in principle; six-month review in September.",
    )
    for person in (scenario.jce_user, scenario.leader_north, scenario.leader_south):
        MeetingAttendee.create(meeting=meeting, user=person)
    Action.create(meeting=meeting, description="Publish the joint workforce plan",
                  owner=scenario.jce_user, due_date=date(2026, 6, 30))
    Action.create(meeting=meeting, description="Book the LGA Leadership Academy",
                  owner=scenario.hr, due_date=date(2026, 4, 30))
    return meeting



@pytest.fixture
def links(scenario, annual_meeting, mail_server):
    """The annual meeting sent for agreement by HR; each party's link (its
    path), from the real email."""
    from services.agreement.records import MeetingRecord
    from services.agreement.workflow import submit_for_agreement
    from services.mail.outbox import send_pending
    from tests.mailserver import link_in

    submit_for_agreement(MeetingRecord(annual_meeting), requested_by=scenario.hr)
    send_pending()
    return {party: urlsplit(link_in(mail_server.only_message_to(party.email))).path
            for party in (scenario.jce_user, scenario.leader_north, scenario.leader_south)}
