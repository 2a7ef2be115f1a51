"""Accounts, councils, their priorities, and the officers appraised."""
from flask_admin import expose
from wtforms import PasswordField

from models import Council, OfficerAppraiser, OfficerCouncil, User
from services.access import policy
from services.people.accounts import AccountError, create_user, set_password
from services.records.attachments import personal_file
from services.year.overview import officer_overview, step_state

from .ajax import users_loader
from .base import AppraiseModelView, RuledInlineForm, refusal_shown, the_user
from .guards import record_for

# The account service's names for the fields this form names otherwise.
ACCOUNT_FORM_FIELDS = {"password": "new_password"}


def on_account_form(problems):
    return {ACCOUNT_FORM_FIELDS.get(name, name): message for name, message in problems.items()}


class UserView(AppraiseModelView):
    column_list = ("name", "email", "role", "active", "last_login")
    column_searchable_list = ("name", "email")
    column_filters = ("role", "active")
    column_default_sort = "name"
    column_details_exclude_list = ("password_hash",)
    column_export_exclude_list = ("password_hash",)
    form_columns = ("name", "email", "role", "active", "new_password")
    # The account service checks these, by the same rules as `create-user`:
    # the form's own checks would answer first, and differently.
    checked_by_the_service = ("name", "email", "role")
    form_args = {"name": {"render_kw": {"required": True}}, "email": {"render_kw": {"required": True}},
                 "role": {"validate_choice": False}}
    form_extra_fields = {
        "new_password": PasswordField(
            "New password",
            description="At least 12 characters, not the email address. "
            "Leave empty to keep the current password.",
        )
    }

    def scaffold_form(self):
        form_class = super().scaffold_form()
        for name in self.checked_by_the_service:
            getattr(form_class, name).kwargs["validators"] = []
        return form_class

    def create_model(self, form):
        """A new account is made by the account service, as `create-user` makes one."""
        try:
            return create_user(email=form.email.data, name=form.name.data, role=form.role.data,
                               password=form.new_password.data, active=form.active.data)
        except AccountError as error:
            self.handle_view_exception(refusal_shown(form, on_account_form(error.problems)))
            return False

    def on_model_change(self, form, model, is_created):
        super().on_model_change(form, model, is_created)
        if form.new_password.data:
            try:
                set_password(model, form.new_password.data)
            except AccountError as error:
                raise refusal_shown(form, on_account_form(error.problems)) from error


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
        RuledInlineForm(OfficerCouncil, form_columns=("id", "council"), form_label="Council served"),
        RuledInlineForm(
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
    @record_for(policy.VIEW)
    def personal_file_view(self, officer):
        """The officer's personal file: for HR, their appraisers and themself."""
        return self.render("admin/officer/personal_file.html", officer=officer,
                           documents=personal_file(officer, the_user()))
