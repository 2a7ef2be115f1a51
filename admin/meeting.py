"""Meetings, with their attendees and actions edited on the meeting
itself."""
from flask import flash, redirect, url_for
from flask_admin import expose

from models import Action, Attachment, Cycle, Meeting, MeetingAttendee, Officer, User, db
from services.access import Access, policy
from services.agreement.records import MeetingRecord
from services.agreement.workflow import start_correction
from services.mail.calendar_invites import CancellationError, cancel_meeting, sync_invitations

from .agreement_actions import AgreementActions
from .ajax import cycles_loader, meetings_loader, users_loader
from .base import AppraiseModelView, RuledInlineForm
from .guards import record_for


class MeetingView(AgreementActions, AppraiseModelView):
    details_template = "admin/meeting/details.html"
    managed_model = Meeting
    list_join_path = (Cycle, Officer, User)
    column_list = ("cycle", "kind", "held_on", "status", "version")
    column_labels = {"cycle": "Officer and year"}
    column_searchable_list = (User.name, "location", "outcomes")
    column_filters = ("kind", "status", "held_on", Cycle.year)
    column_sortable_list = (("cycle", User.name), "kind", "held_on", "status")
    column_default_sort = ("held_on", True)
    column_details_exclude_list = ("supersedes",)
    form_columns = ("cycle", "kind", "held_on", "start_time", "duration_minutes", "location",
                    "role_of_officer", "achievements",
                    "improvements", "key_issues", "development_needs", "outcomes")
    form_ajax_refs = {"cycle": cycles_loader("cycle")}
    inline_models = (
        RuledInlineForm(MeetingAttendee, form_columns=("id", "user"), form_label="Attendee",
                        form_ajax_refs={"user": users_loader("meetingattendee.user")}),
        RuledInlineForm(Action, form_columns=("id", "description", "owner", "due_date", "done"),
                        form_label="Action",
                        form_ajax_refs={"owner": users_loader("action.owner")}),
    )

    form_args = {"start_time": {"description": "With a start time, the attendees are emailed a "
                                               "calendar invitation, and an update when it changes."}}

    def agreed_record(self, row):
        return MeetingRecord(row)

    def after_model_change(self, form, model, is_created):
        sync_invitations(model)  # still inside the save's transaction
        super().after_model_change(form, model, is_created)

    def on_model_delete(self, model):
        model.status = "cancelled"  # everyone invited is sent a cancellation
        sync_invitations(model)
        super().on_model_delete(model)

    @expose("/cancel/", methods=("POST",))
    @record_for(policy.EDIT)
    def cancel_view(self, meeting):
        try:
            with db.atomic():
                cancel_meeting(meeting)
        except CancellationError as error:
            flash(str(error), "error")
        else:
            flash("The meeting is cancelled; everyone invited has been sent a cancellation.", "success")
        return redirect(url_for(".details_view", id=meeting.id))

    def formal_records(self, meeting):
        return list(Attachment.kept()
                    .where((Attachment.meeting == meeting) & (Attachment.personal_file == True))  # noqa: E712
                    .order_by(Attachment.uploaded_at))

    def _correct(self, meeting):
        return url_for(".edit_view", id=start_correction(meeting).id)

    @expose("/correct/", methods=("POST",))
    @record_for(Access.may_manage_agreement)
    def correct_view(self, meeting):
        return self.carry_out(self._correct, meeting, "A new version has been started from the agreed "
                                                      "one. Change it, then send it for agreement.")


class ActionView(AppraiseModelView):
    list_join_path = (Meeting, Cycle, Officer, User)
    list_also_join = ("owner",)
    column_list = ("description", "meeting", "meeting.cycle", "owner", "due_date", "done")
    column_labels = {"meeting.cycle": "Officer and year"}
    column_searchable_list = ("description", User.name)
    column_filters = ("done", "due_date")
    column_sortable_list = ("due_date", "done")
    column_default_sort = "due_date"
    form_columns = ("meeting", "description", "owner", "due_date", "done")
    form_ajax_refs = {"meeting": meetings_loader("meeting"), "owner": users_loader("owner")}
