"""Agreement of records by every party: who the parties are, sending a
record for agreement, each party's decision from an emailed link, what
happens when all have agreed or one asks for changes, reminders, and what
is locked while a record is being agreed and once it has been."""
import logging
from datetime import timedelta
from enum import Enum
from typing import NamedTuple

from flask import current_app
from peewee import JOIN

from formatting import uk_date, uk_datetime
from models import (
    Action,
    Agreement,
    Council,
    Meeting,
    MeetingAttendee,
    Objective,
    OfficerAppraiser,
    User,
    db,
    utcnow,
)
from models.meeting import RECORD_HEADINGS
from models.officer import APPRAISER_CAPACITIES
from services.agreement import emails as agreement_emails
from services.agreement.formal_record import file_formal_record
from services.agreement.links import find_agreement, token_hash
from services.agreement.records import objectives_awaiting_agreement, record_of
from services.records.audit import record_event
from services.transactions import serialised_transaction
from services.year.timetable import complete_on_agreement

log = logging.getLogger("appraise.agreement")

LOCKED_MEETING_STATUSES = ("awaiting agreement", "agreed")
# The form's values and the decisions they record.
DECISIONS = {"agree": "agreed", "changes": "changes requested"}
# Deputy Leaders support a Leader; they are not asked to agree.
AGREEING_CAPACITIES = ("leader", "line manager")
CAPACITY_LABELS = dict(APPRAISER_CAPACITIES)


class AgreementError(ValueError):
    """A request about agreement that cannot be carried out; the message is
    meant for the person who made it."""


class LinkProblem(Enum):
    """Why a confirmation link cannot be used."""

    NOT_RECOGNISED = "not recognised"
    USED = "used"
    CLOSED = "closed"
    EXPIRED = "expired"
    NO_LONGER_A_PARTY = "no longer a party"
    RECORD_CHANGED = "record changed"
    REPLACED = "replaced"


class LinkRefused(Exception):
    """A confirmation link that cannot be used: the reason, and an
    explanation for the person who followed it."""

    def __init__(self, reason, message):
        super().__init__(message)
        self.reason = reason
        self.message = message


class Decision(NamedTuple):
    agreement: Agreement
    record: object
    everyone_agreed: bool


class OpenLink(NamedTuple):
    """A link that may be used now, with what was read to check it and
    what its page shows: the record, the version to be agreed (the one the
    link was sent for) and the officer's agreeing appraisers."""

    agreement: Agreement
    record: object
    version: object
    appraisers: list

    def role(self, user):
        return _role_among(self.record.officer, self.appraisers, user)


# -- who agrees -------------------------------------------------------------


def _agreeing_appraisers(officer):
    return (OfficerAppraiser.select(OfficerAppraiser, User, Council).join(User)
            .switch(OfficerAppraiser).join(Council, JOIN.LEFT_OUTER)
            .where((OfficerAppraiser.officer == officer)
                   & OfficerAppraiser.capacity.in_(AGREEING_CAPACITIES))
            .order_by(OfficerAppraiser.capacity, User.name))


def parties(officer):
    """The officer, then their Leaders (for a Joint Chief Executive, the
    Leader of every council served) or line managers. Accounts that have
    been switched off are left out."""
    return _parties_among(officer, _agreeing_appraisers(officer))


def _parties_among(officer, appraisers):
    people = [officer.user] if officer.user.active else []
    for link in appraisers:
        if link.user.active and link.user not in people:
            people.append(link.user)
    return people


def party_problems(officer):
    """Why the officer's records cannot be sent for agreement now."""
    name = officer.user.name
    problems = []
    if not officer.user.active:
        problems.append(f"{name}'s account is switched off, so they cannot agree the record.")
    links = [link for link in _agreeing_appraisers(officer) if link.user.active]
    if not links:
        problems.append(f"Nobody is recorded as {name}'s Leader or line manager.")
    led_councils = {link.council_id for link in links if link.capacity == "leader"}
    if led_councils:
        for council_link in officer.council_links:
            if council_link.council_id not in led_councils:
                problems.append(
                    f"No Leader is recorded for {council_link.council.name}, which {name} serves."
                )
    return problems


def party_role(officer, user):
    """"Officer", "Leader (NVDC)", "Line manager"."""
    if user.id == officer.user_id:
        return "Officer"
    return _role_label(_agreeing_appraisers(officer).where(OfficerAppraiser.user == user).first())


def _role_among(officer, appraisers, user):
    """party_role(), from the officer's agreeing appraisers already read."""
    if user.id == officer.user_id:
        return "Officer"
    return _role_label(next((link for link in appraisers if link.user_id == user.id), None))


def _role_label(link):
    if link is None:
        return ""
    label = CAPACITY_LABELS[link.capacity]
    return f"{label} ({link.council.short_name})" if link.council_id else label


# -- sending for agreement ----------------------------------------------


def submit_for_agreement(record, requested_by, now=None):
    """Freeze the record's current version, ask every party to agree it and
    queue their emails, all in one transaction. Returns the agreements."""
    now = now or utcnow()
    with serialised_transaction():
        record.lock()
        problems = [record.submission_problem()] + party_problems(record.officer)
        problems = [problem for problem in problems if problem]
        if problems:
            raise AgreementError(" ".join(problems))
        version = record.version()
        record.close_open_agreements(now)  # an earlier, finished request
        expires_at = now + timedelta(days=current_app.config["AGREEMENT_LINK_DAYS"])
        agreements = [
            Agreement.create(
                cycle=record.cycle, meeting=record.meeting, party=party, content_hash=version.hash,
                requested_by=requested_by, sent_at=now, expires_at=expires_at,
            )
            for party in parties(record.officer)
        ]
        record.mark_awaiting()
        for agreement in agreements:
            agreement_emails.queue_request(agreement, record)
    return agreements


def withdraw(record, user, now=None):
    """Take a record back from agreement, to change it: the links stop
    working and whoever had not yet decided is told."""
    now = now or utcnow()
    with serialised_transaction():
        record.lock()
        if not record.is_awaiting():
            raise AgreementError("This record is not waiting for agreement.")
        undecided = list(record.agreements().where(Agreement.awaiting_decision()))
        record.close_open_agreements(now)
        record.mark_withdrawn()
        agreement_emails.queue_withdrawn(record, [agreement.party for agreement in undecided], user)


# -- deciding -----------------------------------------------------------


def link_problem(agreement, now):
    """Why this agreement's link cannot be used now (a LinkRefused), or None."""
    problem, _opened = _examine_link(agreement, now)
    return problem


def _examine_link(agreement, now):
    """(why the link cannot be used now or None, and if it can, an OpenLink
    with what was read to tell: the record's version is made only once)."""
    record = record_of(agreement)
    if agreement.decided_at:
        return LinkRefused(
            LinkProblem.USED,
            f"This link was used on {uk_datetime(agreement.decided_at)} to record "
            f"“{agreement.decision}”. Each link works once, so nothing has been changed.",
        ), None
    if agreement.closed_at:
        return LinkRefused(
            LinkProblem.CLOSED,
            f"The request to agree {record.describe()} closed on {uk_date(agreement.closed_at)}: "
            "the record was sent back for changes, withdrawn, or sent again. If it is sent again "
            "you will get a new email with a new link.",
        ), None
    if agreement.expires_at <= now:
        return LinkRefused(
            LinkProblem.EXPIRED,
            f"This link expired on {uk_datetime(agreement.expires_at)}. Ask HR to send the "
            "record to you again.",
        ), None
    appraisers = list(_agreeing_appraisers(record.officer))
    if agreement.party not in _parties_among(record.officer, appraisers):
        return LinkRefused(
            LinkProblem.NO_LONGER_A_PARTY,
            f"{agreement.party.name} is no longer one of the people who agree "
            f"{record.officer.user.name}'s records, so this link no longer works.",
        ), None
    version = record.version()
    if version.hash != agreement.content_hash:
        return LinkRefused(
            LinkProblem.RECORD_CHANGED,
            "The record has changed since this link was sent, so it is no longer the version "
            "you were asked to agree. Nothing has been recorded; HR will send the new version.",
        ), None
    return None, OpenLink(agreement, record, version, appraisers)


def open_agreement(token, now=None):
    """The agreement a link stands for, if it may be used now; else raises
    LinkRefused saying why not."""
    return open_link(token, now).agreement


def open_link(token, now=None):
    """open_agreement(), for the link's page: an OpenLink, with the record
    and the version to be agreed as they were read to check the link."""
    now = now or utcnow()
    agreement = find_agreement(token)
    if agreement is None:
        raise LinkRefused(
            LinkProblem.NOT_RECOGNISED,
            "Check that the whole link was copied from the email. If you have had a newer "
            "email about this record, use the link in that one: each email replaces the "
            "link sent before it.",
        )
    problem, opened = _examine_link(agreement, now)
    if problem:
        raise problem
    return opened


def decide(token, decision, comment, ip, now=None):
    """Record one party's decision from their link. Under a lock on the
    record, so of two decisions made at once on one link exactly one counts,
    and of the last two parties agreeing at once exactly one concludes."""
    now = now or utcnow()
    agreement = open_agreement(token, now)
    with serialised_transaction():
        record = record_of(agreement)
        record.lock()
        agreement = Agreement.get_by_id(agreement.id)
        problem = link_problem(agreement, now)
        if problem:
            raise problem
        decided = Agreement.update(
            decided_at=now, decision=DECISIONS[decision], comment=comment, ip=ip
        ).where(
            (Agreement.id == agreement.id) & (Agreement.token_hash == token_hash(token))
            & Agreement.awaiting_decision()
        ).execute()
        if decided != 1:
            raise _refusal_after_race(agreement.id, now)
        agreement = Agreement.get_by_id(agreement.id)
        record_event(
            "agree", record.subject, user=agreement.party,
            changes={"agreement": agreement.id, "decision": agreement.decision,
                     "comment": comment, "version": agreement.content_hash},
        )
        everyone_agreed = False
        if agreement.decision == "changes requested":
            _send_back_for_changes(record, agreement, now)
        elif _everyone_has_agreed(record):
            everyone_agreed = True
            _conclude(record, now)
    return Decision(agreement, record, everyone_agreed)


def _refusal_after_race(agreement_id, now):
    """Why the decision did not take, when the checks passed a moment ago."""
    return link_problem(Agreement.get_by_id(agreement_id), now) or LinkRefused(
        LinkProblem.REPLACED,
        "A newer email about this record has replaced this link. Use the link in that one.",
    )


def _everyone_has_agreed(record):
    agreed = {agreement.party_id for agreement in
              record.open_agreements().where(Agreement.decision == "agreed")}
    current = {party.id for party in parties(record.officer)}
    return bool(current) and current <= agreed


def _conclude(record, now):
    """Everyone has agreed: the record is locked, filed as a PDF on the
    personal file, and everyone is told (with the PDF). The version is the
    one agreed: decide() compared their hashes under the lock."""
    version = record.version()
    record.close_open_agreements(now, undecided_only=True)  # parties removed since
    record.mark_agreed(version)
    agreed = list(record.open_agreements().where(Agreement.decision == "agreed")
                  .order_by(Agreement.decided_at))
    roles = {agreement.party_id: party_role(record.officer, agreement.party) for agreement in agreed}
    attachment = _filed_or_reported(record, version, agreed, roles, now)
    agreement_emails.queue_agreed(record, agreed, attachment)
    complete_on_agreement(record, now.date())


def _filed_or_reported(record, version, agreed, roles, now):
    """The formal record filed on the personal file, or None when it cannot
    be (the disk is full, say): the parties have agreed, and a PDF that
    cannot be written must not undo that, or refuse the last decision again
    and again. The record stays agreed and HR is told, to file a copy."""
    try:
        with db.atomic():
            return file_formal_record(record, version, agreed, roles, now)
    except Exception as error:
        log.exception("The agreed %s could not be filed", record.describe())
        record_event("update", record.subject, user=agreed[-1].party,
                     changes=f"Agreed, but the formal record could not be filed: {error}")
        agreement_emails.queue_filing_failed(record, version, error, agreed[0].requested_by)
        return None


def _send_back_for_changes(record, agreement, now):
    """The record returns to draft, every other link stops working, and the
    appraisers (and whoever sent it) are told what should change."""
    others = [other.party for other in record.open_agreements().where(Agreement.id != agreement.id)]
    record.close_open_agreements(now)
    record.mark_changes_requested()
    agreement_emails.queue_changes_requested(record, agreement, others)


# -- reminders ----------------------------------------------------------


def queue_agreement_reminders(now=None):
    """Remind each party whose decision is still awaited AGREEMENT_REMINDER_DAYS
    after their link was last sent, at most once in that many days, even when
    two `remind` runs overlap. Returns how many were queued."""
    now = now or utcnow()
    due = now - timedelta(days=current_app.config["AGREEMENT_REMINDER_DAYS"])
    not_recently_reminded = Agreement.reminded_at.is_null() | (Agreement.reminded_at <= due)
    candidates = Agreement.select().where(
        Agreement.awaiting_decision() & (Agreement.expires_at > now)
        & Agreement.token_hash.is_null(False) & (Agreement.sent_at <= due) & not_recently_reminded
    )
    queued = 0
    # Read them all first: on SQLite a reader still stepping through the
    # rows cannot be given the write lock while another run holds it, and
    # would fail ("database is locked") rather than wait its turn.
    for agreement in list(candidates):
        if link_problem(agreement, now):
            continue
        with serialised_transaction():
            taken = Agreement.update(reminded_at=now).where(
                (Agreement.id == agreement.id) & not_recently_reminded
            ).execute()
            if taken:
                agreement_emails.queue_request(agreement, record_of(agreement), reminder=True)
                queued += 1
    return queued


# -- corrections and locks ------------------------------------------------


CORRECTED_FIELDS = ("cycle", "kind", "held_on", "location", "outcomes") + tuple(
    name for name, _label in RECORD_HEADINGS
)


def start_correction(meeting):
    """A new draft version of an agreed meeting record, with its attendees
    and actions, to be changed and agreed again. The agreed version stays
    as it was, and so does the PDF on file."""
    if meeting.status != "agreed":
        raise AgreementError("Only an agreed record is corrected by a new version; "
                             "a draft can be edited as it is.")
    existing = Meeting.get_or_none(Meeting.supersedes == meeting)
    if existing:
        raise AgreementError(f"Version {existing.version} of this record has already been "
                             "started: change that one.")
    with db.atomic():
        correction = Meeting.create(
            **{name: getattr(meeting, name) for name in CORRECTED_FIELDS},
            version=meeting.version + 1, supersedes=meeting, status="draft",
        )
        for link in meeting.attendee_links:
            MeetingAttendee.create(meeting=correction, user=link.user_id)
        for action in meeting.actions.order_by(Action.id):
            Action.create(meeting=correction, description=action.description, owner=action.owner_id,
                          due_date=action.due_date, done=action.done)
    return correction


def is_locked(record):
    """A record nobody may edit or delete, HR included: a meeting record out
    for agreement or agreed (with its attendees and actions), and objectives
    while they are out for agreement. A correction is a new version."""
    if isinstance(record, Meeting):
        return record.status in LOCKED_MEETING_STATUSES
    if isinstance(record, (Action, MeetingAttendee)):
        return record.meeting_id is not None and is_locked(record.meeting)
    if isinstance(record, Objective):
        return record.cycle_id is not None and objectives_awaiting_agreement(record.cycle_id)
    return False

