"""The schema is built and upgraded by the numbered migrations only, so a
new installation and an upgraded one must both end up exactly where the
models say, and an upgrade must keep every row."""
import os
import uuid
from contextlib import contextmanager
from datetime import date
from urllib.parse import quote

import pytest
from peewee import ForeignKeyField, PostgresqlDatabase, SqliteDatabase
from playhouse.db_url import connect as connect_url

from app import create_app
from config import TestingConfig
from models import ALL_MODELS, Officer, TimetableStep, User, db
from services import schema
from services.year.timetable import DEFAULT_TIMETABLE

MIGRATIONS = ["001_initial", "002_officer_leaving_date", "003_agreement_links_and_outbox_sending",
              "004_annual_cycle", "005_attachment_deleted_at", "006_list_indexes"]


# -- comparing a database with the models ------------------------------


def table_columns(table, db_schema=None):
    return {column.name: column for column in db.get_columns(table, schema=db_schema)}


def declared_indexes(model):
    """(columns, unique) of every index the model asks for."""
    indexes = set()
    for field in model._meta.sorted_fields:
        if field.primary_key:
            continue
        if field.unique:
            indexes.add(((field.column_name,), True))
        elif field.index or isinstance(field, ForeignKeyField):
            indexes.add(((field.column_name,), False))
    for names, unique in model._meta.indexes:
        columns = tuple(model._meta.fields[name].column_name for name in names)
        indexes.add((columns, bool(unique)))
    return indexes


def database_indexes(model, db_schema=None):
    pk = model._meta.primary_key.column_name
    found = set()
    for index in db.get_indexes(model._meta.table_name, schema=db_schema):
        columns = tuple(column.strip('"') for column in index.columns)
        if columns != (pk,):
            found.add((columns, bool(index.unique)))
    return found


ON_DELETE_CODES = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}


def database_foreign_keys(table, db_schema=None):
    """{column: (referenced table, ON DELETE action)} as the database has them."""
    database = db.obj
    if isinstance(database, SqliteDatabase):
        rows = db.execute_sql(f'PRAGMA foreign_key_list("{table}")').fetchall()
        return {row[3]: (row[2], row[6].upper()) for row in rows}
    if isinstance(database, PostgresqlDatabase):
        rows = db.execute_sql(
            """
            SELECT a.attname, target.relname, c.confdeltype
            FROM pg_constraint AS c
            JOIN pg_class AS source ON source.oid = c.conrelid
            JOIN pg_namespace AS n ON n.oid = source.relnamespace
            JOIN pg_class AS target ON target.oid = c.confrelid
            JOIN pg_attribute AS a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
            WHERE c.contype = 'f' AND source.relname = %s AND n.nspname = %s
            """,
            (table, db_schema or "public"),
        ).fetchall()
        return {column: (target, ON_DELETE_CODES[code]) for column, target, code in rows}
    pytest.skip(f"no foreign-key introspection written for {type(database).__name__}")


def model_foreign_keys(model):
    return {
        field.column_name: (field.rel_model._meta.table_name, (field.on_delete or "NO ACTION").upper())
        for field in model._meta.sorted_fields
        if isinstance(field, ForeignKeyField)
    }


def schema_differences(db_schema=None):
    """Every way the database differs from the models, as readable lines."""
    problems = []
    tables = set(db.get_tables(schema=db_schema)) - {"migratehistory"}
    expected = {model._meta.table_name for model in ALL_MODELS}
    if tables != expected:
        problems.append(f"tables: extra {sorted(tables - expected)}, missing {sorted(expected - tables)}")
    for model in ALL_MODELS:
        table = model._meta.table_name
        if table not in tables:
            continue
        columns = table_columns(table, db_schema)
        fields = {field.column_name: field for field in model._meta.sorted_fields}
        if set(columns) != set(fields):
            problems.append(f"{table} columns: database {sorted(columns)} != model {sorted(fields)}")
        for name in set(columns) & set(fields):
            if columns[name].null != fields[name].null:
                problems.append(f"{table}.{name}: null={columns[name].null} in the database, "
                                f"{fields[name].null} in the model")
        primary = [column.name for column in columns.values() if column.primary_key]
        if primary != [model._meta.primary_key.column_name]:
            problems.append(f"{table} primary key: {primary}")
        if declared_indexes(model) != database_indexes(model, db_schema):
            problems.append(f"{table} indexes: model {sorted(declared_indexes(model))} "
                            f"!= database {sorted(database_indexes(model, db_schema))}")
        if model_foreign_keys(model) != database_foreign_keys(table, db_schema):
            problems.append(f"{table} foreign keys: model {model_foreign_keys(model)} "
                            f"!= database {database_foreign_keys(table, db_schema)}")
    return problems


# -- the configured database (SQLite, or whatever DATABASE_URL names) -----


def test_every_migration_has_been_applied(app):
    router = schema.router()
    assert router.done == MIGRATIONS
    assert router.diff == []


def test_the_schema_the_migrations_build_matches_the_models(app):
    assert schema_differences() == []


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda model: model.__name__)
def test_each_table_has_exactly_the_models_columns_and_nullability(app, model):
    table = model._meta.table_name
    columns = table_columns(table)
    assert set(columns) == {field.column_name for field in model._meta.sorted_fields}
    for field in model._meta.sorted_fields:
        assert columns[field.column_name].null == field.null, f"{table}.{field.column_name}"


def test_running_the_migrations_again_changes_nothing(app):
    assert schema.upgrade() == []
    assert schema.router().done == MIGRATIONS


def test_init_db_on_an_up_to_date_database_says_so(app):
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "The database schema is up to date." in result.output
    assert "Applied" not in result.output
    # the timetable is seeded once, not again
    assert TimetableStep.select().count() == len(DEFAULT_TIMETABLE)


def test_db_status_lists_the_applied_migrations(app):
    result = app.test_cli_runner().invoke(args=["db-status"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [f"applied  {name}" for name in MIGRATIONS]


# -- upgrading an old database in place ---------------------------------


@contextmanager
def app_on(url):
    """An app bound to another database; the shared handle is put back after."""
    previous = db.obj
    other = create_app(TestingConfig, {"DATABASE_URL": url})
    try:
        with other.app_context():
            db.connect(reuse_if_open=True)
            yield other
    finally:
        if not db.is_closed():
            db.close()
        db.initialize(previous)


@pytest.fixture(params=["sqlite", "configured"])
def empty_database(request, tmp_path):
    """(url, schema) of an empty database: a new SQLite file, and, when the
    suite runs on PostgreSQL, a new schema in that database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old-version.sqlite3'}", None
        return
    configured = os.environ.get("DATABASE_URL", "")
    if not configured.startswith(("postgres://", "postgresql://")):
        pytest.skip("the suite is not running on PostgreSQL")
    name = f"upgrade_test_{uuid.uuid4().hex[:12]}"
    admin = connect_url(configured)
    with admin.connection_context():
        admin.execute_sql(f'CREATE SCHEMA "{name}"')
    separator = "&" if "?" in configured else "?"
    try:
        yield f"{configured}{separator}options={quote(f'-c search_path={name}')}", name
    finally:
        with admin.connection_context():
            admin.execute_sql(f'DROP SCHEMA "{name}" CASCADE')


OLD_ROWS = {
    "user": 'SELECT name, email, password_hash, role, active, created_at FROM "user" ORDER BY email',
    "officer": "SELECT user_id, post_title, statutory_role, active FROM officer ORDER BY post_title",
    "council": "SELECT name, short_name FROM council ORDER BY name",
    "officer_council": "SELECT officer_id, council_id FROM officer_council ORDER BY officer_id, council_id",
}


def fill_version_1_database():
    """Rows written by the first release, straight into its tables."""
    statements = [
        """INSERT INTO "user" (name, email, password_hash, role, active, created_at)
           VALUES ('Jo Chambers', 'jo.chambers@northvale.gov.uk', '$argon2id$v=19$old', 'staff',
                   TRUE, '2025-01-06 09:30:00')""",
        """INSERT INTO "user" (name, email, password_hash, role, active, created_at)
           VALUES ('Pat Former', 'pat.former@northvale.gov.uk', '$argon2id$v=19$old2', 'staff',
                   FALSE, '2025-01-07 10:00:00')""",
        """INSERT INTO council (name, short_name) VALUES ('North Vale District Council', 'NVDC')""",
        """INSERT INTO officer (user_id, post_title, statutory_role, active)
           SELECT id, 'Joint Chief Executive', 'head of paid service', TRUE FROM "user"
           WHERE email = 'jo.chambers@northvale.gov.uk'""",
        """INSERT INTO officer (user_id, post_title, statutory_role, active)
           SELECT id, 'Director of Place', 'none', FALSE FROM "user"
           WHERE email = 'pat.former@northvale.gov.uk'""",
        """INSERT INTO officer_council (officer_id, council_id)
           SELECT officer.id, council.id FROM officer, council""",
    ]
    with db.atomic():
        for statement in statements:
            db.execute_sql(statement)


def snapshot():
    return {table: db.execute_sql(query).fetchall() for table, query in OLD_ROWS.items()}


def build_version_1(db_schema):
    assert schema.upgrade("001_initial") == ["001_initial"]
    assert schema.router().done == ["001_initial"]
    assert "leaving_date" not in table_columns("officer", db_schema)
    fill_version_1_database()
    rows = snapshot()
    assert len(rows["user"]) == 2 and len(rows["officer"]) == 2 and len(rows["officer_council"]) == 2
    return rows


def test_an_old_database_is_upgraded_with_its_rows_intact(empty_database):
    url, db_schema = empty_database
    with app_on(url):
        before = build_version_1(db_schema)
        # the comparison with the models notices what version 1 lacks
        differences = schema_differences(db_schema)
        assert {"officer columns", "officer indexes"} <= {line.split(":")[0] for line in differences}

        assert schema.upgrade() == MIGRATIONS[1:]

        assert schema.router().done == MIGRATIONS
        columns = table_columns("officer", db_schema)
        assert "leaving_date" in columns and columns["leaving_date"].null
        assert snapshot() == before
        # the new column starts empty and the upgraded schema is the one the models describe
        assert [officer.leaving_date for officer in Officer.select()] == [None, None]
        assert schema_differences(db_schema) == []
        # and the application can use it
        leaver = Officer.get(Officer.post_title == "Director of Place")
        leaver.leaving_date = date(2025, 12, 31)
        leaver.save()
        assert Officer.get_by_id(leaver.id).leaving_date == date(2025, 12, 31)
        assert User.get(User.email == "JO.CHAMBERS@northvale.gov.uk").officer_profile.get().post_title == (
            "Joint Chief Executive"
        )


def test_init_db_upgrades_an_old_database_in_place(empty_database):
    url, db_schema = empty_database
    with app_on(url) as old_app:
        before = build_version_1(db_schema)

        result = old_app.test_cli_runner().invoke(args=["init-db"])

        assert result.exit_code == 0, result.output
        assert f"Applied {len(MIGRATIONS) - 1} migration(s): {', '.join(MIGRATIONS[1:])}" in result.output
        db.connect(reuse_if_open=True)
        assert snapshot() == before
        assert "leaving_date" in table_columns("officer", db_schema)
        assert TimetableStep.select().count() == len(DEFAULT_TIMETABLE)
        status = old_app.test_cli_runner().invoke(args=["db-status"])
        assert status.output.splitlines() == [f"applied  {name}" for name in MIGRATIONS]


def test_init_db_builds_a_new_database_from_nothing(empty_database):
    url, db_schema = empty_database
    with app_on(url) as new_app:
        pending = new_app.test_cli_runner().invoke(args=["db-status"])
        assert pending.output.splitlines() == [f"pending  {name}" for name in MIGRATIONS]

        result = new_app.test_cli_runner().invoke(args=["init-db"])

        assert result.exit_code == 0, result.output
        assert f"Applied {len(MIGRATIONS)} migration(s): {', '.join(MIGRATIONS)}" in result.output
        db.connect(reuse_if_open=True)
        assert schema_differences(db_schema) == []
        assert [step.number for step in TimetableStep.select().order_by(TimetableStep.number)] == [
            number for number, *_rest in DEFAULT_TIMETABLE
        ]
        again = new_app.test_cli_runner().invoke(args=["init-db"])
        assert "The database schema is up to date." in again.output


def test_the_upgrade_gives_step_4_the_first_council_meeting_rule_unless_hr_changed_it(empty_database):
    url, db_schema = empty_database
    with app_on(url):
        schema.upgrade("003_agreement_links_and_outbox_sending")
        TimetableStep.create(number=4, activity="Report to Council", owner="appraiser",
                             due_rule="6 weeks after step 3")
        TimetableStep.create(number=8, activity="HR's own step", owner="appraiser",
                             due_rule="6 weeks after step 3")

        schema.upgrade()

        rules = {step.number: step.due_rule for step in TimetableStep.select()}
        assert rules == {4: "first Council meeting after step 3", 8: "6 weeks after step 3"}


def planner_statistics_rows(table):
    if isinstance(db.obj, SqliteDatabase):
        exists = db.execute_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone()
        return db.execute_sql("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = ?",
                              (table,)).fetchone()[0] if exists else 0
    return db.execute_sql("SELECT COUNT(*) FROM pg_stats WHERE schemaname = current_schema() "
                          "AND tablename = %s", (table,)).fetchone()[0]


def test_analyze_db_gives_the_query_planner_statistics(app, scenario):
    assert planner_statistics_rows("objective") == 0
    result = app.test_cli_runner().invoke(args=["analyze-db"])
    assert result.exit_code == 0, result.output
    assert "statistics are up to date" in result.output
    assert planner_statistics_rows("objective") > 0
