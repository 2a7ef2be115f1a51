"""When the database cannot be reached: a plain 503 page instead of an
error, and nothing half-written, because every change runs in a transaction
that is rolled back when it fails. Each request connects afresh, so the app
recovers by itself when the database comes back."""
from flask import current_app, g, render_template
from peewee import InterfaceError, OperationalError

DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def init_outage_handling(app):
    for error in DATABASE_UNAVAILABLE:
        app.register_error_handler(error, database_unavailable_page)


def database_unavailable_page(error):
    note_database_unavailable(error)
    return render_template("errors/database_unavailable.html"), 503, {"Retry-After": "60"}


def note_database_unavailable(error):
    current_app.logger.error("The database is unavailable: %s", error)
    # The signed-in user cannot be loaded without the database: finish this
    # response as for a visitor, so no after-request hook tries to load them.
    g._login_user = current_app.login_manager.anonymous_user()
