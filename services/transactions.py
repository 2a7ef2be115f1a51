"""Transactions in which two writers on the same record queue up rather
than both acting on what they read before the other wrote, on every engine
the app runs on."""
from peewee import SqliteDatabase

from models import db


def serialised_transaction():
    """On SQLite, BEGIN IMMEDIATE: the write lock is taken at once, so a
    second writer waits its turn (busy_timeout) instead of failing when it
    tries to upgrade a read lock. Elsewhere a plain transaction, in which
    `locked` takes row locks."""
    if isinstance(db.obj, SqliteDatabase):
        return db.atomic("IMMEDIATE")
    return db.atomic()


def locked(query):
    """`query` with FOR UPDATE where the engine has it (SQLite locks the
    whole database instead, in `serialised_transaction`)."""
    return query.for_update() if db.obj.for_update else query
