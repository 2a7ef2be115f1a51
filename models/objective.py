from peewee import BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, TextField

from .base import BaseModel, utcnow
from .council import Council, Priority
from .cycle import Cycle

CATEGORIES = (
    ("corporate", "Corporate (council)"),
    ("collaboration", "Collaboration"),
    ("personal", "Personal / development"),
)

OBJECTIVE_STATUSES = (
    ("draft", "Draft"),
    ("agreed", "Agreed"),
    ("achieved", "Achieved"),
    ("withdrawn", "Withdrawn"),
)


class Objective(BaseModel):
    cycle = ForeignKeyField(Cycle, backref="objectives", on_delete="RESTRICT")
    category = CharField(max_length=20, choices=CATEGORIES, index=True)
    council = ForeignKeyField(Council, null=True, on_delete="RESTRICT")
    priority = ForeignKeyField(
        Priority,
        verbose_name="Corporate-plan priority or collaboration objective",
        null=True,
        on_delete="RESTRICT",
    )
    title = CharField(max_length=200)
    description = TextField(default="")
    measure = TextField(verbose_name="Performance standard / measure", default="")
    target_date = DateField(verbose_name="Target date", null=True, index=True)
    status = CharField(max_length=20, choices=OBJECTIVE_STATUSES, default="draft")
    published = BooleanField(verbose_name="Published to councillors", default=False, index=True)
    created_at = DateTimeField(verbose_name="Created", default=utcnow)
    updated_at = DateTimeField(verbose_name="Updated", default=utcnow)

    class Meta:
        # A list of objectives in one status, latest cycle first, is one index range.
        indexes = ((("status", "cycle"), False),)

    label_fields = ("title",)

    def __str__(self):
        return self.title
