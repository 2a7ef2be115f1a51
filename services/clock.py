"""The one place the app asks the date and the time of day (models.utcnow
stamps records), so that tests can set it: tests/conftest.py's `clock`."""
from datetime import date, datetime


def today():
    return date.today()


def now(zone):
    """The wall-clock time in `zone`, without the zone."""
    return datetime.now(zone).replace(tzinfo=None)
