from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from .agreement import Agreement
from .attachment import Attachment
from .base import BaseModel, utcnow


class OutboxEmail(BaseModel):
    """An email waiting to be sent. Written in the same transaction as the
    change that causes it, so a mail server that is down loses nothing."""

    # Written by the system from a change that is itself audited; copying
    # every body into the append-only trail would add nothing but bulk.
    audited = False

    recipient = CharField(max_length=254)
    subject = CharField(max_length=200)
    body_text = TextField(
        verbose_name="Text",
    )
    body_html = TextField(verbose_name="HTML", default="")
    # The agreement whose confirmation link the email carries: the link is
    # made as the email goes out, so the database never holds a usable one.
    agreement = ForeignKeyField(Agreement, null=True, backref="emails", on_delete="RESTRICT")
    attachment = ForeignKeyField(Attachment, verbose_name="Attached file", null=True, on_delete="RESTRICT")
    # An iCalendar invitation (or update, or cancellation) sent with the email.
    calendar = TextField(verbose_name="Calendar invitation", default="")
    created_at = DateTimeField(verbose_name="Queued", default=utcnow, index=True)
    attempts = IntegerField(default=0)
    next_attempt_at = DateTimeField(verbose_name="Next attempt", default=utcnow, index=True)
    # A sender owns the email from claimed_at until it is sent or fails, so
    # two senders never send the same one.
    claimed_at = DateTimeField(verbose_name="Being sent since", null=True)
    claimed_by = CharField(max_length=32, default="")
    last_error = TextField(verbose_name="Last error", default="")
    sent_at = DateTimeField(verbose_name="Sent", null=True, index=True)
    gave_up_at = DateTimeField(verbose_name="Gave up", null=True, index=True)

    def __str__(self):
        return f"{self.subject} → {self.recipient}"
