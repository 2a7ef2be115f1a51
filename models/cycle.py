from peewee import (
    BooleanField,
    CharField,
    DateField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from .base import BaseModel
from .officer import Officer
from .user import User

CYCLE_STATUSES = (
    ("open", "Open"),
    ("closed", "Closed"),
)

STEP_OWNERS = (
    ("officer", "The officer"),
    ("appraiser", "Leader / line manager"),
)

COMPLETING_EVENTS = (
    ("manual", "Marked done by hand"),
    ("objectives agreed", "Objectives agreed"),
    ("council report", "Council report generated"),
    ("six-month review agreed", "Six-month review agreed"),
)


class TimetableStep(BaseModel):
    """One step of the annual timetable that every cycle follows."""

    number = IntegerField(verbose_name="Step", unique=True)
    activity = CharField(max_length=200)
    owner = CharField(max_length=20, choices=STEP_OWNERS)
    due_rule = CharField(verbose_name="Due", max_length=80)
    completed_by = CharField(
        verbose_name="Completed by", max_length=40, choices=COMPLETING_EVENTS, default="manual"
    )
    active = BooleanField(default=True)

    def __str__(self):
        return f"{self.number}. {self.activity}"


class Cycle(BaseModel):
    """One officer's appraisal year."""

    officer = ForeignKeyField(Officer, backref="cycles", on_delete="RESTRICT")
    year = IntegerField(index=True)
    period_start = DateField(
        verbose_name="Starts",
    )
    period_end = DateField(
        verbose_name="Ends",
    )
    status = CharField(max_length=20, choices=CYCLE_STATUSES, default="open", index=True)
    externally_facilitated = BooleanField(verbose_name="Externally facilitated", default=False)
    facilitator = CharField(verbose_name="Facilitated by", max_length=160, default="")

    class Meta:
        indexes = ((("officer", "year"), True),)

    label_fields = ("year",)

    def __str__(self):
        return f"{self.officer.user.name} {self.year}"


class Step(BaseModel):
    cycle = ForeignKeyField(Cycle, backref="steps", on_delete="CASCADE")
    timetable_step = ForeignKeyField(TimetableStep, verbose_name="Step", on_delete="RESTRICT")
    owner = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    due_date = DateField(verbose_name="Due", null=True, index=True)
    done_on = DateField(verbose_name="Done on", null=True, index=True)
    note = TextField(default="")
    # The day its owner's timetable digest last mentioned it.
    reminded_on = DateField(verbose_name="Last reminded", null=True)

    class Meta:
        indexes = ((("cycle", "timetable_step"), True),)

    def __str__(self):
        return f"{self.cycle}: {self.timetable_step.activity}"
