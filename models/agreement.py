from peewee import CharField, DateTimeField, ForeignKeyField, TextField

from .base import BaseModel, utcnow
from .cycle import Cycle
from .meeting import Meeting
from .user import User

DECISIONS = (
    ("agreed", "Agreed"),
    ("changes requested", "Changes requested"),
)


class Agreement(BaseModel):
    """One party's decision on one frozen version of a record: a meeting
    record, or (meeting empty) a cycle's set of objectives."""

    cycle = ForeignKeyField(Cycle, backref="agreements", on_delete="RESTRICT")
    meeting = ForeignKeyField(Meeting, null=True, backref="agreements", on_delete="RESTRICT")
    party = ForeignKeyField(User, backref="agreements", on_delete="RESTRICT")
    content_hash = CharField(verbose_name="Version (content hash)", max_length=64)
    token_hash = CharField(max_length=64, unique=True)
    sent_at = DateTimeField(verbose_name="Sent", default=utcnow)
    expires_at = DateTimeField(verbose_name="Expires", index=True)
    decided_at = DateTimeField(verbose_name="Decided", null=True, index=True)
    decision = CharField(max_length=30, choices=DECISIONS, null=True)
    comment = TextField(default="")
    ip = CharField(verbose_name="Address", max_length=45, default="")

    def __str__(self):
        return f"{self.party.name}: {self.decision or 'pending'}"
