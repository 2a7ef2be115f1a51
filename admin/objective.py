"""Objectives, the (confidential) assessments against them, and
development needs."""

from models import Cycle, Objective, Officer, User

from .ajax import cycles_loader, meetings_loader, objectives_loader
from .base import AppraiseModelView


class ObjectiveView(AppraiseModelView):
    list_join_path = (Cycle, Officer, User)
    list_also_join = ("council",)
    column_list = ("title", "cycle", "category", "council", "target_date", "status", "published")
    column_labels = {"cycle": "Officer and year"}
    column_searchable_list = ("title", "description", User.name)
    column_filters = ("category", "status", "published", "target_date", Cycle.year)
    column_sortable_list = ("title", ("cycle", User.name), "category", "target_date", "status")
    # The latest cycles first, each officer's objectives together by
    # category: an index order, so a page costs the same however many
    # objectives there are (sorting every row by name did not).
    column_default_sort = [("cycle", True), ("category", False)]
    form_columns = ("cycle", "category", "council", "priority", "title", "description",
                    "measure", "target_date", "status", "published")
    form_ajax_refs = {"cycle": cycles_loader("cycle")}


class AssessmentView(AppraiseModelView):
    list_join_path = (Objective, Cycle, Officer, User)
    column_list = ("objective", "objective.cycle", "rating", "created_at")
    column_labels = {"objective.cycle": "Officer and year"}
    column_searchable_list = (Objective.title, User.name, "evidence")
    column_filters = ("rating", Cycle.year)
    column_sortable_list = (("objective", Objective.title), "rating", "created_at")
    column_default_sort = ("created_at", True)
    form_columns = ("objective", "meeting", "rating", "evidence", "reasons")
    form_ajax_refs = {"objective": objectives_loader("objective"),
                      "meeting": meetings_loader("meeting")}


class DevelopmentNeedView(AppraiseModelView):
    list_join_path = (Cycle, Officer, User)
    column_list = ("need", "cycle", "provider", "target_date", "status")
    column_labels = {"cycle": "Officer and year"}
    column_searchable_list = ("need", "provider", User.name)
    column_filters = ("status", "target_date", Cycle.year)
    column_sortable_list = (("cycle", User.name), "target_date", "status")
    column_default_sort = "target_date"
    form_columns = ("cycle", "need", "activity", "provider", "target_date", "status")
    form_ajax_refs = {"cycle": cycles_loader("cycle")}
