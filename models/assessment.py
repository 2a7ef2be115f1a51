from peewee import CharField, DateTimeField, ForeignKeyField, TextField

from .base import BaseModel, utcnow
from .meeting import Meeting
from .objective import Objective

RATINGS = (
    ("achieved", "Achieved"),
    ("on track", "On track"),
    ("partly met", "Partly met"),
    ("not met", "Not met"),
    ("no longer relevant", "No longer relevant"),
)


class Assessment(BaseModel):
    """Confidential: performance against one objective, at one meeting."""

    objective = ForeignKeyField(Objective, backref="assessments", on_delete="RESTRICT")
    meeting = ForeignKeyField(Meeting, null=True, backref="assessments", on_delete="RESTRICT")
    rating = CharField(max_length=30, choices=RATINGS)
    evidence = TextField(default="")
    reasons = TextField(verbose_name="Reasons / factors", default="")
    created_at = DateTimeField(verbose_name="Recorded", default=utcnow, index=True)

    class Meta:
        # A list of assessments with one rating, latest first, is one index range.
        indexes = ((("rating", "created_at"), False),)

    def __str__(self):
        return f"{self.objective.title}: {self.rating}"
