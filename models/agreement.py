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

    secret_fields = ("token_hash",)

    cycle = ForeignKeyField(Cycle, backref="agreements", on_delete="RESTRICT")
    meeting = ForeignKeyField(Meeting, null=True, backref="agreements", on_delete="RESTRICT")
    party = ForeignKeyField(User, backref="agreements", on_delete="RESTRICT")
    content_hash = CharField(verbose_name="Version (content hash)", max_length=64)
    # The link's token is made when its email is sent; only its SHA-256 is kept.
    token_hash = CharField(max_length=64, unique=True, null=True)
    requested_by = ForeignKeyField(
        User, verbose_name="Asked by", null=True, backref="agreements_requested", on_delete="RESTRICT"
    )
    sent_at = DateTimeField(verbose_name="Link sent", default=utcnow)
    expires_at = DateTimeField(verbose_name="Expires", index=True)
    decided_at = DateTimeField(verbose_name="Decided", null=True, index=True)
    decision = CharField(max_length=30, choices=DECISIONS, null=True)
    comment = TextField(default="")
    ip = CharField(verbose_name="Address", max_length=45, default="")
    reminded_at = DateTimeField(verbose_name="Last reminded", null=True)
    # Set when the request stops being open without this party deciding: the
    # record went back for changes, was withdrawn, or was sent again.
    closed_at = DateTimeField(verbose_name="Closed", null=True, index=True)

    @classmethod
    def awaiting_decision(cls):
        """The condition that an agreement is still open: its party has not
        decided and the request has not closed. Its link may have expired."""
        return cls.decided_at.is_null() & cls.closed_at.is_null()

    def __str__(self):
        return f"{self.party.name}: {self.decision or 'pending'}"
