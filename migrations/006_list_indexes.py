"""Lists filtered by status (or rating) in their usual order read one
index range: each status index becomes a (status, order) index."""
import peewee as pw
from peewee_migrate import Migrator

REPLACED = (("meeting", "status", "held_on"), ("assessment", "rating", "created_at"),
            ("objective", "status", "cycle"))


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    for table, filtered, ordered in REPLACED:
        migrator.drop_index(table, filtered)
        migrator.add_index(table, filtered, ordered)


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    for table, filtered, ordered in REPLACED:
        migrator.drop_index(table, filtered, ordered)
        migrator.add_index(table, filtered)
