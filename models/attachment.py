from peewee import (
    BigIntegerField,
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
)

from .base import BaseModel, utcnow
from .meeting import Meeting
from .objective import Objective
from .officer import Officer
from .user import User


class Attachment(BaseModel):
    """A document on an officer's file. The bytes live under UPLOAD_DIR
    under `stored_name`, never inside the web root."""

    officer = ForeignKeyField(Officer, backref="attachments", on_delete="RESTRICT")
    meeting = ForeignKeyField(Meeting, null=True, backref="attachments", on_delete="RESTRICT")
    objective = ForeignKeyField(Objective, null=True, backref="attachments", on_delete="RESTRICT")
    original_name = CharField(verbose_name="File name", max_length=255)
    stored_name = CharField(max_length=80, unique=True)
    content_type = CharField(verbose_name="Type", max_length=120)
    size = BigIntegerField(
        verbose_name="Size (bytes)",
    )
    sha256 = CharField(verbose_name="SHA-256", max_length=64, index=True)
    personal_file = BooleanField(verbose_name="On personal file", default=False, index=True)
    uploaded_by = ForeignKeyField(User, verbose_name="Uploaded by", null=True, on_delete="RESTRICT")
    uploaded_at = DateTimeField(verbose_name="Uploaded", default=utcnow, index=True)
    # Set when HR deletes it: hidden from everyone, the file kept until the purge.
    deleted_at = DateTimeField(verbose_name="Deleted", null=True, index=True)

    @classmethod
    def kept(cls):
        """The attachments not deleted."""
        return cls.select().where(cls.deleted_at.is_null())

    def __str__(self):
        return self.original_name
