"""The database handle and the base class every model derives from.

The database is a proxy so that the app factory can bind it to whatever
`DATABASE_URL` names (SQLite, PostgreSQL or MySQL/MariaDB) at start-up.
"""

from datetime import UTC, datetime

from peewee import DatabaseProxy, Model
from playhouse.db_url import connect

db = DatabaseProxy()


def utcnow():
    """Naive UTC timestamp: stored the same way on every database engine."""
    return datetime.now(UTC).replace(tzinfo=None)


def bind_database(url):
    database = connect(url)
    if url.startswith("sqlite"):
        database.pragma("foreign_keys", 1, permanent=True)
        database.pragma("journal_mode", "wal", permanent=True)
        database.pragma("busy_timeout", 5000, permanent=True)
    db.initialize(database)
    return database


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False

    @classmethod
    def choice_fields(cls):
        return [f for f in cls._meta.sorted_fields if f.choices]

    def invalid_choices(self):
        """Fields whose value is not one of their declared choices."""
        errors = {}
        for field in self.choice_fields():
            value = getattr(self, field.name)
            allowed = [choice for choice, _label in field.choices]
            if value is None and field.null:
                continue
            if value not in allowed:
                errors[field.name] = f"Choose one of: {', '.join(allowed)}."
        return errors
