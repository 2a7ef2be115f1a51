"""Backup and restore of a whole installation: the database and every
uploaded file, with a manifest of their sizes and SHA-256 checksums.

A backup is written into a hidden folder beside its final place and renamed
only once complete, so a backup that failed never looks like a finished one.
A restore checks every checksum before it changes anything, and goes only
into an empty installation, so it can never overwrite records."""
import errno
import hashlib
import json
import shutil
from pathlib import Path

from models import ALL_MODELS, TimetableStep, db, utcnow
from services.records.database_dump import DUMP_FILES, DumpError, dump_database, engine_of, load_database

MANIFEST = "manifest.json"
FORMAT = 1
UPLOADS = "uploads"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that could not be done; the message is for the operator."""


def write_backup(out_dir, database_url, upload_dir):
    """Write a new backup folder inside `out_dir` and return its path."""
    out_dir = Path(out_dir)
    name = f"appraise-backup-{utcnow():%Y%m%d-%H%M%S}"
    partial, final = out_dir / f".{name}.partial", out_dir / name
    try:
        engine = engine_of(database_url)
        out_dir.mkdir(parents=True, exist_ok=True)
        partial.mkdir()
        dump_database(database_url, partial / DUMP_FILES[engine])
        # After the database, so every file its records name is already there.
        copy_files(Path(upload_dir), partial / UPLOADS)
        write_manifest(partial, engine)
        partial.rename(final)
    except (OSError, DumpError) as error:
        shutil.rmtree(partial, ignore_errors=True)
        raise BackupError(f"{failure_reason(error)} No backup was kept.") from error
    return final


def failure_reason(error):
    if isinstance(error, DumpError):
        return f"{error}."
    where = error.filename or "the backup folder"
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"There is not enough room: no space left for {where}."
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (f"Permission denied: Appraise may not write {where}. "
                "Choose a folder that the user running Appraise can write to.")
    return f"The backup could not be written: {error}."


def copy_files(source, target):
    target.mkdir()
    for path in sorted(source.rglob("*")) if source.is_dir() else ():
        if path.is_file():
            copy = target / path.relative_to(source)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, copy)


def write_manifest(folder, engine):
    manifest = {
        "format": FORMAT,
        "created_at": utcnow().isoformat(timespec="seconds") + "Z",
        "database": {"engine": engine, "file": DUMP_FILES[engine]},
        "files": {relative_name(path, folder): file_facts(path) for path in files_in(folder)},
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))


def files_in(folder):
    manifest = folder / MANIFEST
    return sorted(path for path in folder.rglob("*") if path.is_file() and path != manifest)


def relative_name(path, folder):
    return path.relative_to(folder).as_posix()


def file_facts(path):
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return {"size": path.stat().st_size, "sha256": digest.hexdigest()}


def verify_backup(folder):
    """The backup's manifest, once every file in the folder matches it."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
        listed = manifest["files"]
        database_file = manifest["database"]["file"]
    except FileNotFoundError as error:
        raise BackupError(f"{folder} is not an Appraise backup: it has no {MANIFEST}.") from error
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise BackupError(f"The manifest of {folder} cannot be read: {error}.") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{folder} was written by another version of Appraise (format "
                          f"{manifest.get('format')}); this one reads format {FORMAT}.")
    present = {relative_name(path, folder) for path in files_in(folder)}
    problems = [f"{name} is missing" for name in sorted(set(listed) - present)]
    problems += [f"{name} is not in the manifest" for name in sorted(present - set(listed))]
    problems += [f"{name} does not match its checksum" for name in sorted(set(listed) & present)
                 if file_facts(folder / name) != listed[name]]
    if database_file not in listed:
        problems.append(f"the database file {database_file} is not in the manifest")
    if problems:
        raise BackupError(f"The backup in {folder} failed its checks, so nothing was restored: "
                          + "; ".join(problems) + ".")
    return manifest


def installation_contents(upload_dir):
    """What is already in this installation, as phrases; empty when there is
    nothing. The timetable that `init-db` sets up does not count."""
    tables = set(db.get_tables())
    contents = [
        f"{count} {model._meta.table_name} rows"
        for model in ALL_MODELS
        if model is not TimetableStep and model._meta.table_name in tables
        and (count := model.select().count())
    ]
    files = sum(1 for path in Path(upload_dir).rglob("*") if path.is_file())
    if files:
        contents.append(f"{files} files in {upload_dir}")
    return contents


def restore_backup(folder, database_url, upload_dir):
    """Put a verified backup back into this empty installation."""
    folder, upload_dir = Path(folder), Path(upload_dir)
    manifest = verify_backup(folder)
    engine = engine_of(database_url)
    if manifest["database"]["engine"] != engine:
        raise BackupError(f"The backup holds a {manifest['database']['engine']} database but this "
                          f"installation uses {engine}: restore into the same kind of database.")
    with db.connection_context():
        contents = installation_contents(upload_dir)
    if contents:
        raise BackupError("This installation is not empty (" + ", ".join(contents) + "), so nothing "
                          "was restored: restore only into a new installation.")
    staging = upload_dir.parent / f".{upload_dir.name}.restoring"
    try:
        shutil.rmtree(staging, ignore_errors=True)
        upload_dir.parent.mkdir(parents=True, exist_ok=True)
        copy_files(folder / UPLOADS, staging)
        load_database(database_url, folder / manifest["database"]["file"])
        if upload_dir.exists():
            upload_dir.rmdir()  # empty: checked above
        staging.rename(upload_dir)
    except (OSError, DumpError) as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise BackupError(f"The restore failed. {failure_reason(error)}") from error
