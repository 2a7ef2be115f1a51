from flask_login import UserMixin
from peewee import BooleanField, CharField, DateTimeField

from .base import BaseModel, utcnow

ROLES = (
    ("hr", "HR"),
    ("staff", "Staff"),
    ("councillor", "Councillor"),
)


def normalise_email(email):
    return None if email is None else email.strip().lower()


class EmailField(CharField):
    """Stored, and compared, in lower case: so the unique index is a
    case-insensitive one and every lookup by email ignores case."""

    def db_value(self, value):
        return normalise_email(value)


class User(UserMixin, BaseModel):
    """An account."""

    # Compare and hash as a peewee row (by id), not as UserMixin does, so
    # users work as set members and dict keys.
    __eq__ = BaseModel.__eq__
    __hash__ = BaseModel.__hash__

    secret_fields = ("password_hash",)
    unaudited_fields = ("last_login",)

    name = CharField(max_length=120)
    email = EmailField(verbose_name="Email address", max_length=254, unique=True)
    password_hash = CharField(max_length=255)
    role = CharField(max_length=20, choices=ROLES, default="staff", index=True)
    active = BooleanField(default=True, index=True)
    last_login = DateTimeField(verbose_name="Last signed in", null=True)
    created_at = DateTimeField(verbose_name="Created", default=utcnow)

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        return super().save(*args, **kwargs)

    @property
    def is_active(self):
        return self.active

    @property
    def is_hr(self):
        return self.role == "hr"

    label_fields = ("name",)

    def __str__(self):
        return self.name
