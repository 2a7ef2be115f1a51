"""Signing in: throttling failed attempts and recording every attempt.

Failed attempts are counted from the audit trail, per email typed (whether
or not it has an account, so the answer never tells which emails exist) and
per address, over a sliding window."""
from datetime import timedelta

from flask import current_app

from models import AuditEvent, utcnow
from models.user import normalise_email
from services.records.audit import client_address, record_event


def recent_failures(condition):
    window = timedelta(minutes=current_app.config["LOGIN_THROTTLE_MINUTES"])
    return (
        AuditEvent.select()
        .where((AuditEvent.action == "login-failed") & (AuditEvent.at >= utcnow() - window) & condition)
        .count()
    )


def is_throttled(email):
    config = current_app.config
    return (
        recent_failures(AuditEvent.actor == normalise_email(email)[:254])
        >= config["LOGIN_FAILURES_PER_ACCOUNT"]
        or recent_failures(AuditEvent.ip == client_address()) >= config["LOGIN_FAILURES_PER_ADDRESS"]
    )


def record_failure(email):
    # `actor` holds the email typed: the throttle counts by it.
    AuditEvent.create(action="login-failed", model="User", actor=normalise_email(email)[:254],
                      ip=client_address())


def record_success(user):
    record_event("login", user, user=user)
