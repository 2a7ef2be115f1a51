from peewee import BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField

from .base import BaseModel, utcnow
from .user import User


class Council(BaseModel):
    name = CharField(max_length=120, unique=True)
    short_name = CharField(verbose_name="Short name", max_length=20, unique=True)

    label_fields = ("name", "short_name")

    def __str__(self):
        return self.name


class Priority(BaseModel):
    """A corporate-plan priority of one council, or (council empty) an
    objective of the collaboration between the councils."""

    council = ForeignKeyField(Council, null=True, backref="priorities", on_delete="RESTRICT")
    reference = CharField(verbose_name="Reference", max_length=20)
    title = CharField(max_length=200)
    active = BooleanField(default=True, index=True)

    class Meta:
        indexes = ((("council", "reference"), True),)

    @property
    def scope(self):
        return self.council.short_name if self.council_id else "Collaboration"

    def __str__(self):
        return f"{self.reference} {self.title}"


class CouncilMeeting(BaseModel):
    """A date the full Council meets: the Leader's report (step 4) is due
    at the first one after the objectives are agreed."""

    council = ForeignKeyField(Council, backref="meetings", on_delete="CASCADE")
    meets_on = DateField(verbose_name="Meets on", index=True)

    class Meta:
        indexes = ((("council", "meets_on"), True),)

    def __str__(self):
        return f"{self.council.short_name} Council, {self.meets_on:%-d %b %Y}"


class CouncilReport(BaseModel):
    """A Leader's report to Council that has been generated: one per
    council and year, kept so step 4 knows when every council has had one."""

    council = ForeignKeyField(Council, backref="reports", on_delete="RESTRICT")
    year = IntegerField(index=True)
    generated_at = DateTimeField(verbose_name="Generated", default=utcnow)
    generated_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")

    class Meta:
        indexes = ((("council", "year"), True),)

    def __str__(self):
        return f"Report to {self.council.short_name} Council, {self.year}"
