"""Documents on officers' files: uploaded by HR and the officer's
appraisers, downloaded only through here (audited), deleted by HR only
(hidden at once, the file kept until the retention purge)."""
from flask import abort, current_app, flash, url_for
from flask_admin import expose
from flask_admin.contrib.peewee.form import get_form
from markupsafe import Markup
from wtforms import FileField
from wtforms.validators import InputRequired

from models import Attachment, Officer, User
from services.access import access, policy
from services.records.attachments import (
    UploadRefused,
    delete_attachment,
    download,
    limit_description,
    store_upload,
)
from services.records.file_types import ALLOWED_DESCRIPTION

from .ajax import meetings_loader, objectives_loader, officers_loader
from .base import AppraiseModelView, the_user
from .guards import record_for

UPLOAD_COLUMNS = ("officer", "meeting", "objective", "personal_file")


def download_link(view, context, attachment, name):
    return Markup('<a href="{}">{}</a>').format(
        url_for("attachment.download_view", id=attachment.id), attachment.original_name
    )


class AttachmentView(AppraiseModelView):
    list_join_path = (Officer, User)
    column_list = ("original_name", "officer", "content_type", "size", "personal_file",
                   "uploaded_at")
    column_searchable_list = ("original_name", User.name)
    column_filters = ("personal_file", "uploaded_at")
    column_sortable_list = ("original_name", ("officer", User.name), "uploaded_at")
    column_default_sort = ("uploaded_at", True)
    column_details_exclude_list = ("stored_name", "deleted_at")
    column_export_exclude_list = ("stored_name", "deleted_at")
    column_formatters = {"original_name": download_link}
    column_formatters_detail = {"original_name": download_link}
    form_columns = ("personal_file",)
    form_ajax_refs = {"officer": officers_loader("officer"), "meeting": meetings_loader("meeting"),
                      "objective": objectives_loader("objective")}

    def get_query(self):
        return super().get_query().where(Attachment.deleted_at.is_null())

    def get_create_form(self):
        """Uploading asks for the file and where it goes; editing changes
        only whether it is on the personal file."""
        file_field = FileField("File", validators=[InputRequired(message="Choose the file to upload.")])
        return get_form(self.model, self.model_form_converter(self), base_class=self.form_base_class,
                        only=UPLOAD_COLUMNS, field_args=self.form_args, allow_pk=True,
                        extra_fields={"file": file_field})

    def create_form(self, obj=None):
        form = super().create_form(obj)
        form.file.description = f"{ALLOWED_DESCRIPTION}; up to {limit_description()}."
        return form

    def create_model(self, form):
        officer = form.officer.data
        if not access().may_upload_to(officer):
            flash("You may not add documents to this officer's file.", "error")
            return False
        upload = form.file.data
        try:
            attachment = store_upload(
                upload.stream, upload.filename, officer=officer, uploaded_by=the_user().id,
                meeting=form.meeting.data, objective=form.objective.data,
                personal_file=form.personal_file.data,
            )
        except UploadRefused as refusal:
            form.file.errors = [str(refusal)]
            flash(f"The file was not uploaded. {refusal}", "error")
            return False
        self.after_model_change(form, attachment, True)
        return attachment

    def delete_model(self, attachment):
        if not access().can(policy.DELETE, attachment):
            flash("Only HR may delete an attachment.", "error")
            return False
        delete_attachment(attachment)
        return True

    @expose("/download/")
    @record_for(policy.VIEW)
    def download_view(self, attachment):
        try:
            return download(attachment)
        except FileNotFoundError:
            current_app.logger.error("The file of attachment %s is missing: run check-files.", attachment.id)
            abort(404)
