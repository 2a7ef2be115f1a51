"""Stock Flask-Admin: untuned flask_admin.contrib.peewee ModelViews over the
same models, on a second Admin at /stock. Built here for the benchmark only,
never in the real app. Each gets the filter and search columns the page
uses, is open to anyone signed in, and shows the signed-in user the same
rows as Appraise does (the policy's row filter): nothing else is tuned."""
from flask_admin import Admin
from flask_admin.contrib.peewee import ModelView
from flask_admin.theme import Bootstrap4Theme
from flask_login import current_user

from models import Assessment, Meeting, Objective
from services.access import policy

STOCK = {
    "objectives": (Objective, ("status",), ("title", "description")),
    "meetings": (Meeting, ("status",), ("location", "outcomes")),
    "assessments": (Assessment, ("rating",), ("evidence",)),
}


class StockView(ModelView):
    def is_accessible(self):
        return current_user.is_authenticated

    def get_query(self):
        return policy.visible_rows(current_user, self.model, super().get_query())


def init_stock(app):
    admin = Admin(app, name="Stock", url="/stock", endpoint="stock", theme=Bootstrap4Theme())
    views = {}
    for page, (model, filters, searchable) in STOCK.items():
        view = type(f"Stock{model.__name__}View", (StockView,),
                    {"column_filters": filters, "column_searchable_list": searchable})
        views[page] = view(model, endpoint=f"stock_{page}", url=f"/stock/{page}")
        admin.add_view(views[page])
    return views
