from peewee import CharField, DateField, ForeignKeyField, TextField

from .base import BaseModel
from .cycle import Cycle

DEVELOPMENT_STATUSES = (
    ("planned", "Planned"),
    ("in progress", "In progress"),
    ("completed", "Completed"),
    ("cancelled", "Cancelled"),
)


class DevelopmentNeed(BaseModel):
    cycle = ForeignKeyField(Cycle, backref="development_needs", on_delete="RESTRICT")
    need = TextField()
    activity = TextField(verbose_name="Planned activity (CPD)", default="")
    provider = CharField(max_length=160, default="")
    target_date = DateField(verbose_name="Target date", null=True, index=True)
    status = CharField(max_length=20, choices=DEVELOPMENT_STATUSES, default="planned", index=True)

    def __str__(self):
        return self.need[:80]
