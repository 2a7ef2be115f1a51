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
    priority = ForeignKeyField(Priority, null=True, on_delete="RESTRICT")
    title = CharField(max_length=200)
    description = TextField(default="")
    measure = TextField(default="")
    target_date = DateField(null=True, index=True)
    status = CharField(max_length=20, choices=OBJECTIVE_STATUSES, default="draft", index=True)
    published = BooleanField(default=False, index=True)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    def __str__(self):
        return self.title
