"""Jinja filters shared by every page: UK dates in the council's time zone."""
from formatting import uk_date, uk_datetime


def init_templating(app):
    app.jinja_env.filters["uk_date"] = uk_date
    app.jinja_env.filters["uk_datetime"] = uk_datetime
