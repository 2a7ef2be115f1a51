"""Operator commands, `flask --app app <command>`, one module per area."""
from commands import database, deployment, mail, people, records, year


def register(app):
    for area in (database, people, mail, year, records, deployment):
        area.register(app)
