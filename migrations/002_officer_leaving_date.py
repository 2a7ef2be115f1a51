"""Officers who have left carry a leaving date (the retention clock)."""
import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.add_fields("officer", leaving_date=pw.DateField(null=True, index=True))


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_fields("officer", "leaving_date")
