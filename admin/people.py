"""Accounts, councils, their priorities, and the officers appraised."""
from flask_admin import expose
from flask_admin.model.form import InlineFormAdmin
from flask_login import current_user
from wtforms import PasswordField
from wtforms.validators import ValidationError

from models import Attachment, Council, OfficerAppraiser, OfficerCouncil, User
from services.access import policy
from services.people.accounts import AccountError, set_password
from services.records.attachments import personal_file
from services.year.overview import officer_overview, step_state

from .ajax import users_loader
from .base import AppraiseModelView


class UserView(AppraiseModelView):
    column_list = ("name", "email", "role", "active", "last_login")
    column_searchable_list = ("name", "email")
    column_filters = ("role", "active")
    column_default_sort = "name"
    column_details_exclude_list = ("password_hash",)
    column_export_exclude_list = ("password_hash",)
    form_columns = ("name", "email", "role", "active", "new_password")
    form_extra_fields = {
        "new_password": PasswordField(
            "New password",
            description="At least 12 characters, not the email address. "
            "Leave empty to keep the current password.",
        )
    }

    def on_model_change(self, form, model, is_created):
        super().on_model_change(form, model, is_created)
        password = form.new_password.data
        if is_created and not password:
            form.new_password.errors = ["Set a password for the new account."]
            raise ValidationError("Set a password for the new account.")
        if password:
            try:
                set_password(model, password)
            except AccountError as error:
                form.new_password.errors = [str(error)]
                raise ValidationError(str(error)) from error


class CouncilView(AppraiseModelView):
    column_list = ("name", "short_name")
    column_searchable_list = ("name", "short_name")
    column_default_sort = "name"


class PriorityView(AppraiseModelView):
    list_join_path = (Council,)
    column_list = ("reference", "title", "scope", "active")
    column_labels = {"scope": "Council or collaboration",
                     "council": "Council (leave empty for a collaboration objective)"}
    column_searchable_list = ("reference", "title")
    column_filters = ("active", Council.name)
    column_sortable_list = ("reference", "title", ("council", Council.name), "active")
    column_default_sort = "reference"


class OfficerView(AppraiseModelView):
    """The officer page shows the current cycle at a glance."""

    list_join_path = (User,)
    details_template = "admin/officer/details.html"
    column_list = ("user", "post_title", "statutory_role", "active", "leaving_date")
    column_labels = {"user": "Name"}
    column_searchable_list = (User.name, "post_title")
    column_filters = ("statutory_role", "active")
    column_sortable_list = (("user", User.name), "post_title", "statutory_role", "active")
    column_default_sort = (User.name, False)
    form_columns = ("user", "post_title", "statutory_role", "active", "leaving_date")
    form_ajax_refs = {"user": users_loader("user")}
    inline_models = (
        InlineFormAdmin(OfficerCouncil, form_columns=("id", "council"), form_label="Council served"),
        InlineFormAdmin(
            OfficerAppraiser,
            form_columns=("id", "user", "capacity", "council"),
            form_label="Appraiser",
            form_ajax_refs={"user": users_loader("officerappraiser.user")},
        ),
    )

    step_state = staticmethod(step_state)

    def overview(self, officer):
        return officer_overview(officer)

    @expose("/personal-file/")
    def personal_file_view(self):
        """The officer's personal file: for HR, their appraisers and themself."""
        officer = self._record_or_404()
        return self.render("admin/officer/personal_file.html", officer=officer,
                           documents=personal_file(officer, current_user),
                           may_upload=policy.can(current_user, policy.CREATE, Attachment(officer=officer)))
