"""Where the bytes of attachments live, behind one small interface so that
another back end (an S3-compatible store) can replace the local disk by
configuration alone. Files are stored under random names that nobody can
guess or choose; what they were called is kept in the database."""
import hashlib
import os
import secrets
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, NamedTuple, Protocol

from flask import current_app

CHUNK_SIZE = 1024 * 1024


class StoredFile(NamedTuple):
    stored_name: str
    size: int
    sha256: str


class Storage(Protocol):
    def save(self, chunks: Iterable[bytes]) -> StoredFile:
        """Store the bytes under a new random name."""

    def open(self, stored_name: str) -> BinaryIO:
        """The stored bytes, for reading."""

    def delete(self, stored_name: str) -> None:
        """Remove the file; nothing happens when it is already gone."""

    def names(self) -> Iterator[str]:
        """The name of every file stored."""


class LocalDiskStorage:
    """Files in one folder (UPLOAD_DIR), outside the web root, readable by
    the app's own account only."""

    def __init__(self, folder):
        self.folder = Path(folder)

    def path_of(self, stored_name):
        if not stored_name or Path(stored_name).name != stored_name:
            raise ValueError(f"not a stored file name: {stored_name!r}")
        return self.folder / stored_name

    def save(self, chunks):
        self.folder.mkdir(parents=True, exist_ok=True)
        stored_name = secrets.token_hex(20)
        path = self.path_of(stored_name)
        digest, size = hashlib.sha256(), 0
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as file:
                for chunk in chunks:
                    file.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
                file.flush()
                os.fsync(file.fileno())
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return StoredFile(stored_name, size, digest.hexdigest())

    def open(self, stored_name):
        return self.path_of(stored_name).open("rb")

    def delete(self, stored_name):
        self.path_of(stored_name).unlink(missing_ok=True)

    def names(self):
        if self.folder.is_dir():
            yield from sorted(path.name for path in self.folder.iterdir() if path.is_file())


# STORAGE_BACKEND names one of these; each is made from the app's config.
BACKENDS = {
    "local": lambda config: LocalDiskStorage(config["UPLOAD_DIR"]),
}


def storage() -> Storage:
    return BACKENDS[current_app.config["STORAGE_BACKEND"]](current_app.config)


def chunks_of(file, size=CHUNK_SIZE):
    while chunk := file.read(size):
        yield chunk


def save_bytes(data):
    return storage().save([data])


def read_bytes(stored_name):
    with storage().open(stored_name) as file:
        return file.read()


def path_of(stored_name):
    """Where a file is on the local disk (for the local back end only)."""
    return LocalDiskStorage(current_app.config["UPLOAD_DIR"]).path_of(stored_name)
