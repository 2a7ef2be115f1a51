"""Appraisal years, their timetable steps, and the timetable itself."""
from flask import flash, redirect, request, url_for
from flask_admin import expose
from wtforms.validators import ValidationError

from models import Council, Cycle, Objective, Officer, Step, User, db
from services.access import Access, policy
from services.agreement.records import ObjectivesRecord
from services.text import text_problem
from services.year.objectives_in_context import objectives_in_context
from services.year.timetable import (
    RULE_EXAMPLES,
    TimetableError,
    complete_step,
    create_cycle,
    refresh_council_meeting_due_dates,
    rule_problem,
    start_year,
    year_started,
)

from .agreement_actions import AgreementActions
from .ajax import cycles_loader, officers_loader, users_loader
from .base import AppraiseModelView, RuledInlineForm, the_user
from .guards import record_for, requires


class TimetableStepView(AppraiseModelView):
    column_list = ("number", "activity", "owner", "due_rule", "completed_by", "active")
    column_default_sort = "number"
    form_args = {"due_rule": {"description": f"For example {RULE_EXAMPLES}."}}

    def on_model_change(self, form, model, is_created):
        problem = rule_problem(model.due_rule or "")
        if problem:
            form.due_rule.errors = [problem]
            raise ValidationError(problem)
        super().on_model_change(form, model, is_created)


class CycleView(AgreementActions, AppraiseModelView):
    """A cycle's objectives are sent for agreement as one set, from here."""

    details_template = "admin/cycle/details.html"
    managed_model = Objective
    list_join_path = (Officer, User)
    column_list = ("officer", "year", "period_start", "period_end", "status",
                   "externally_facilitated")
    column_searchable_list = (User.name, Officer.post_title)
    column_filters = ("year", "status", "externally_facilitated")
    column_sortable_list = (("officer", User.name), "year", "period_start", "status")
    column_default_sort = [("year", True), (User.name, False)]
    form_columns = ("officer", "year", "period_start", "period_end", "status",
                    "externally_facilitated", "facilitator")
    form_ajax_refs = {"officer": officers_loader("officer")}
    form_args = {"year": {"description": "Its steps are created from the timetable."}}
    inline_models = (
        RuledInlineForm(Step, form_columns=("id", "owner", "due_date", "done_on", "note"),
                        form_ajax_refs={"owner": users_loader("step.owner")}),
    )

    def agreed_record(self, row):
        return ObjectivesRecord(row)

    def objectives(self, cycle):
        return list(cycle.objectives.order_by(Objective.category, Objective.id))

    @expose("/objectives/")
    @record_for(policy.VIEW)
    def objectives_view(self, cycle):
        """The year's objectives in the context of the councils' priorities."""
        return self.render("admin/cycle/objectives.html", cycle=cycle,
                           context=objectives_in_context(the_user(), cycle))

    @expose("/start-year/", methods=("POST",))
    @requires(Access.may_start_year)
    def start_year_view(self):
        """A cycle, with its steps, for every active officer."""
        try:
            created, already = start_year(request.form.get("year", ""))
        except TimetableError as error:
            flash(str(error), "error")
        else:
            flash(" ".join(year_started(created, already)), "success")
        return redirect(url_for("admin.index"))

    def create_form(self, obj=None):
        """Only the officer and year: the timetable sets the rest."""
        form = super().create_form(obj)
        for name in list(form._fields):
            if name not in ("officer", "year", "csrf_token"):
                del form[name]
        return form

    def create_model(self, form):
        """A new cycle is made by the timetable service, steps and all."""
        try:
            return create_cycle(form.officer.data, form.year.data)
        except TimetableError as error:
            form.year.errors = [str(error)]
            return False


class StepView(AppraiseModelView):
    list_join_path = (Cycle, Officer, User)
    list_also_join = ("timetable_step", "owner")
    column_list = ("cycle", "timetable_step", "owner", "due_date", "done_on")
    column_searchable_list = (User.name,)
    column_filters = ("due_date", "done_on", Cycle.year)
    column_sortable_list = (("cycle", User.name), "due_date", "done_on")
    column_default_sort = "due_date"
    form_columns = ("owner", "due_date", "done_on", "note")
    form_ajax_refs = {"owner": users_loader("owner"), "cycle": cycles_loader("cycle")}
    details_template = "admin/step/details.html"

    @expose("/done/", methods=("POST",))
    @record_for(policy.EDIT)
    def done_view(self, step):
        """Mark a step done by hand, with a note saying how."""
        note = request.form.get("note", "").strip()
        problem = "Say in a note how the step was done." if not note else text_problem(note, one_line=False)
        if problem:
            flash(problem, "error")
            return redirect(url_for(".details_view", id=step.id))
        try:
            with db.atomic():
                complete_step(step, f"{note} ({the_user().name})")
        except TimetableError as error:
            flash(str(error), "error")
        else:
            flash("The step is marked done.", "success")
        return redirect(url_for(".details_view", id=step.id))


class CouncilMeetingView(AppraiseModelView):
    """The dates each Council meets: the Leader's report is due at the first
    one after the objectives are agreed."""

    list_join_path = (Council,)
    column_list = ("council", "meets_on")
    column_default_sort = "meets_on"
    column_filters = ("meets_on",)
    form_columns = ("council", "meets_on")

    def after_model_change(self, form, model, is_created):
        refresh_council_meeting_due_dates()
        super().after_model_change(form, model, is_created)
