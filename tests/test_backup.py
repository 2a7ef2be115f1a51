"""Backup and restore: the demo backed up and restored elsewhere with every
record and file the same; restores that would overwrite, or that do not
match their checksums, refused before anything changes; backups that fail
for want of room or permission leave nothing that looks like a backup.

The installation backed up is the suite's own database: SQLite, or
PostgreSQL or MariaDB when DATABASE_URL names one."""
import json
import os
import subprocess
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from playhouse.db_url import connect

from app import create_app
from config import TestingConfig
from models import User, db
from services.people.accounts import create_user
from tests.conftest import PASSWORD

NOBODY = 65534
UPLOADS = {
    "3f/3f2a9c1e.pdf": os.urandom(50_000),
    "notes/minutes of 12 March.txt": b"Agreed by all parties.\n",
    "empty.txt": b"",
}


@pytest.fixture
def demo(demo):
    """The demonstration installation, with more files in its upload folder."""
    write_files(Path(demo.config["UPLOAD_DIR"]), UPLOADS)
    return demo


def write_files(folder, files):
    for name, content in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(content)


def files_under(folder):
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in Path(folder).rglob("*") if path.is_file()}


def every_record(url):
    """Every row of every table, in a stable order."""
    database = connect(url)
    with database.connection_context():
        return {
            table: sorted(database.execute_sql(f"SELECT * FROM {quoted(database, table)}").fetchall(),
                          key=repr)
            for table in database.get_tables()
        }


def quoted(database, name):
    opening, closing = database.quote  # "" or ``
    return f"{opening}{name}{closing}"


def run(app, *args):
    # In this app's context: the test's own app context would otherwise be the current one.
    with app.app_context():
        return app.test_cli_runner().invoke(args=list(args))


def back_up(app, out):
    result = run(app, "backup", "--out", str(out))
    assert result.exit_code == 0, result.output
    (folder,) = Path(out).iterdir()
    assert result.output.strip() == f"Backup written to {folder}"
    return folder


@contextmanager
def empty_database_like(url, tmp_path):
    """The address of a new, empty database on the same engine as `url`."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"{parts.path.lstrip('/')}_restore"
    postgresql = parts.scheme.startswith("postgres")
    server = connect(url)
    drop = f"DROP DATABASE IF EXISTS {quoted(server, name)}" + (" WITH (FORCE)" if postgresql else "")
    server.execute_sql(drop)
    server.execute_sql(f"CREATE DATABASE {quoted(server, name)}")
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        db.close()
        server.execute_sql(drop)
        server.close()


def new_installation(url, tmp_path):
    return create_app(TestingConfig, {"DATABASE_URL": url, "UPLOAD_DIR": str(tmp_path / "restored-uploads")})


def test_the_demo_backed_up_and_restored_elsewhere_has_every_record_and_file(demo, tmp_path):
    source_url, source_uploads = demo.config["DATABASE_URL"], demo.config["UPLOAD_DIR"]
    folder = back_up(demo, tmp_path / "backups")
    manifest = json.loads((folder / "manifest.json").read_text())
    uploaded = files_under(source_uploads)  # the demo's formal-record PDFs, and UPLOADS
    assert UPLOADS.items() <= uploaded.items()
    assert set(manifest["files"]) == {manifest["database"]["file"]} | {f"uploads/{name}" for name in uploaded}

    with empty_database_like(source_url, tmp_path) as target_url:
        target = new_installation(target_url, tmp_path)
        result = run(target, "restore", "--from", str(folder))
        assert result.exit_code == 0, result.output

        restored = every_record(target_url)
        assert restored == every_record(source_url)
        assert len(restored["user"]) == 13 and len(restored["objective"]) > 10
        assert files_under(target.config["UPLOAD_DIR"]) == uploaded

        with target.app_context(), db.connection_context():
            newcomer = create_user("new.officer@ashbyvale.gov.uk", "New Officer", "staff", PASSWORD)
            assert newcomer.id > max(row[0] for row in restored["user"])


def test_restore_refuses_an_installation_that_already_has_records(demo, tmp_path):
    folder = back_up(demo, tmp_path / "backups")
    users = User.select().count()
    before = every_record(demo.config["DATABASE_URL"])

    result = run(demo, "restore", "--from", str(folder))

    assert result.exit_code == 1
    assert "This installation is not empty (" in result.output
    assert f"{users} user rows" in result.output
    assert "so nothing was restored" in result.output
    assert every_record(demo.config["DATABASE_URL"]) == before


def test_restore_refuses_an_installation_with_files_in_its_upload_folder(demo, tmp_path):
    folder = back_up(demo, tmp_path / "backups")
    with empty_database_like(demo.config["DATABASE_URL"], tmp_path) as target_url:
        target = new_installation(target_url, tmp_path)
        write_files(Path(target.config["UPLOAD_DIR"]), {"left-over.pdf": b"%PDF"})

        result = run(target, "restore", "--from", str(folder))

        assert result.exit_code == 1
        assert "1 files in" in result.output
        assert files_under(target.config["UPLOAD_DIR"]) == {"left-over.pdf": b"%PDF"}
        assert every_record(target_url) == {}


@pytest.mark.parametrize(("damage", "complaint"), [
    (lambda folder: (folder / "uploads/notes/minutes of 12 March.txt").write_text("Changed later.\n"),
     "uploads/notes/minutes of 12 March.txt does not match its checksum"),
    (lambda folder: (folder / "uploads/empty.txt").unlink(), "uploads/empty.txt is missing"),
    (lambda folder: (folder / "uploads/extra.exe").write_bytes(b"MZ"),
     "uploads/extra.exe is not in the manifest"),
    (lambda folder: next(folder.glob("database.*")).write_bytes(b"not the database"),
     "does not match its checksum"),
])
def test_restore_checks_every_checksum_before_changing_anything(demo, tmp_path, damage, complaint):
    folder = back_up(demo, tmp_path / "backups")
    damage(folder)
    target_file = tmp_path / "restored.sqlite3"
    target = new_installation(f"sqlite:///{target_file}", tmp_path)
    db.close()
    size_before = target_file.stat().st_size

    result = run(target, "restore", "--from", str(folder))

    assert result.exit_code == 1
    assert "failed its checks, so nothing was restored" in result.output
    assert complaint in result.output
    assert target_file.stat().st_size == size_before
    assert not Path(target.config["UPLOAD_DIR"]).exists()


def test_restore_refuses_a_folder_that_is_not_a_backup(app, tmp_path):
    result = run(app, "restore", "--from", str(tmp_path))

    assert result.exit_code == 1
    assert f"{tmp_path} is not an Appraise backup: it has no manifest.json." in result.output


def test_restore_refuses_a_backup_of_another_kind_of_database(demo, tmp_path):
    folder = back_up(demo, tmp_path / "backups")
    manifest = json.loads((folder / "manifest.json").read_text())
    if manifest["database"]["engine"] == "sqlite":
        manifest["database"]["engine"] = "postgresql"
        (folder / "manifest.json").write_text(json.dumps(manifest))
    target = new_installation(f"sqlite:///{tmp_path / 'restored.sqlite3'}", tmp_path)

    result = run(target, "restore", "--from", str(folder))

    assert result.exit_code == 1
    engine = manifest["database"]["engine"]
    assert f"The backup holds a {engine} database but this installation uses sqlite" in result.output


@contextmanager
def as_an_ordinary_user():
    """Root may write anywhere: take an ordinary user's rights, so that
    folder permissions count."""
    if os.geteuid() != 0:
        yield
        return
    os.seteuid(NOBODY)
    try:
        yield
    finally:
        os.seteuid(0)


def test_a_backup_into_a_folder_it_may_not_write_is_refused_and_leaves_nothing(demo, tmp_path):
    out = tmp_path / "read-only"
    out.mkdir()
    out.chmod(0o555)
    tmp_path.chmod(0o755)

    with as_an_ordinary_user():
        result = run(demo, "backup", "--out", str(out))

    assert result.exit_code == 1
    assert "Permission denied: Appraise may not write" in result.output
    assert "No backup was kept." in result.output
    assert list(out.iterdir()) == []


@pytest.fixture
def small_disk(tmp_path):
    """A 1 MB filesystem: room for the demo database, not for a 2 MB upload."""
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount_point)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"a small filesystem cannot be mounted here: {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=True)


def test_a_backup_that_runs_out_of_room_is_refused_and_leaves_nothing(demo, small_disk):
    write_files(Path(demo.config["UPLOAD_DIR"]), {"scanned personal file.pdf": os.urandom(2_000_000)})

    result = run(demo, "backup", "--out", str(small_disk))

    assert result.exit_code == 1
    assert "There is not enough room: no space left for" in result.output
    assert "No backup was kept." in result.output
    assert list(small_disk.iterdir()) == []
