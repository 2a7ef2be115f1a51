from peewee import CharField, DateTimeField, ForeignKeyField, TextField

from .base import BaseModel, utcnow
from .user import User

AUDIT_ACTIONS = (
    ("create", "Created"),
    ("update", "Updated"),
    ("delete", "Deleted"),
    ("view-confidential", "Viewed confidential record"),
    ("agree", "Agreement decision"),
    ("export", "Exported for a subject access request"),
    ("purge", "Purged after the retention period"),
    ("login", "Signed in"),
    ("login-failed", "Failed sign-in"),
)


class AuditEvent(BaseModel):
    """Append-only. `actor` keeps the name at the time, so the trail reads
    the same even after an account is renamed."""

    audited = False

    at = DateTimeField(verbose_name="When", default=utcnow, index=True)
    user = ForeignKeyField(User, null=True, on_delete="RESTRICT")
    actor = CharField(verbose_name="Who", max_length=254, default="")
    action = CharField(max_length=30, choices=AUDIT_ACTIONS, index=True)
    model = CharField(verbose_name="Record type", max_length=40, default="", index=True)
    record_id = CharField(verbose_name="Record", max_length=40, default="")
    changes = TextField(default="")
    ip = CharField(verbose_name="Address", max_length=45, default="")

    def save(self, *args, **kwargs):
        if self.id is not None:
            raise PermissionError("Audit events cannot be changed.")
        return super().save(*args, **kwargs)

    def delete_instance(self, *args, **kwargs):
        raise PermissionError("Audit events cannot be deleted.")
