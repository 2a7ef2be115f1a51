"""Who may see and do what: the one place that decides it. Every admin
view, export, lookup, download and custom page asks here.

HR sees and edits everything. What a staff user may do with an officer's
records follows from their relationship to that officer: an appraiser (a
Leader of a Joint Chief Executive, or a line manager) or the officer
themself. A councillor sees agreed, published objectives only. Nobody edits
a record that is out for agreement or agreed, HR included."""
from typing import NamedTuple

from flask import g, has_request_context
from peewee import SQL, Value

from models import (
    Action,
    Agreement,
    Assessment,
    Attachment,
    AuditEvent,
    Cycle,
    DevelopmentNeed,
    Meeting,
    MeetingAttendee,
    Objective,
    Officer,
    OfficerAppraiser,
    OfficerCouncil,
    OutboxEmail,
    Step,
    User,
)
from services.agreement.records import OPEN_MEETING_STATUSES, objectives_awaiting_agreement
from services.agreement.workflow import is_locked

VIEW, CREATE, EDIT, DELETE, EXPORT = "view", "create", "edit", "delete", "export"
ALL = frozenset({VIEW, CREATE, EDIT, DELETE})
READ = frozenset({VIEW})
APPRAISER, SELF = "appraiser", "self"
# Not a relationship that gives rights: a Leader may also make the report to Council.
LEADER = "leader"

# HR does everything, exports included, except that the audit trail is
# append-only, emails and agreements are written by the system, and the
# steps of a year come from the timetable.
HR_EVERYTHING = ALL | {EXPORT}
HR_RIGHTS = {
    AuditEvent: frozenset({VIEW, EXPORT}),
    OutboxEmail: frozenset({VIEW, DELETE, EXPORT}),
    Agreement: frozenset({VIEW, EXPORT}),
    Step: frozenset({VIEW, EDIT, DELETE, EXPORT}),
}

# A councillor sees published objectives (see published_objectives()).
COUNCILLOR_RIGHTS = {Objective: READ}

# What each relationship to an officer allows on that officer's records
# (DESIGN.md, "Who sees what"). Models not listed here are HR's alone.
STAFF_RIGHTS = {
    Officer: {APPRAISER: READ, SELF: READ},
    Cycle: {APPRAISER: READ, SELF: READ},
    Step: {APPRAISER: frozenset({VIEW, EDIT}), SELF: READ},
    Objective: {APPRAISER: ALL, SELF: ALL},  # SELF: drafts only, see draft_only()
    Assessment: {APPRAISER: ALL, SELF: READ},
    Meeting: {APPRAISER: ALL, SELF: READ},
    MeetingAttendee: {APPRAISER: ALL, SELF: READ},
    Action: {APPRAISER: ALL, SELF: READ},
    DevelopmentNeed: {APPRAISER: ALL, SELF: READ},
    Attachment: {APPRAISER: frozenset({VIEW, CREATE}), SELF: READ},
    Agreement: {APPRAISER: READ, SELF: READ},
}

PUBLISHED_STATUSES = ("agreed", "achieved")
NOTHING = SQL("1 = 0")

# Opening one of these is itself recorded in the audit trail.
CONFIDENTIAL_MODELS = (Assessment, Meeting)


# -- relationships --------------------------------------------------------

class OfficerLinks(NamedTuple):
    appraised: frozenset  # ids of the officers this user appraises
    own: frozenset  # ids of the officer records that are this user's own
    leads: bool  # a Leader for someone (who may make the report to Council)


def officer_links(user):
    """How this user is linked to officers, asked in one query and cached
    for the request. The ids go into each row filter as a short list: an
    appraiser has a handful of officers, and the list is cheaper to build
    and to plan than a subquery repeated in every query of the page."""
    cache = g.setdefault("_policy_officer_links", {}) if has_request_context() else {}
    if user.id not in cache:
        rows = list(
            OfficerAppraiser.select(OfficerAppraiser.officer, OfficerAppraiser.capacity)
            .where(OfficerAppraiser.user == user.id)
            .union_all(Officer.select(Officer.id, Value(SELF)).where(Officer.user == user.id))
            .tuples()
        )
        cache[user.id] = OfficerLinks(
            appraised=frozenset(officer for officer, capacity in rows if capacity != SELF),
            own=frozenset(officer for officer, capacity in rows if capacity == SELF),
            leads=any(capacity == "leader" for _officer, capacity in rows),
        )
    return cache[user.id]


def relationships(user):
    """Which relationships the user has to anyone (and whether they lead a
    council for someone)."""
    links = officer_links(user)
    return {relation for relation, present
            in ((APPRAISER, links.appraised), (SELF, links.own), (LEADER, links.leads)) if present}


def relationship_to(user, officer_id):
    links = officer_links(user)
    if officer_id in links.appraised:
        return APPRAISER
    if officer_id in links.own:
        return SELF
    return None


# -- how each kind of record reaches its officer ---------------------------

def cycles_of(officer_ids):
    return Cycle.select(Cycle.id).where(Cycle.officer.in_(officer_ids))


def belongs_to(model, officer_ids):
    """A condition: the rows of `model` that are records of these officers."""
    if model is Officer:
        return Officer.id.in_(officer_ids)
    if model in (Cycle,):
        return Cycle.officer.in_(officer_ids)
    if model in (Attachment, OfficerAppraiser, OfficerCouncil):
        return model.officer.in_(officer_ids)
    if model in (Step, Objective, Meeting, DevelopmentNeed, Agreement):
        return model.cycle.in_(cycles_of(officer_ids))
    if model is Assessment:
        return Assessment.objective.in_(
            Objective.select(Objective.id).where(Objective.cycle.in_(cycles_of(officer_ids)))
        )
    if model in (Action, MeetingAttendee):
        return model.meeting.in_(
            Meeting.select(Meeting.id).where(Meeting.cycle.in_(cycles_of(officer_ids)))
        )
    raise LookupError(f"{model.__name__} is not a record of an officer")


def officer_id_of(record):
    """The officer whose record this is."""
    if isinstance(record, Officer):
        return record.id
    if isinstance(record, (Attachment, OfficerAppraiser, OfficerCouncil)):
        return record.officer_id
    if isinstance(record, Cycle):
        return record.officer_id
    if isinstance(record, (Step, Objective, Meeting, DevelopmentNeed, Agreement)):
        cycle = Cycle.get_or_none(Cycle.id == record.cycle_id)
        return cycle.officer_id if cycle else None
    if isinstance(record, Assessment):
        objective = Objective.get_or_none(Objective.id == record.objective_id)
        return officer_id_of(objective) if objective else None
    if isinstance(record, (Action, MeetingAttendee)):
        meeting = Meeting.get_or_none(Meeting.id == record.meeting_id)
        return officer_id_of(meeting) if meeting else None
    return None


# -- the questions views ask -----------------------------------------------

def signed_in(user):
    return bool(user and user.is_authenticated and user.active)


def can_use_admin_model(user, model, action=VIEW):
    """Might this user `action` some record of `model`? Decides menus and
    whether a view opens at all; the rows themselves are checked by
    visible_rows() and can()."""
    if not signed_in(user):
        return False
    if user.is_hr:
        return action in HR_RIGHTS.get(model, HR_EVERYTHING)
    if user.role == "councillor":
        return action in COUNCILLOR_RIGHTS.get(model, ())
    rights = STAFF_RIGHTS.get(model, {})
    return any(action in rights.get(relation, ()) for relation in relationships(user))


def officers_granting(user, model, action):
    """The officers whose records of `model` this user may `action` by
    their relationship to them: an appraiser's rights for the officers they
    appraise, the officer's own for their own records."""
    links = officer_links(user)
    rights = STAFF_RIGHTS.get(model, {})
    return ((links.appraised if action in rights.get(APPRAISER, ()) else frozenset())
            | (links.own if action in rights.get(SELF, ()) else frozenset()))


def visible_rows(user, model, query):
    """The rows of `model` this user may see, as a narrowing of `query`."""
    if not signed_in(user):
        return query.where(NOTHING)
    if user.is_hr:
        return query
    if model is User and user.role == "staff":
        # The people a picker offers: themself, and everyone on the records
        # of the officers they are linked to.
        links = officer_links(user)
        officer_ids = sorted(links.appraised | links.own)
        return query.where(
            (User.id == user.id)
            | User.id.in_(Officer.select(Officer.user).where(Officer.id.in_(officer_ids)))
            | User.id.in_(
                OfficerAppraiser.select(OfficerAppraiser.user)
                .where(OfficerAppraiser.officer.in_(officer_ids))
            )
        )
    if not can_use_admin_model(user, model, VIEW):
        return query.where(NOTHING)
    if user.role == "councillor":
        return query.where(published_objectives())
    return query.where(belongs_to(model, sorted(officers_granting(user, model, VIEW))))


def published_objectives():
    return Objective.status.in_(PUBLISHED_STATUSES) & (Objective.published == True)  # noqa: E712


def can(user, action, record):
    """May this user `action` this record, as it stands?"""
    model = type(record)
    if not can_use_admin_model(user, model, action):
        return False
    if action in (EDIT, DELETE) and is_locked(record):
        return False
    if user.is_hr:
        return True
    if user.role == "councillor":
        return record.status in PUBLISHED_STATUSES and record.published
    relation = relationship_to(user, officer_id_of(record))
    if action not in STAFF_RIGHTS.get(model, {}).get(relation, ()):
        return False
    if relation == SELF and model is Objective and action != VIEW:
        return draft_only(record)
    return True


def draft_only(objective):
    """An officer drafts their own objectives; once agreed, they only view them."""
    if objective.id is None:
        return objective.status == "draft"
    stored = Objective.get_or_none(Objective.id == objective.id)
    return objective.status == "draft" and (stored is None or stored.status == "draft")


def may_upload_to(user, officer):
    return can(user, CREATE, Attachment(officer=officer))


def may_mark_done(user, step):
    """A step not yet done, marked done by hand by whoever may edit it."""
    return step.done_on is None and can(user, EDIT, step)


def sees_published_objectives_only(user):
    return signed_in(user) and user.role == "councillor"


# -- agreement: a meeting record, or a cycle's objectives as one set --------

def may_manage_agreement(user, record):
    """Sending a meeting's record (or a cycle's objectives) for agreement,
    taking it back, correcting it: for whoever may add such a record to
    that officer's year, so HR and the officer's appraisers, and for
    objectives the officer too."""
    if isinstance(record, Meeting):
        stand_in = Meeting(cycle=record.cycle_id, status="draft")
    else:
        stand_in = Objective(cycle=record.id, status="draft")
    return can(user, CREATE, stand_in)


def awaiting_agreement(record):
    if isinstance(record, Meeting):
        return record.status == "awaiting agreement"
    return objectives_awaiting_agreement(record.id)


def may_send_for_agreement(user, record):
    """A meeting's record while it is a draft or sent back for changes; a
    cycle's objectives while they are not out for agreement already."""
    if isinstance(record, Meeting):
        still_open = record.status in OPEN_MEETING_STATUSES
    else:
        still_open = not awaiting_agreement(record)
    return still_open and may_manage_agreement(user, record)


def may_withdraw_from_agreement(user, record):
    return awaiting_agreement(record) and may_manage_agreement(user, record)


def may_correct(user, meeting):
    """An agreed meeting record is changed by a new version, agreed again."""
    return meeting.status == "agreed" and may_manage_agreement(user, meeting)


def may_cancel_meeting(user, meeting):
    """A meeting with a time (so with invitations out) whose record is still open."""
    return (meeting.start_time is not None and meeting.status in OPEN_MEETING_STATUSES
            and can(user, EDIT, meeting))


def may_report_to_council(user, council=None):
    """The Leader's report to Council (step 4) is made by HR or a Leader:
    of `council`, when one is named. It holds published objectives only."""
    if not signed_in(user):
        return False
    if user.is_hr:
        return True
    if council is None:
        return LEADER in relationships(user)
    return OfficerAppraiser.select().where(
        (OfficerAppraiser.user == user.id) & (OfficerAppraiser.capacity == "leader")
        & (OfficerAppraiser.council == council)).exists()
