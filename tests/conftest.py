"""A small, real scenario shared by the tests: two councils in a joint
arrangement, their Leaders (each with a Deputy), a Joint Chief Executive
appraised by both Leaders, a director line-managed by the JCE, an unrelated
director, HR and a councillor.

The suite runs against `DATABASE_URL` when it is set (PostgreSQL or
MariaDB in CI), otherwise against a throw-away SQLite file; each pytest-xdist worker on a
database of its own. The app is made and the schema built (by the
migrations) once per worker; the tables are emptied before every test."""
import contextvars
import os
import shutil
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from peewee import PostgresqlDatabase, SqliteDatabase, fn
from playhouse.db_url import connect
from playhouse.test_utils import count_queries

from app import create_app
from config import TestingConfig
from models import ALL_MODELS, db
from services import schema
from services.year.timetable import create_cycle, ensure_default_timetable
from tests.factories import (
    CSRF_INPUT,
    PASSWORD,
    csrf_token_from,
    make_appraiser,
    make_officer,
    make_user,
    sign_in_as,
)
from tests.mailserver import MailServer

__all__ = ["CSRF_INPUT", "PASSWORD", "csrf_token_from", "sign_in"]

# The name the tests written before the factories use.
sign_in = sign_in_as


class RequestIsolatingClient(FlaskClient):
    """Each request as in production: in an app context of its own, with a
    fresh `g` (so two clients are two people, and a user switched off is
    reloaded), and on a database connection of its own, whatever the test
    holds open around it."""

    def open(self, *args, **kwargs):
        if not db.is_closed() and not db.in_transaction():
            db.close()
        # An empty context hides the test's app context, so Flask pushes one for the
        # request; a streamed body is read in it too (buffered), while the request's is current.
        return contextvars.Context().run(super().open, *args, **{**kwargs, "buffered": True})


# For the app the fixtures make and for every app a test makes itself.
Flask.test_client_class = RequestIsolatingClient


def worker_database(url, worker):
    """The database of this pytest-xdist worker: DATABASE_URL's own name with
    the worker's after it, created when it is missing."""
    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_{worker}"
    server = connect(url)
    with server.connection_context():
        if isinstance(server, PostgresqlDatabase):
            if not server.execute_sql("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
                server.execute_sql(f'CREATE DATABASE "{name}"')
            # A scratch database need not wait for each commit to reach the disk
            # (locks and isolation are unchanged): a sixth off the suite's time.
            server.execute_sql(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
        else:
            server.execute_sql(f"CREATE DATABASE IF NOT EXISTS `{name}`")
    return urlunsplit(parts._replace(path=f"/{name}"))


# The day the suite's dates were written around: every test starts on it, and
# its clock ticks on from there, so the tests mean the same whatever the real date.
TODAY = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def clock():
    """The clock every clock in the process reads (the app's, Flask's session
    expiry, threads'): time-machine moves them all. `clock.shift(timedelta)`
    instead of sleeping."""
    with time_machine.travel(TODAY, tick=True) as traveller:
        yield traveller


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = os.environ.get("DATABASE_URL")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url:
        # Each xdist worker has a temporary folder of its own.
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'appraise-test.sqlite3'}"
    return worker_database(url, worker) if worker else url


@pytest.fixture(scope="session")
def _session_app(database_url):
    """The app, made once (registering Flask-Admin's views is most of what
    making it costs), and its database, whose schema is built once: whatever
    an earlier run left is dropped first."""
    app = create_app(TestingConfig, {"DATABASE_URL": database_url})
    with app.app_context(), db.connection_context():
        db.drop_tables(ALL_MODELS, safe=True, cascade=not isinstance(db.obj, SqliteDatabase))
        db.execute_sql('DROP TABLE IF EXISTS migratehistory')
        schema.upgrade()
    return app, db.obj


@pytest.fixture
def app(_session_app, tmp_path):
    """The app on an emptied database, in an app context for the test's own
    code; what the test changes in its config is undone afterwards."""
    app, database = _session_app
    config, mail = dict(app.config), vars(app.extensions["mail"]).copy()
    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    # A test that made an app of its own bound `db` to that app's database.
    db.initialize(database)
    with app.app_context():
        empty_all_tables()
        ensure_default_timetable()
        yield app
    for open_database in {db.obj, database}:
        if not open_database.is_closed():
            open_database.close()
    db.initialize(database)
    app.config.clear()
    app.config.update(config)
    vars(app.extensions["mail"]).update(mail)


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


@pytest.fixture(scope="session")
def _demo_snapshot(_session_app, tmp_path_factory):
    """The demonstration seeded once: every row, and its uploaded files."""
    from demo.seeding import seed_demo

    uploads = tmp_path_factory.mktemp("demo-uploads")
    app, _database = _session_app
    config = dict(app.config)
    app.config["UPLOAD_DIR"] = str(uploads)
    # Seeded a minute before the tests' clock starts: its emails are due in every test.
    with time_machine.travel(TODAY - timedelta(minutes=1)), app.app_context():
        empty_all_tables()
        ensure_default_timetable()
        seed_demo()
        rows = {model: list(model.select().order_by(model._meta.primary_key).tuples())
                for model in ALL_MODELS}
    app.config.update(config)
    return rows, uploads


@pytest.fixture
def demo(app, _demo_snapshot):
    """The demonstration installation (`flask seed-demo`), restored from the
    session's copy: its records, and its files in the upload folder."""
    rows, uploads = _demo_snapshot
    with db.atomic():
        empty_all_tables()
        for model in ALL_MODELS:
            if rows[model]:
                model.insert_many(rows[model], fields=model._meta.sorted_fields).execute()
    if isinstance(db.obj, PostgresqlDatabase):
        for model in ALL_MODELS:  # new rows are numbered after the restored ones
            key = model._meta.primary_key
            db.execute_sql("SELECT setval(pg_get_serial_sequence(%s, %s), %s, false)",
                           (f'"{model._meta.table_name}"', key.column_name,
                            (model.select(fn.MAX(key)).scalar() or 0) + 1))
    shutil.copytree(uploads, app.config["UPLOAD_DIR"], dirs_exist_ok=True)
    return app


@pytest.fixture
def scenario(app):
    from models import Council, Objective, Priority

    north = Council.create(name="North Vale District Council", short_name="NVDC")
    south = Council.create(name="South Downs Borough Council", short_name="SDBC")
    people = SimpleNamespace(
        north=north,
        south=south,
        hr=make_user("Hannah Reed", "hannah.reed@northvale.gov.uk", "hr"),
        leader_north=make_user("Cllr Lena North", "leader@northvale.gov.uk"),
        leader_south=make_user("Cllr Sam South", "leader@southdowns.gov.uk"),
        deputy_north=make_user("Cllr Dev North", "deputy@northvale.gov.uk"),
        jce_user=make_user("Jo Chambers", "jo.chambers@northvale.gov.uk"),
        director_user=make_user("Dan Morris", "dan.morris@northvale.gov.uk"),
        other_director_user=make_user("Olu Adeyemi", "olu.adeyemi@southdowns.gov.uk"),
        councillor=make_user("Cllr Carol Webb", "carol.webb@northvale.gov.uk", "councillor"),
    )
    people.jce = make_officer(people.jce_user, "Joint Chief Executive", (north, south),
                              statutory_role="head of paid service")
    people.director = make_officer(people.director_user, "Director of Place", (north,))
    people.other_director = make_officer(people.other_director_user, "Director of Resources", (south,),
                                         statutory_role="s151")
    make_appraiser(people.jce, people.leader_north, "leader", north)
    make_appraiser(people.jce, people.leader_south, "leader", south)
    make_appraiser(people.jce, people.deputy_north, "deputy leader", north)
    make_appraiser(people.director, people.jce_user, "line manager")
    make_appraiser(people.other_director, people.leader_south, "line manager")

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
def queries_run(app):
    """queries_run(action): calls action() and returns (the number of SQL
    statements it ran, what it returned), as peewee's count_queries counts them."""
    def run(action):
        with count_queries() as counted:
            result = action()
        return counted.count, result

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
