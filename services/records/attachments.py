"""Documents on an officer's file: adding one (checked by size, content
and name before anything is kept), opening one (always audited), and
deleting one (hidden at once, the file kept until the retention purge)."""
import hashlib
import unicodedata
from pathlib import PurePosixPath

from flask import current_app, send_file

from formatting import uk_date
from models import Attachment, Cycle, db, utcnow
from services.access import policy
from services.records.audit import record_event
from services.records.file_types import ALLOWED_DESCRIPTION, detect_type
from services.records.storage import CHUNK_SIZE, chunks_of, storage

MEGABYTE = 1024 * 1024
# Room in a request, beyond the file itself, for the form's other fields.
FORM_ALLOWANCE = 256 * 1024
# Characters Windows refuses in a file name, replaced when the file is downloaded.
RESERVED_CHARACTERS = set('<>:"/\\|?*')
MAX_NAME_LENGTH = 255
UNNAMED = "document"


class UploadRefused(Exception):
    """Why a file was not accepted; nothing of it has been kept."""


def init_uploads(app):
    """Refuse a request body larger than the limit before reading it."""
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_UPLOAD_MB"] * MEGABYTE + FORM_ALLOWANCE


def limit_description():
    return f"{current_app.config['MAX_UPLOAD_MB']} MB"


# -- adding ---------------------------------------------------------------

def sanitised_name(name):
    """The file's own name, as something safe to show and to offer as a
    download: no folders, no control or direction-changing characters,
    nothing Windows refuses, no leading dots."""
    name = unicodedata.normalize("NFC", name or "")
    name = "".join(character for character in name if not unicodedata.category(character).startswith("C"))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join("_" if character in RESERVED_CHARACTERS else character for character in name)
    return " ".join(name.split()).strip(". ")


def download_name(name, kind):
    """The sanitised name, ending in an extension that matches what the
    file really is, so nobody opens a PDF called .exe or the reverse."""
    name = sanitised_name(name)
    path = PurePosixPath(name)
    if path.suffix.lower() not in kind.extensions:
        path = PurePosixPath(f"{name or UNNAMED}{kind.extensions[0]}")
    return path.stem[: MAX_NAME_LENGTH - len(path.suffix)] + path.suffix


def measure(file):
    """(size, sha256) of the upload, read in chunks; refused as soon as it
    is past the limit."""
    limit = current_app.config["MAX_UPLOAD_MB"] * MEGABYTE
    digest, size = hashlib.sha256(), 0
    file.seek(0)
    for chunk in chunks_of(file, CHUNK_SIZE):
        size += len(chunk)
        if size > limit:
            raise UploadRefused(f"The file is larger than the limit of {limit_description()}.")
        digest.update(chunk)
    file.seek(0)
    if size == 0:
        raise UploadRefused("The file is empty.")
    return size, digest.hexdigest()


def check_links(officer, meeting, objective):
    if meeting is not None and Cycle.get_by_id(meeting.cycle_id).officer_id != officer.id:
        raise UploadRefused("The meeting chosen is not one of this officer's meetings.")
    if objective is not None and Cycle.get_by_id(objective.cycle_id).officer_id != officer.id:
        raise UploadRefused("The objective chosen is not one of this officer's objectives.")


def duplicate_of(officer, sha256):
    return Attachment.kept().where((Attachment.officer == officer) & (Attachment.sha256 == sha256)).first()


def store_upload(file, filename, *, officer, uploaded_by, meeting=None, objective=None,
                 personal_file=False):
    """Put an uploaded file (a seekable binary file) on the officer's file.
    Raises UploadRefused, leaving no row and no file, when it may not go."""
    check_links(officer, meeting, objective)
    size, sha256 = measure(file)
    kind = detect_type(file)
    if kind is None:
        raise UploadRefused(f"This kind of file is not accepted. Upload a {ALLOWED_DESCRIPTION} file.")
    duplicate = duplicate_of(officer, sha256)
    if duplicate:
        raise UploadRefused(f"This file is already on {officer.name}'s file as "
                            f"“{duplicate.original_name}”, uploaded {uk_date(duplicate.uploaded_at)}.")
    stored = storage().save(chunks_of(file))
    try:
        with db.atomic():
            return Attachment.create(
                officer=officer, meeting=meeting, objective=objective,
                original_name=download_name(filename, kind), stored_name=stored.stored_name,
                content_type=kind.content_type, size=stored.size, sha256=stored.sha256,
                personal_file=personal_file, uploaded_by=uploaded_by,
            )
    except BaseException:
        # The row did not commit, so the file must not outlive it.
        storage().delete(stored.stored_name)
        raise


# -- opening and deleting -------------------------------------------------

def download(attachment):
    """The response that hands the file over, as a download only, with the
    type it was stored as; the opening is audited first."""
    file = storage().open(attachment.stored_name)
    record_event("view-confidential", attachment)
    response = send_file(file, mimetype=attachment.content_type, as_attachment=True,
                         download_name=attachment.original_name, conditional=False, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def delete_attachment(attachment):
    """Hide the attachment from everyone; the row and the file stay until
    the purge, so a delete can be undone by HR with the database."""
    with db.atomic():
        Attachment.update(deleted_at=utcnow()).where(Attachment.id == attachment.id).execute()
        record_event("delete", attachment, changes={"deleted_at": "kept until the retention purge"})


# -- the personal file ----------------------------------------------------

def personal_file(officer, reader):
    """The officer's personal-file documents the reader may see, oldest first."""
    query = (Attachment.kept()
             .where((Attachment.officer == officer) & (Attachment.personal_file == True))  # noqa: E712
             .order_by(Attachment.uploaded_at, Attachment.id))
    return list(policy.visible_rows(reader, Attachment, query))
