from peewee import CharField, DateTimeField, IntegerField, TextField

from .base import BaseModel, utcnow


class OutboxEmail(BaseModel):
    """An email waiting to be sent. Written in the same transaction as the
    change that causes it, so a mail server that is down loses nothing."""

    recipient = CharField(max_length=254)
    subject = CharField(max_length=200)
    body_text = TextField(
        verbose_name="Text",
    )
    body_html = TextField(verbose_name="HTML", default="")
    created_at = DateTimeField(verbose_name="Queued", default=utcnow, index=True)
    attempts = IntegerField(default=0)
    next_attempt_at = DateTimeField(verbose_name="Next attempt", default=utcnow, index=True)
    last_error = TextField(verbose_name="Last error", default="")
    sent_at = DateTimeField(verbose_name="Sent", null=True, index=True)

    def __str__(self):
        return f"{self.subject} → {self.recipient}"
