"""The database handle and the base class every model derives from.

The database is a proxy so that the app factory can bind it to whatever
`DATABASE_URL` names (SQLite, PostgreSQL or MySQL/MariaDB) at start-up.
"""

from datetime import UTC, datetime

from peewee import DatabaseProxy, Model
from playhouse.db_url import connect
from playhouse.flask_utils import FlaskDB

db = DatabaseProxy()


def utcnow():
    """Naive UTC timestamp: stored the same way on every database engine."""
    return datetime.now(UTC).replace(tzinfo=None)


def open_database(url):
    database = connect(url)
    if url.startswith("sqlite"):
        database.pragma("foreign_keys", 1, permanent=True)
        database.pragma("journal_mode", "wal", permanent=True)
        database.pragma("busy_timeout", 5000, permanent=True)
    return database


def init_database(app):
    """peewee's FlaskDB: `db` bound to the app's DATABASE_URL, and a
    connection for each request, opened before it and closed after it."""
    flask_db = FlaskDB(database=open_database(app.config["DATABASE_URL"]))
    # Given a proxy, FlaskDB initialises it rather than keeping a database of its own.
    flask_db.database = db
    flask_db.init_app(app)
    return flask_db


# Called as listener(kind, record, before) after every save and
# delete_instance of an audited model: kind is "create", "update" or
# "delete", `before` the stored values beforehand ({} for a create).
change_listeners = []


class BaseModel(Model):
    audited = True
    # Written to the audit trail as "(changed)", never as their value.
    secret_fields = ()
    # Changes to these alone are not worth an audit event.
    unaudited_fields = ()
    # The fields __str__ reads besides foreign keys: all that a list needs of
    # a related row to name it. None: every field.
    label_fields = None

    class Meta:
        database = db
        legacy_table_names = False

    def save(self, *args, **kwargs):
        creating = self._pk is None or kwargs.get("force_insert", False)
        before = {}
        if self.audited and change_listeners and not creating:
            stored = type(self).get_or_none(type(self)._meta.primary_key == self._pk)
            before = dict(stored.__data__) if stored else {}
        saved = super().save(*args, **kwargs)
        if self.audited:
            for listener in change_listeners:
                listener("create" if creating else "update", self, before)
        return saved

    def delete_instance(self, *args, **kwargs):
        before = dict(self.__data__)
        deleted = super().delete_instance(*args, **kwargs)
        if self.audited:
            for listener in change_listeners:
                listener("delete", self, before)
        return deleted

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
