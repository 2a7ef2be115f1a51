"""What the system keeps: agreement decisions, the email outbox and the
audit trail. None of these is typed in by hand here."""
from flask import flash
from flask_admin.actions import action

from models import Cycle, Officer, User
from services.mail.outbox import send_again

from .base import AppraiseModelView


class AgreementView(AppraiseModelView):
    list_join_path = (Cycle, Officer, User)
    list_also_join = ("meeting", "party")
    column_list = ("cycle", "meeting", "party", "sent_at", "expires_at", "decision", "decided_at",
                   "closed_at")
    column_labels = {"cycle": "Officer and year"}
    column_details_exclude_list = ("token_hash",)
    column_export_exclude_list = ("token_hash",)
    column_filters = ("decision", "decided_at", "expires_at", "closed_at")
    column_default_sort = ("sent_at", True)


class OutboxEmailView(AppraiseModelView):
    """Every email, whether it went, how often it was tried and why it
    failed. Agreement links are made as each email is sent, so the text
    here shows where the link goes, never a link that works."""

    column_list = ("recipient", "subject", "created_at", "attempts", "next_attempt_at", "sent_at",
                   "gave_up_at", "last_error")
    column_searchable_list = ("recipient", "subject")
    column_filters = ("sent_at", "gave_up_at", "created_at", "attempts")
    column_default_sort = ("created_at", True)
    column_details_exclude_list = ("claimed_by",)

    @action("send_again", "Send again",
            "Send the selected emails again? Any already sent will go again as new copies.")
    def action_send_again(self, ids):
        emails = [email for email in map(self.get_one, ids) if email is not None]
        for email in emails:
            send_again(email)
        flash(f"{len(emails)} email(s) will be sent again shortly.", "success")


class AuditEventView(AppraiseModelView):
    column_list = ("at", "actor", "action", "model", "record_id", "ip")
    column_searchable_list = ("actor", "model", "record_id", "changes")
    column_filters = ("action", "model", "at")
    column_default_sort = ("at", True)
