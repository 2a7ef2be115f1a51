"""A whole database copied to one file and back, each engine its own way:
SQLite through its online backup API (a consistent copy while the app keeps
writing), PostgreSQL with pg_dump / pg_restore, MySQL and MariaDB with
mariadb-dump / mariadb."""
import errno
import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path
from urllib.parse import urlsplit

from playhouse.db_url import parse

ENGINES = {
    "sqlite": "sqlite", "sqliteext": "sqlite",
    "postgres": "postgresql", "postgresql": "postgresql", "postgresext": "postgresql",
    "mysql": "mysql", "mariadb": "mysql",
}
DUMP_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump", "mysql": "database.sql"}


class DumpError(Exception):
    """A dump or load that failed; the message is for the operator."""


def engine_of(url):
    scheme = urlsplit(url).scheme.split("+")[0]
    if scheme not in ENGINES:
        raise DumpError(f"Backups cover SQLite, PostgreSQL and MySQL/MariaDB, not '{scheme}' databases.")
    return ENGINES[scheme]


def dump_database(url, target):
    {"sqlite": dump_sqlite, "postgresql": dump_postgresql, "mysql": dump_mysql}[engine_of(url)](url, target)


def load_database(url, source):
    {"sqlite": load_sqlite, "postgresql": load_postgresql, "mysql": load_mysql}[engine_of(url)](url, source)


def dump_sqlite(url, target):
    path = Path(parse(url)["database"])
    if not path.is_file():
        raise DumpError(f"The database file {path} does not exist.")
    copy_sqlite(path, Path(target))


def load_sqlite(url, source):
    path = Path(parse(url)["database"])
    path.parent.mkdir(parents=True, exist_ok=True)
    copy_sqlite(Path(source), path)


def copy_sqlite(source, target):
    try:
        with closing(sqlite3.connect(source)) as source_db, closing(sqlite3.connect(target)) as target_db:
            source_db.backup(target_db)
            # One self-contained file, with no write-ahead log beside it.
            target_db.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.OperationalError as error:
        if "full" in str(error):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target)) from error
        raise DumpError(f"SQLite could not copy {source} to {target}: {error}") from error


def dump_postgresql(url, target):
    run_tool(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"],
             postgresql_environment(url))


def load_postgresql(url, source):
    # --clean drops the empty tables an `init-db` may have made before the restore.
    run_tool(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--exit-on-error",
              "--single-transaction", f"--dbname={parse(url)['database']}", str(source)],
             postgresql_environment(url))


def postgresql_environment(url):
    settings = parse(url)
    names = {"host": "PGHOST", "port": "PGPORT", "user": "PGUSER", "password": "PGPASSWORD",
             "database": "PGDATABASE", "sslmode": "PGSSLMODE"}
    return {names[key]: str(value) for key, value in settings.items() if key in names}


def dump_mysql(url, target):
    settings = parse(url)
    run_tool([mysql_tool("mariadb-dump", "mysqldump"), "--single-transaction", "--routines", "--triggers",
              "--no-tablespaces", *mysql_connection_options(settings), f"--result-file={target}",
              settings["database"]],
             mysql_environment(settings))


def load_mysql(url, source):
    settings = parse(url)
    with open(source, "rb") as dump:
        run_tool([mysql_tool("mariadb", "mysql"), *mysql_connection_options(settings), settings["database"]],
                 mysql_environment(settings), stdin=dump)


def mysql_tool(*names):
    return next((name for name in names if shutil.which(name)), names[0])


def mysql_connection_options(settings):
    options = {"host": "--host", "port": "--port", "user": "--user"}
    return [f"{options[key]}={value}" for key, value in settings.items() if key in options]


def mysql_environment(settings):
    # In the environment, not on the command line where `ps` would show it.
    return {"MYSQL_PWD": settings["password"]} if settings.get("password") else {}


def run_tool(command, environment, stdin=None):
    try:
        finished = subprocess.run(command, env={**os.environ, **environment}, stdin=stdin,
                                  capture_output=True, text=True)
    except FileNotFoundError as error:
        raise DumpError(f"{command[0]} is not installed on this server; install the database's client "
                        "tools (e.g. apt-get install postgresql-client or mariadb-client).") from error
    if finished.returncode != 0:
        detail = finished.stderr.strip().splitlines()[-1] if finished.stderr.strip() else "no message"
        raise DumpError(f"{command[0]} failed: {detail}")
