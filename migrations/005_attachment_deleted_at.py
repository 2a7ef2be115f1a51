"""An attachment deleted in the admin is only marked deleted: its row and
file are kept until the retention purge removes them."""
import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.add_fields("attachment", deleted_at=pw.DateTimeField(null=True, index=True))


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_fields("attachment", "deleted_at")
