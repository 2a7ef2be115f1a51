from peewee import BooleanField, CharField, ForeignKeyField

from .base import BaseModel


class Council(BaseModel):
    name = CharField(max_length=120, unique=True)
    short_name = CharField(verbose_name="Short name", max_length=20, unique=True)

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
