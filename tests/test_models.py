"""What the database itself guarantees about the records, whichever way
they are written: unique emails, required columns, deletes that never take
confidential records with them, an append-only audit trail, and indexes on
the columns every list filters and joins on."""
from datetime import date

import pytest
from peewee import ForeignKeyField, IntegrityError

from models import (
    ALL_MODELS,
    Action,
    Agreement,
    Assessment,
    Attachment,
    AuditEvent,
    Council,
    Cycle,
    DevelopmentNeed,
    Meeting,
    MeetingAttendee,
    Objective,
    Officer,
    OfficerAppraiser,
    OfficerCouncil,
    Step,
    User,
    db,
)
from services.people.accounts import AccountError, create_user
from services.year.timetable import create_cycle
from tests.conftest import PASSWORD


def row_counts():
    return {model.__name__: model.select().count() for model in ALL_MODELS}


def refused_delete(record):
    """Try to delete `record` the way any code would; return the error."""
    with pytest.raises(IntegrityError) as error, db.atomic():
        record.delete_instance()
    return error.value


def meeting_for(cycle, **fields):
    values = {"cycle": cycle, "kind": "annual agreement", "held_on": date(2026, 3, 20)}
    values.update(fields)
    return Meeting.create(**values)


# -- unique email, whatever its case ------------------------------------


def test_email_is_stored_in_lower_case(app):
    user = User.create(name="Ann Able", email="  Ann.Able@NorthVale.gov.uk ", password_hash="x",
                       role="staff")
    assert User.get_by_id(user.id).email == "ann.able@northvale.gov.uk"


def test_email_is_unique_whatever_its_case(app):
    User.create(name="First", email="A@x.gov.uk", password_hash="x", role="staff")
    with pytest.raises(IntegrityError), db.atomic():
        User.create(name="Second", email="a@X.gov.uk", password_hash="x", role="staff")
    assert [(u.name, u.email) for u in User.select()] == [("First", "a@x.gov.uk")]


def test_create_user_refuses_an_email_that_differs_only_in_case(app):
    create_user(email="A@x.gov.uk", name="First", role="staff", password=PASSWORD)
    with pytest.raises(AccountError, match="already exists"):
        create_user(email="a@X.gov.uk", name="Second", role="staff", password=PASSWORD)
    assert [u.name for u in User.select()] == ["First"]


def test_the_database_refuses_an_email_that_differs_only_in_case_even_bypassing_save(app):
    User.create(name="First", email="a@x.gov.uk", password_hash="x", role="staff")
    with pytest.raises(IntegrityError), db.atomic():
        User.insert(name="Second", email="A@X.gov.uk", password_hash="x", role="staff").execute()
    second = User.create(name="Second", email="b@x.gov.uk", password_hash="x", role="staff")
    with pytest.raises(IntegrityError), db.atomic():
        User.update(email="A@x.GOV.uk").where(User.id == second.id).execute()
    assert sorted(u.email for u in User.select()) == ["a@x.gov.uk", "b@x.gov.uk"]


def test_a_lookup_by_email_ignores_case(app):
    user = User.create(name="Ann Able", email="ann@x.gov.uk", password_hash="x", role="staff")
    assert User.get(User.email == "ANN@X.gov.uk").id == user.id


# -- required columns are NOT NULL in the database -----------------------


def complete_values(kind, scenario):
    """Everything a valid record of `kind` needs."""
    if kind == "objective":
        return Objective, {"cycle": scenario.jce_cycle, "category": "personal", "title": "Learn Welsh"}
    if kind == "meeting":
        return Meeting, {"cycle": scenario.jce_cycle, "kind": "informal review",
                         "held_on": date(2026, 5, 1)}
    if kind == "assessment":
        return Assessment, {"objective": scenario.agreed_objective, "rating": "on track"}
    if kind == "cycle":
        return Cycle, {"officer": scenario.other_director, "year": 2026,
                       "period_start": date(2026, 1, 1), "period_end": date(2026, 12, 31)}
    if kind == "action":
        return Action, {"meeting": meeting_for(scenario.jce_cycle), "description": "Write it up"}
    if kind == "development need":
        return DevelopmentNeed, {"cycle": scenario.jce_cycle, "need": "Commercial awareness"}
    if kind == "user":
        return User, {"name": "New Person", "email": "new.person@northvale.gov.uk",
                      "password_hash": "x", "role": "staff"}
    if kind == "council":
        return Council, {"name": "East Fen District Council", "short_name": "EFDC"}
    raise AssertionError(kind)


@pytest.mark.parametrize(
    ("kind", "field"),
    [
        ("objective", "title"),
        ("objective", "cycle"),
        ("objective", "category"),
        ("meeting", "held_on"),
        ("meeting", "kind"),
        ("meeting", "cycle"),
        ("assessment", "rating"),
        ("assessment", "objective"),
        ("cycle", "officer"),
        ("cycle", "period_start"),
        ("cycle", "period_end"),
        ("action", "description"),
        ("action", "meeting"),
        ("development need", "need"),
        ("user", "name"),
        ("user", "password_hash"),
        ("user", "role"),
        ("council", "name"),
    ],
)
def test_a_required_column_cannot_be_left_empty(scenario, kind, field):
    model, values = complete_values(kind, scenario)
    # The complete record is accepted, so the missing value is the only problem below.
    with db.atomic() as transaction:
        model.create(**values)
        transaction.rollback()
    before = row_counts()

    if model._meta.fields[field].default is None:  # a column with a default is never left out
        left_out = {name: value for name, value in values.items() if name != field}
        with pytest.raises(IntegrityError) as error, db.atomic():
            model.create(**left_out)
        assert "null" in str(error.value).lower()

    with pytest.raises(IntegrityError) as error, db.atomic():
        model.create(**{**values, field: None})
    assert "null" in str(error.value).lower()
    assert row_counts() == before


def test_a_user_cannot_be_saved_without_an_email(app):
    with pytest.raises(IntegrityError), db.atomic():
        User.create(name="No Email", password_hash="x", role="staff")
    assert User.select().count() == 0


def test_every_column_the_models_require_is_not_null_in_the_database(app):
    for model in ALL_MODELS:
        table = model._meta.table_name
        nullable = {column.name: column.null for column in db.get_columns(table)}
        for field in model._meta.sorted_fields:
            assert nullable[field.column_name] == field.null, f"{table}.{field.column_name}"


# -- deletes never take other records with them --------------------------


def test_an_objective_with_an_assessment_cannot_be_deleted(scenario):
    Assessment.create(objective=scenario.agreed_objective, rating="on track", evidence="Contract let")
    before = row_counts()
    refused_delete(scenario.agreed_objective)
    assert row_counts() == before
    assert Objective.get_by_id(scenario.agreed_objective.id).title == "Reopen the market hall"


def test_an_objective_without_assessments_can_be_deleted(scenario):
    scenario.draft_objective.delete_instance()
    assert not Objective.select().where(Objective.id == scenario.draft_objective.id).exists()


def test_a_meeting_with_actions_cannot_be_deleted(scenario):
    meeting = meeting_for(scenario.jce_cycle)
    Action.create(meeting=meeting, description="Publish the workforce plan", owner=scenario.jce_user)
    before = row_counts()
    refused_delete(meeting)
    assert row_counts() == before


def test_a_meeting_with_assessments_cannot_be_deleted(scenario):
    meeting = meeting_for(scenario.jce_cycle)
    Assessment.create(objective=scenario.agreed_objective, meeting=meeting, rating="on track")
    before = row_counts()
    refused_delete(meeting)
    assert row_counts() == before


def test_a_meeting_that_a_later_version_supersedes_cannot_be_deleted(scenario):
    original = meeting_for(scenario.jce_cycle, status="agreed")
    meeting_for(scenario.jce_cycle, version=2, supersedes=original)
    before = row_counts()
    refused_delete(original)
    assert row_counts() == before


def test_a_meeting_with_only_attendees_is_deleted_with_its_attendee_list(scenario):
    meeting = meeting_for(scenario.jce_cycle)
    MeetingAttendee.create(meeting=meeting, user=scenario.leader_north)
    MeetingAttendee.create(meeting=meeting, user=scenario.jce_user)
    meeting.delete_instance()
    assert not Meeting.select().where(Meeting.id == meeting.id).exists()
    assert MeetingAttendee.select().count() == 0
    # the people themselves are untouched
    assert User.select().where(User.id == scenario.leader_north.id).exists()


def test_a_cycle_with_objectives_cannot_be_deleted_and_keeps_its_steps(scenario):
    cycle = scenario.jce_cycle
    steps = cycle.steps.count()
    assert steps > 0
    before = row_counts()
    refused_delete(cycle)
    assert row_counts() == before
    assert Step.select().where(Step.cycle == cycle).count() == steps


@pytest.mark.parametrize("dependant", ["meeting", "development need", "agreement"])
def test_a_cycle_with_other_records_cannot_be_deleted(scenario, dependant):
    cycle = create_cycle(scenario.other_director, 2027)
    if dependant == "meeting":
        meeting_for(cycle, held_on=date(2027, 3, 1))
    elif dependant == "development need":
        DevelopmentNeed.create(cycle=cycle, need="Coaching skills")
    else:
        Agreement.create(cycle=cycle, party=scenario.leader_south, content_hash="a" * 64,
                         token_hash="b" * 64, expires_at=date(2027, 4, 1))
    before = row_counts()
    refused_delete(cycle)
    assert row_counts() == before


def test_a_cycle_with_nothing_but_its_steps_is_deleted_with_its_steps(scenario):
    cycle = create_cycle(scenario.other_director, 2027)
    step_ids = [step.id for step in cycle.steps]
    assert step_ids
    other_steps = Step.select().where(Step.cycle != cycle).count()
    cycle.delete_instance()
    assert not Cycle.select().where(Cycle.id == cycle.id).exists()
    assert not Step.select().where(Step.id.in_(step_ids)).exists()
    assert Step.select().count() == other_steps


def test_an_officer_with_cycles_cannot_be_deleted(scenario):
    before = row_counts()
    refused_delete(scenario.director)
    assert row_counts() == before


def test_an_officer_with_attachments_cannot_be_deleted(scenario):
    Attachment.create(officer=scenario.other_director, original_name="cv.pdf", stored_name="abc123",
                      content_type="application/pdf", size=10, sha256="0" * 64)
    before = row_counts()
    refused_delete(scenario.other_director)
    assert row_counts() == before


def test_an_officer_without_cycles_is_deleted_with_their_council_and_appraiser_links(scenario):
    officer = scenario.other_director
    assert officer.council_links.count() == 1
    assert officer.appraiser_links.count() == 1
    officer.delete_instance()
    assert not Officer.select().where(Officer.id == officer.id).exists()
    assert not OfficerCouncil.select().where(OfficerCouncil.officer == officer.id).exists()
    assert not OfficerAppraiser.select().where(OfficerAppraiser.officer == officer.id).exists()
    # the account, the council and the appraiser stay
    assert User.select().where(User.id == scenario.other_director_user.id).exists()
    assert Council.select().where(Council.id == scenario.south.id).exists()
    assert User.select().where(User.id == scenario.leader_south.id).exists()


def test_a_user_who_is_an_officer_or_appraiser_cannot_be_deleted(scenario):
    before = row_counts()
    refused_delete(scenario.jce_user)  # an officer, and the director's line manager
    refused_delete(scenario.leader_south)  # appraises the JCE
    assert row_counts() == before


def test_a_council_with_officers_or_priorities_cannot_be_deleted(scenario):
    before = row_counts()
    refused_delete(scenario.north)
    assert row_counts() == before


# -- the audit trail is append-only -----------------------------------


def test_an_audit_event_cannot_be_changed(scenario):
    event = AuditEvent.create(user=scenario.hr, actor="Hannah Reed", action="update",
                              model="objective", record_id=str(scenario.agreed_objective.id),
                              changes='{"title": ["Old", "New"]}')
    event.changes = "nothing happened"
    with pytest.raises(PermissionError):
        event.save()
    stored = AuditEvent.get_by_id(event.id)
    stored.action = "view-confidential"
    with pytest.raises(PermissionError):
        stored.save()
    stored = AuditEvent.get_by_id(event.id)
    assert (stored.action, stored.changes) == ("update", '{"title": ["Old", "New"]}')


def test_an_audit_event_cannot_be_deleted(scenario):
    event = AuditEvent.create(user=scenario.hr, actor="Hannah Reed", action="login")
    with pytest.raises(PermissionError):
        event.delete_instance()
    with pytest.raises(PermissionError):
        AuditEvent.get_by_id(event.id).delete_instance()
    assert AuditEvent.select().where(AuditEvent.id == event.id).exists()


def test_an_audit_event_keeps_its_user_from_being_deleted(scenario):
    councillor = scenario.councillor
    AuditEvent.create(user=councillor, actor=councillor.name, action="login")
    refused_delete(councillor)
    assert User.select().where(User.id == councillor.id).exists()


# -- choices ------------------------------------------------------------


def test_invalid_choices_flags_a_value_that_is_not_one_of_the_choices(app):
    objective = Objective(category="strategic", status="finished", title="x")
    problems = objective.invalid_choices()
    assert set(problems) == {"category", "status"}
    assert "corporate" in problems["category"] and "personal" in problems["category"]
    assert "agreed" in problems["status"]


def test_invalid_choices_accepts_every_declared_choice(app):
    for model in ALL_MODELS:
        for field in model.choice_fields():
            for value, _label in field.choices:
                record = model(**{field.name: value})
                assert field.name not in record.invalid_choices(), (model.__name__, field.name, value)


def test_invalid_choices_allows_empty_only_where_the_column_may_be_empty(app):
    assert "decision" not in Agreement(decision=None).invalid_choices()  # nullable: not decided yet
    assert "rating" in Assessment(rating=None).invalid_choices()
    assert "role" in User(role=None).invalid_choices()
    assert "role" in User(role="HR").invalid_choices()  # case matters: stored values are exact


# -- indexes ------------------------------------------------------------


def leading_index_columns(table):
    """Columns some index can be searched by: the first column of each."""
    return {index.columns[0].strip('"') for index in db.get_indexes(table) if index.columns}


@pytest.mark.parametrize(
    ("table", "column"),
    [
        ("objective", "status"),
        ("objective", "cycle_id"),
        ("objective", "category"),
        ("objective", "published"),
        ("objective", "target_date"),
        ("meeting", "held_on"),
        ("meeting", "status"),
        ("meeting", "cycle_id"),
        ("step", "due_date"),
        ("step", "done_on"),
        ("step", "cycle_id"),
        ("cycle", "officer_id"),
        ("cycle", "status"),
        ("action", "due_date"),
        ("assessment", "objective_id"),
        ("agreement", "expires_at"),
        ("outbox_email", "sent_at"),
        ("audit_event", "at"),
        ("user", "email"),
        ("user", "role"),
        ("officer", "active"),
        ("officer", "leaving_date"),
    ],
)
def test_a_column_that_lists_filter_or_join_on_is_indexed(app, table, column):
    assert column in leading_index_columns(table)


def test_every_foreign_key_is_indexed(app):
    missing = []
    for model in ALL_MODELS:
        table = model._meta.table_name
        indexed = leading_index_columns(table)
        for field in model._meta.sorted_fields:
            if isinstance(field, ForeignKeyField) and field.column_name not in indexed:
                missing.append(f"{table}.{field.column_name}")
    assert missing == []


def test_the_email_index_is_unique(app):
    assert any(index.unique and index.columns == ["email"] for index in db.get_indexes("user"))
