from peewee import BooleanField, CharField, DateField, ForeignKeyField

from .base import BaseModel
from .council import Council
from .user import User

STATUTORY_ROLES = (
    ("none", "None"),
    ("head of paid service", "Head of paid service"),
    ("s151", "Chief finance officer (s151)"),
    ("monitoring officer", "Monitoring officer"),
)

APPRAISER_CAPACITIES = (
    ("leader", "Leader"),
    ("deputy leader", "Deputy Leader (supporting)"),
    ("line manager", "Line manager"),
)


class Officer(BaseModel):
    """A senior officer whose performance is appraised."""

    user = ForeignKeyField(
        User, verbose_name="Person", unique=True, backref="officer_profile", on_delete="RESTRICT"
    )
    post_title = CharField(verbose_name="Post", max_length=160)
    statutory_role = CharField(
        verbose_name="Statutory role", max_length=30, choices=STATUTORY_ROLES, default="none"
    )
    active = BooleanField(default=True, index=True)
    leaving_date = DateField(verbose_name="Left on", null=True, index=True)

    @property
    def name(self):
        return self.user.name

    label_fields = ("post_title",)

    def __str__(self):
        return f"{self.user.name}, {self.post_title}"


class OfficerCouncil(BaseModel):
    """A council the officer serves (two or more for a joint post)."""

    officer = ForeignKeyField(Officer, backref="council_links", on_delete="CASCADE")
    council = ForeignKeyField(Council, backref="officer_links", on_delete="RESTRICT")

    class Meta:
        indexes = ((("officer", "council"), True),)

    def __str__(self):
        return str(self.council)


class OfficerAppraiser(BaseModel):
    """Someone who appraises the officer: a Leader (for a Joint Chief
    Executive, one per council served), a supporting Deputy Leader, or the
    line manager."""

    officer = ForeignKeyField(Officer, backref="appraiser_links", on_delete="CASCADE")
    user = ForeignKeyField(User, verbose_name="Appraiser", backref="appraisee_links", on_delete="RESTRICT")
    capacity = CharField(max_length=20, choices=APPRAISER_CAPACITIES, default="line manager")
    council = ForeignKeyField(Council, null=True, on_delete="RESTRICT")

    class Meta:
        indexes = ((("officer", "user"), True),)

    def __str__(self):
        return f"{self.user.name} ({self.capacity})"
