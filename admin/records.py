"""What the system keeps: attachments, agreement decisions, the email
outbox and the audit trail. None of these is typed in by hand here."""
from models import Cycle, Officer, User

from .base import AppraiseModelView


class AttachmentView(AppraiseModelView):
    list_join_path = (Officer, User)
    can_create = False
    column_list = ("original_name", "officer", "content_type", "size", "personal_file",
                   "uploaded_at")
    column_searchable_list = ("original_name", User.name)
    column_filters = ("personal_file", "uploaded_at")
    column_sortable_list = ("original_name", ("officer", User.name), "uploaded_at")
    column_default_sort = ("uploaded_at", True)
    column_details_exclude_list = ("stored_name",)
    form_columns = ("personal_file",)


class AgreementView(AppraiseModelView):
    list_join_path = (Cycle, Officer, User)
    can_create = False
    can_edit = False
    column_list = ("cycle", "meeting", "party", "sent_at", "expires_at", "decision", "decided_at")
    column_labels = {"cycle": "Officer and year"}
    column_details_exclude_list = ("token_hash",)
    column_export_exclude_list = ("token_hash",)
    column_filters = ("decision", "decided_at", "expires_at")
    column_default_sort = ("sent_at", True)


class OutboxEmailView(AppraiseModelView):
    column_list = ("recipient", "subject", "created_at", "attempts", "sent_at", "last_error")
    column_searchable_list = ("recipient", "subject")
    column_filters = ("sent_at", "created_at")
    column_default_sort = ("created_at", True)
    can_edit = False


class AuditEventView(AppraiseModelView):
    column_list = ("at", "actor", "action", "model", "record_id", "ip")
    column_searchable_list = ("actor", "model", "record_id", "changes")
    column_filters = ("action", "model", "at")
    column_default_sort = ("at", True)
    can_export = True
