"""How dates and times are written for people: the UK way, in the
council's time zone. Services, commands and pages all use these."""
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def uk_date(value):
    """22 Nov 2026."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_london(value)
    return f"{value.day} {value:%b %Y}"


def uk_datetime(value):
    """22 Nov 2026 14:05, London time."""
    if value is None:
        return ""
    local = to_london(value)
    return f"{local.day} {local:%b %Y %H:%M}"


def to_london(value):
    """Stored datetimes are naive UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(LONDON)
