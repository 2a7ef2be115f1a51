from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
    TimeField,
)

from .base import BaseModel, utcnow
from .cycle import Cycle
from .user import User

MEETING_KINDS = (
    ("annual agreement", "Annual performance agreement"),
    ("six-month review", "Six-month review"),
    ("informal review", "Informal review / monitoring"),
    ("soundings", "Soundings with Group Leaders"),
)

MEETING_STATUSES = (
    ("draft", "Draft"),
    ("awaiting agreement", "Awaiting agreement"),
    ("agreed", "Agreed"),
    ("changes requested", "Changes requested"),
    ("cancelled", "Cancelled"),
)

FORMAL_KINDS = ("annual agreement", "six-month review")

# The five headings every formal record covers, in the framework's order.
RECORD_HEADINGS = (
    ("role_of_officer", "Role of the officer"),
    ("achievements", "What has been achieved"),
    ("improvements", "What could be improved"),
    ("key_issues", "Key issues anticipated over the next year"),
    ("development_needs", "Developmental needs"),
)


class Meeting(BaseModel):
    cycle = ForeignKeyField(Cycle, backref="meetings", on_delete="RESTRICT")
    kind = CharField(max_length=30, choices=MEETING_KINDS, index=True)
    held_on = DateField(verbose_name="Date held", index=True)
    # With a start time the meeting is scheduled: attendees get a calendar invitation.
    start_time = TimeField(verbose_name="Start time", null=True)
    duration_minutes = IntegerField(verbose_name="Length (minutes)", default=60)
    location = CharField(max_length=160, default="")
    role_of_officer = TextField(verbose_name="1. Role of the officer", default="")
    achievements = TextField(verbose_name="2. What has been achieved", default="")
    improvements = TextField(verbose_name="3. What could be improved", default="")
    key_issues = TextField(verbose_name="4. Key issues anticipated over the next year", default="")
    development_needs = TextField(verbose_name="5. Developmental needs", default="")
    outcomes = TextField(default="")
    status = CharField(max_length=30, choices=MEETING_STATUSES, default="draft")
    version = IntegerField(default=1)
    supersedes = ForeignKeyField(
        "self", verbose_name="Corrects version", null=True, backref="corrections", on_delete="RESTRICT"
    )
    created_at = DateTimeField(verbose_name="Created", default=utcnow)
    updated_at = DateTimeField(verbose_name="Updated", default=utcnow)

    @property
    def kind_label(self):
        return dict(MEETING_KINDS)[self.kind]

    class Meta:
        # A list of meetings in one status, newest first, is one index range.
        indexes = ((("status", "held_on"), False),)

    label_fields = ("kind", "held_on")

    def __str__(self):
        return f"{self.kind_label}, {self.held_on:%-d %b %Y}"


class MeetingAttendee(BaseModel):
    meeting = ForeignKeyField(Meeting, backref="attendee_links", on_delete="CASCADE")
    user = ForeignKeyField(User, verbose_name="Attendee", on_delete="RESTRICT")

    class Meta:
        indexes = ((("meeting", "user"), True),)

    def __str__(self):
        return str(self.user)


class Action(BaseModel):
    meeting = ForeignKeyField(Meeting, backref="actions", on_delete="RESTRICT")
    description = TextField()
    owner = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    due_date = DateField(verbose_name="Due", null=True, index=True)
    done = BooleanField(default=False, index=True)

    def __str__(self):
        return self.description[:80]


class CalendarInvitation(BaseModel):
    """The calendar invitation one attendee was last sent for a meeting, so
    a change sends them an update (SEQUENCE one higher) and a cancellation
    reaches everyone who was invited."""

    audited = False

    meeting = ForeignKeyField(Meeting, backref="invitations", on_delete="CASCADE")
    user = ForeignKeyField(User, on_delete="CASCADE")
    sequence = IntegerField(default=0)
    starts_at = DateTimeField()
    ends_at = DateTimeField()
    location = CharField(max_length=160, default="")
    cancelled = BooleanField(default=False)

    class Meta:
        indexes = ((("meeting", "user"), True),)
