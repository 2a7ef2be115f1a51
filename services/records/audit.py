"""The audit trail: every change, every view of a confidential record,
every sign-in and every agreement decision is written here."""
import json

from flask import has_request_context, request
from flask_login import current_user

from models import AuditEvent
from models.base import change_listeners

# Who made a change that no signed-in person made: a command or the app itself.
SYSTEM_ACTOR = "Appraise (system)"


def client_address():
    return (request.remote_addr or "") if has_request_context() else ""


def record_event(action, record=None, *, model_name="", record_id="", changes=None, user=None):
    """Append one event. `user` defaults to whoever is signed in; `changes`
    maps field names to (old, new) or is free text."""
    if user is None and has_request_context() and current_user.is_authenticated:
        user = current_user._get_current_object()
    if record is not None:
        model_name = type(record).__name__
        record_id = str(record.id)
    if isinstance(changes, dict):
        changes = json.dumps(changes, default=str, ensure_ascii=False, sort_keys=True)
    return AuditEvent.create(
        user=user,
        actor=(f"{user.name} <{user.email}>" if user else SYSTEM_ACTOR),
        action=action,
        model=model_name,
        record_id=record_id,
        changes=changes or "",
        ip=client_address(),
    )


def record_change(kind, record, before):
    """A change listener for models.base: one event per create, update or
    delete, with the changed fields as [old, new]."""
    after = {} if kind == "delete" else record.__data__
    changes = {}
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old == new or (kind == "create" and new in (None, "")):
            continue
        if name in record.unaudited_fields:
            continue
        changes[name] = ["(changed)", "(changed)"] if name in record.secret_fields else [old, new]
    if kind == "update" and not changes:
        return
    record_event(kind, model_name=type(record).__name__, record_id=str(record._pk),
                 changes=changes)


def init_audit():
    if record_change not in change_listeners:
        change_listeners.append(record_change)
