"""Schema management with peewee-migrate.

Every schema change is a numbered file in `migrations/`, applied in order and
recorded in the `migratehistory` table, so an existing database is upgraded
in place with its rows kept. A new database is built by the same files, so
a fresh installation and an upgraded one always have the same schema.
"""
import logging
from pathlib import Path

from peewee_migrate import Router

from models import db

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def router():
    logger = logging.getLogger("appraise.schema")
    return Router(db, migrate_dir=MIGRATIONS_DIR, logger=logger)


def upgrade(target=None):
    """Apply every pending migration (or up to and including `target`).
    Returns the names applied."""
    return router().run(target)
