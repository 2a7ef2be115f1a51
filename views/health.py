"""/healthz, for monitoring and the reverse proxy's health check. Counts
and ages only: nothing confidential."""
from flask import Blueprint, jsonify
from peewee import InterfaceError, OperationalError

from models import OutboxEmail, utcnow
from services.mail.outbox import waiting
from views.outage import note_database_unavailable

bp = Blueprint("health", __name__)


@bp.route("/healthz")
def healthz():
    # Emails HR has given up on are not waiting: they would age for ever.
    pending = waiting()
    oldest = pending.order_by(OutboxEmail.created_at).first()
    return jsonify(
        status="ok",
        database="ok",
        outbox={
            "pending": pending.count(),
            "oldest_pending_age_seconds":
                round((utcnow() - oldest.created_at).total_seconds()) if oldest else None,
        },
    )


@bp.errorhandler(OperationalError)
@bp.errorhandler(InterfaceError)
def database_unreachable(error):
    note_database_unavailable(error)
    return jsonify(status="error", database="unreachable"), 503
