"""Agreement of records by every party: what is locked while a record is
being agreed and once it has been."""
from models import Meeting

LOCKED_MEETING_STATUSES = ("awaiting agreement", "agreed")


def is_locked(record):
    """A record nobody may edit or delete, HR included: a meeting record out
    for agreement or agreed. A correction is a new version."""
    return isinstance(record, Meeting) and record.status in LOCKED_MEETING_STATUSES
