"""Files kept under UPLOAD_DIR, outside the web root, under random names."""
import hashlib
import os
import secrets
from pathlib import Path
from typing import NamedTuple

from flask import current_app


class StoredFile(NamedTuple):
    stored_name: str
    size: int
    sha256: str


def upload_dir():
    path = Path(current_app.config["UPLOAD_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def path_of(stored_name):
    return upload_dir() / stored_name


def save_bytes(data):
    """Write `data` to a new file with a random name that nobody can guess
    or choose; readable by the app's own account only."""
    stored_name = secrets.token_hex(20)
    descriptor = os.open(path_of(stored_name), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
    return StoredFile(stored_name, len(data), hashlib.sha256(data).hexdigest())


def read_bytes(stored_name):
    return path_of(stored_name).read_bytes()
