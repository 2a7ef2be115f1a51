"""Do the stored files and the attachment rows agree? A file with no row
(an orphan, left by a crash between writing it and committing its row, or
between a purge's commit and its file deletions) and a row whose file is
missing are both reported for someone to look into."""
from typing import NamedTuple

from models import Attachment
from services.records.storage import storage


class FileCheck(NamedTuple):
    orphans: list
    missing: list

    @property
    def ok(self):
        return not self.orphans and not self.missing


def check_files():
    stored = set(storage().names())
    rows = {attachment.stored_name: attachment for attachment in Attachment.select()}
    return FileCheck(orphans=sorted(stored - set(rows)),
                     missing=[rows[name] for name in sorted(set(rows) - stored)])
