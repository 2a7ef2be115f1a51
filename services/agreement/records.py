"""What can be sent for agreement: the record of a meeting, or a cycle's
set of objectives. Each gives the exact content that is agreed (its frozen
version, and that version's hash), the agreements asked of it, and how
its status moves as agreement goes on."""
import hashlib
import json
from typing import NamedTuple

from peewee import JOIN

from formatting import uk_date
from models import (
    Action,
    Agreement,
    Council,
    Cycle,
    Meeting,
    MeetingAttendee,
    Objective,
    OfficerCouncil,
    Priority,
    User,
    utcnow,
)
from models.meeting import FORMAL_KINDS, RECORD_HEADINGS
from models.objective import CATEGORIES
from services.transactions import locked

CATEGORY_LABELS = dict(CATEGORIES)
CATEGORY_ORDER = {category: position for position, (category, _label) in enumerate(CATEGORIES)}
OPEN_MEETING_STATUSES = ("draft", "changes requested")


class Version(NamedTuple):
    """The content a party agrees, exactly as shown to them and printed on
    the formal record, and the SHA-256 that stands for it."""

    content: dict
    hash: str


def version_of(content):
    encoded = json.dumps(content, sort_keys=True, default=str, ensure_ascii=False)
    return Version(content, hashlib.sha256(encoded.encode()).hexdigest())


def record_of(agreement):
    if agreement.meeting_id:
        return MeetingRecord(agreement.meeting)
    return ObjectivesRecord(agreement.cycle)


class AgreedRecord:
    """What the two kinds share. `subject` is the row the agreement is about,
    for the audit trail."""

    def __init__(self, cycle):
        self.cycle = cycle

    @property
    def officer(self):
        return self.cycle.officer

    def agreements(self):
        return Agreement.select().where(self._agreement_condition())

    def open_agreements(self):
        """The agreements of the current request: not closed."""
        return self.agreements().where(Agreement.closed_at.is_null())

    def close_open_agreements(self, now, undecided_only=False):
        condition = self._agreement_condition() & (
            Agreement.awaiting_decision() if undecided_only else Agreement.closed_at.is_null())
        return Agreement.update(closed_at=now).where(condition).execute()

    def version(self):
        return version_of(self.content())

    # How the status moves. A set of objectives has no status of its own
    # while it is being agreed (its open agreements say so), so only a
    # meeting record does anything here until the end.
    def mark_awaiting(self):
        pass

    def mark_changes_requested(self):
        pass

    def mark_withdrawn(self):
        pass

    def _officer_content(self):
        officer = self.officer
        councils = (Council.select().join(OfficerCouncil)
                    .where(OfficerCouncil.officer == officer).order_by(Council.name))
        return {
            "officer": officer.user.name,
            "post": officer.post_title,
            "councils": [council.name for council in councils],
        }

    def _objectives_content(self):
        objectives = (
            Objective.select(Objective, Council, Priority)
            .join(Council, JOIN.LEFT_OUTER).switch(Objective)
            .join(Priority, JOIN.LEFT_OUTER)
            .where((Objective.cycle == self.cycle) & (Objective.status != "withdrawn"))
        )
        ordered = sorted(objectives, key=lambda objective: (CATEGORY_ORDER[objective.category], objective.id))
        return [
            {
                "id": objective.id,
                "category": CATEGORY_LABELS[objective.category],
                "council": objective.council.name if objective.council_id else "",
                "priority": str(objective.priority) if objective.priority_id else "",
                "title": objective.title,
                "description": objective.description,
                "measure": objective.measure,
                "target_date": objective.target_date,
            }
            for objective in ordered
        ]


class MeetingRecord(AgreedRecord):
    """The written record of one meeting: its five headings, outcomes,
    the year's objectives and the actions it set."""

    def __init__(self, meeting):
        super().__init__(meeting.cycle)
        self.meeting = meeting

    @property
    def subject(self):
        return self.meeting

    def _agreement_condition(self):
        return Agreement.meeting == self.meeting.id

    @property
    def title(self):
        return f"{self.meeting.kind_label}, {uk_date(self.meeting.held_on)}"

    def describe(self):
        """For a sentence: "the record of the six-month review held on 24 Sep 2026"."""
        return f"the record of the {self.meeting.kind_label.lower()} held on {uk_date(self.meeting.held_on)}"

    @property
    def file_name(self):
        kind = self.meeting.kind.replace(" ", "-")
        return f"formal-record-{kind}-{self.meeting.held_on:%Y-%m-%d}-v{self.meeting.version}.pdf"

    def content(self):
        meeting = self.meeting
        attendees = (User.select(User.name).join(MeetingAttendee)
                     .where(MeetingAttendee.meeting == meeting).order_by(User.name))
        actions = (Action.select(Action, User).join(User, JOIN.LEFT_OUTER)
                   .where(Action.meeting == meeting).order_by(Action.id))
        return {
            "record": "meeting",
            "meeting_id": meeting.id,
            "title": self.title,
            **self._officer_content(),
            "kind": meeting.kind_label,
            "held_on": meeting.held_on,
            "location": meeting.location,
            "version": meeting.version,
            "attendees": [user.name for user in attendees],
            "headings": [[label, getattr(meeting, name)] for name, label in RECORD_HEADINGS]
            + [["Outcomes", meeting.outcomes]],
            "objectives": self._objectives_content(),
            "actions": [
                {
                    "description": action.description,
                    "owner": action.owner.name if action.owner_id else "",
                    "due_date": action.due_date,
                }
                for action in actions
            ],
        }

    def submission_problem(self):
        meeting = self.meeting
        if meeting.status not in OPEN_MEETING_STATUSES:
            return f"This record is {meeting.status}: only a draft can be sent for agreement."
        if meeting.kind in FORMAL_KINDS:
            missing = [label for name, label in RECORD_HEADINGS if not getattr(meeting, name).strip()]
            if missing:
                return ("A formal record covers all five headings. Fill in: "
                        f"{'; '.join(missing)}.")
        elif not meeting.outcomes.strip():
            return "Record the outcomes of the meeting before sending it for agreement."
        return None

    def lock(self):
        self.meeting = locked(Meeting.select().where(Meeting.id == self.meeting.id)).get()

    @property
    def status(self):
        return self.meeting.status

    def is_awaiting(self):
        return self.meeting.status == "awaiting agreement"

    def _set_status(self, status):
        self.meeting.status = status
        self.meeting.updated_at = utcnow()
        self.meeting.save()

    def mark_awaiting(self):
        self._set_status("awaiting agreement")

    def mark_agreed(self, version):
        self._set_status("agreed")

    def mark_changes_requested(self):
        self._set_status("changes requested")

    def mark_withdrawn(self):
        self._set_status("draft")


class ObjectivesRecord(AgreedRecord):
    """A cycle's set of objectives (all but the withdrawn ones), agreed as
    one: step 3 of the timetable, or a change to them during the year."""

    meeting = None

    @property
    def subject(self):
        return self.cycle

    def _agreement_condition(self):
        return (Agreement.cycle == self.cycle.id) & Agreement.meeting.is_null()

    @property
    def title(self):
        return f"Objectives for {self.cycle.year}"

    def describe(self):
        return f"the objectives for {self.cycle.year}"

    @property
    def file_name(self):
        return f"agreed-objectives-{self.cycle.year}.pdf"

    def content(self):
        return {
            "record": "objectives",
            "cycle_id": self.cycle.id,
            "title": self.title,
            **self._officer_content(),
            "year": self.cycle.year,
            "objectives": self._objectives_content(),
        }

    def submission_problem(self):
        if self.is_awaiting():
            return "These objectives are already waiting for agreement."
        objectives = self.cycle.objectives.where(Objective.status != "withdrawn")
        if not objectives.exists():
            return "There are no objectives to agree yet."
        if not objectives.where(Objective.status == "draft").exists():
            return ("Every objective is already agreed. Set one back to draft to change it, "
                    "then send them again.")
        return None

    def lock(self):
        self.cycle = locked(Cycle.select().where(Cycle.id == self.cycle.id)).get()

    @property
    def status(self):
        if self.is_awaiting():
            return "awaiting agreement"
        drafts = self.cycle.objectives.where(Objective.status == "draft").exists()
        return "draft" if drafts else "agreed"

    def is_awaiting(self):
        return objectives_awaiting_agreement(self.cycle.id)

    def mark_agreed(self, version):
        agreed_ids = [objective["id"] for objective in version.content["objectives"]]
        for objective in Objective.select().where(
            Objective.id.in_(agreed_ids) & (Objective.status == "draft")
        ):
            objective.status = "agreed"
            objective.updated_at = utcnow()
            objective.save()


def objectives_awaiting_agreement(cycle_id):
    return Agreement.select().where(
        (Agreement.cycle == cycle_id) & Agreement.meeting.is_null() & Agreement.awaiting_decision()
    ).exists()
