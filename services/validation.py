"""Business rules a record must meet before it is saved, whichever way it
arrives (admin form, command, import). Each rule returns messages keyed by
field name so a form can show them next to the field."""
import re

from peewee import CharField, TextField

from formatting import uk_date
from models import Action, Cycle, Meeting, Objective, Priority, Step, User
from models.user import normalise_email
from services.text import text_problem

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def record_problems(record):
    """Everything wrong with `record` as it stands, as {field: message}.
    Text no field may hold is named before anything is looked up by it (a
    NUL would fail the query on PostgreSQL); then the model's own rule
    speaks first: it can say what a clash means."""
    unstorable = _unstorable_text(record)
    if unstorable:
        return unstorable
    rule = RULES.get(type(record))
    problems = dict(rule(record)) if rule else {}
    for general in (record.invalid_choices(), _too_long(record), _duplicates(record)):
        for field, message in general.items():
            problems.setdefault(field, message)
    return problems


def _unstorable_text(record):
    """A one-line field (CharField) takes no line break or control
    character, a multi-line one (TextField) keeps its tabs and line breaks."""
    problems = {}
    for field in record._meta.sorted_fields:
        if isinstance(field, (CharField, TextField)) and not field.primary_key:
            problem = text_problem(getattr(record, field.name, None), one_line=isinstance(field, CharField))
            if problem:
                problems[field.name] = problem
    return problems


def _too_long(record):
    problems = {}
    for field in record._meta.sorted_fields:
        value = getattr(record, field.name, None) if not field.primary_key else None
        if isinstance(field, CharField) and isinstance(value, str) and len(value) > field.max_length:
            problems[field.name] = f"Use at most {field.max_length} characters."
    return problems


def _duplicates(record):
    """Unique columns and unique groups of columns, checked before the
    database would refuse them, so the message can say what clashes."""
    model = type(record)
    groups = [((field.name,),) for field in model._meta.sorted_fields if field.unique]
    groups += [(tuple(columns),) for columns, unique in model._meta.indexes if unique]
    problems = {}
    for (columns,) in groups:
        fields = [model._meta.fields[name] for name in columns]
        condition = None
        for field in fields:
            value = getattr(record, field.name)
            if hasattr(value, "id"):
                value = value.id
            if value is None:
                break
            clause = field == value
            condition = clause if condition is None else condition & clause
        else:
            if _others(record).where(condition).exists():
                label = " and ".join((f.verbose_name or f.name.replace("_", " ")).lower() for f in fields)
                problems[columns[-1]] = f"Another record already has this {label}."
    return problems


def _user(user):
    problems = {}
    email = normalise_email(user.email) or ""
    if not EMAIL_PATTERN.match(email):
        problems["email"] = "Enter an email address like name@council.gov.uk."
    elif _others(user).where(User.email == email).exists():
        problems["email"] = f"An account for {email} already exists."
    if not (user.name or "").strip():
        problems["name"] = "Enter the person's name."
    return problems


def _others(record):
    """Every row of the record's table but its own."""
    model = type(record)
    return model.select() if record.id is None else model.select().where(model.id != record.id)


def _cycle(cycle):
    if cycle.period_start and cycle.period_end and cycle.period_end <= cycle.period_start:
        return {"period_end": "The period must end after it starts."}
    return {}


def _within_cycle(cycle, day, field, what):
    if cycle and day and not (cycle.period_start <= day <= cycle.period_end):
        return {field: f"{what} must fall within the cycle "
                       f"({uk_date(cycle.period_start)} to {uk_date(cycle.period_end)})."}
    return {}


def _objective(objective):
    problems = {}
    cycle = Cycle.get_or_none(Cycle.id == objective.cycle_id) if objective.cycle_id else None
    problems.update(_within_cycle(cycle, objective.target_date, "target_date", "The target date"))
    if objective.category == "corporate" and not objective.council_id:
        problems["council"] = "A corporate objective names the council whose plan it serves."
    if objective.category != "corporate" and objective.council_id:
        problems["council"] = "Only corporate objectives belong to one council."
    if objective.priority_id:
        priority = Priority.get_by_id(objective.priority_id)
        if objective.category == "corporate" and priority.council_id != objective.council_id:
            problems["priority"] = "Choose a priority from that council's corporate plan."
        if objective.category == "collaboration" and priority.council_id is not None:
            problems["priority"] = "Choose one of the collaboration's objectives."
    return problems


def _meeting(meeting):
    if meeting.supersedes_id and meeting.supersedes_id == meeting.id:
        return {"supersedes": "A record cannot supersede itself."}
    return {}


def _action(action):
    if action.due_date and action.meeting_id:
        meeting = Meeting.get_or_none(Meeting.id == action.meeting_id)
        if meeting and action.due_date < meeting.held_on:
            return {"due_date": "An action cannot fall due before the meeting that set it."}
    return {}


def _step(step):
    cycle = Cycle.get_or_none(Cycle.id == step.cycle_id) if step.cycle_id else None
    if step.done_on and cycle and step.done_on < cycle.period_start:
        return {"done_on": "A step cannot be done before its cycle starts."}
    return {}


RULES = {
    User: _user,
    Cycle: _cycle,
    Objective: _objective,
    Meeting: _meeting,
    Action: _action,
    Step: _step,
}
