"""Appraisal years, their timetable steps, and the timetable itself."""
from flask_admin.model.form import InlineFormAdmin
from wtforms.validators import ValidationError

from models import Cycle, Objective, Officer, Step, User
from services.agreed_records import ObjectivesRecord
from services.timetable import TimetableError, create_cycle, rule_problem

from .agreement_actions import AgreementActions
from .ajax import cycles_loader, officers_loader, users_loader
from .base import AppraiseModelView


class TimetableStepView(AppraiseModelView):
    column_list = ("number", "activity", "owner", "due_rule", "completed_by", "active")
    column_default_sort = "number"
    form_args = {"due_rule": {"description": 'For example "end of March", '
                              '"6 weeks after step 3" or "every third year".'}}

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
        InlineFormAdmin(Step, form_columns=("id", "owner", "due_date", "done_on", "note"),
                        form_ajax_refs={"owner": users_loader("step.owner")}),
    )

    def agreed_record(self, row):
        return ObjectivesRecord(row)

    def cycle_id_of(self, row):
        return row.id

    def objectives(self, cycle):
        return list(cycle.objectives.order_by(Objective.category, Objective.id))

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
    can_create = False
    column_list = ("cycle", "timetable_step", "owner", "due_date", "done_on")
    column_searchable_list = (User.name,)
    column_filters = ("due_date", "done_on", Cycle.year)
    column_sortable_list = (("cycle", User.name), "due_date", "done_on")
    column_default_sort = "due_date"
    form_columns = ("owner", "due_date", "done_on", "note")
    form_ajax_refs = {"owner": users_loader("owner"), "cycle": cycles_loader("cycle")}
