"""Who may see and do what. The single place that decides it: every admin
view, export, lookup and custom page asks here."""
from peewee import SQL

from models import AuditEvent, OutboxEmail

VIEW, CREATE, EDIT, DELETE = "view", "create", "edit", "delete"

# The audit trail is append-only: no one edits or deletes it in the app.
READ_ONLY_MODELS = {AuditEvent}
# Emails are written by the system, never typed in by hand.
NO_CREATE_MODELS = {AuditEvent, OutboxEmail}


def can_use_admin_model(user, model, action=VIEW):
    """May this user perform `action` on records of `model` at all?

    Until relationship-based access lands, only HR works with records;
    everybody else sees their dashboard and nothing else."""
    if not user.is_authenticated or not user.active:
        return False
    if action != VIEW and model in READ_ONLY_MODELS:
        return False
    if action == CREATE and model in NO_CREATE_MODELS:
        return False
    return user.is_hr



def visible_rows(user, model, query):
    """The rows of `model` this user may see, as a narrowing of `query`."""
    if can_use_admin_model(user, model, VIEW):
        return query
    return query.where(SQL("1 = 0"))
