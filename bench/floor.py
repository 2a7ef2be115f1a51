"""The floor: each page's rows fetched by one hand-written peewee query and
rendered by a minimal Jinja table, served by the same app (so the same
request, session and connection overhead), without the admin around it."""

from flask import Blueprint, abort, request
from peewee import JOIN, Case, Join, Select, fn

from models import (
    Agreement,
    Assessment,
    Council,
    Cycle,
    Meeting,
    Objective,
    Officer,
    OfficerAppraiser,
    User,
    db,
)
from services import clock
from services.access.policy import belongs_to
from services.agreement.links import token_hash
from services.year.overview import needing_attention

PAGE_SIZE = 20
TABLE = """<!doctype html><title>floor</title><table>
{% for row in rows %}<tr>{% for value in row %}<td>{{ value }}</td>{% endfor %}</tr>{% endfor %}
</table>"""

bp = Blueprint("bench_floor", __name__)


def visible(query, model=Officer):
    """The one row filter a hand-written query needs: an appraiser sees the
    records of the officers they appraise, tested on the listed table's own
    column as Appraise's policy does (services/policy.py, belongs_to)."""
    user_id = request.args.get("appraiser", type=int)
    if user_id is None:
        return query
    return query.where(belongs_to(model, OfficerAppraiser.select(OfficerAppraiser.officer)
                                  .where(OfficerAppraiser.user == user_id)))


# Each list is joined LEFT OUTER, as Appraise's lists are (admin/base.py,
# get_query): the listed table stays the outer loop, read in its index order.
OUTER = JOIN.LEFT_OUTER


def objectives(status=None, search=None):
    query = (Objective.select(Objective.title, User.name, Cycle.year, Objective.category, Council.name,
                              Objective.target_date, Objective.status, Objective.published)
             .join(Cycle, OUTER).join(Officer, OUTER).join(User, OUTER)
             .switch(Objective).join(Council, OUTER))
    if status:
        query = query.where(Objective.status == status)
    if search:
        query = query.where((Objective.title ** f"%{search}%") | (Objective.description ** f"%{search}%")
                            | (User.name ** f"%{search}%"))
    return (visible(query, Objective)
            .order_by(Objective.cycle.desc(), Objective.category).limit(PAGE_SIZE))


def meetings(status=None, search=None):
    query = (Meeting.select(User.name, Cycle.year, Meeting.kind, Meeting.held_on, Meeting.status,
                            Meeting.version)
             .join(Cycle, OUTER).join(Officer, OUTER).join(User, OUTER))
    if status:
        query = query.where(Meeting.status == status)
    if search:
        query = query.where((User.name ** f"%{search}%") | (Meeting.location ** f"%{search}%")
                            | (Meeting.outcomes ** f"%{search}%"))
    return visible(query, Meeting).order_by(Meeting.held_on.desc()).limit(PAGE_SIZE)


def assessments(rating=None, search=None):
    query = (Assessment.select(Objective.title, User.name, Cycle.year, Assessment.rating,
                               Assessment.created_at)
             .join(Objective, OUTER).join(Cycle, OUTER).join(Officer, OUTER).join(User, OUTER))
    if rating:
        query = query.where(Assessment.rating == rating)
    if search:
        query = query.where((Objective.title ** f"%{search}%") | (User.name ** f"%{search}%")
                            | (Assessment.evidence ** f"%{search}%"))
    return (visible(query, Assessment)
            .order_by(Assessment.created_at.desc()).limit(PAGE_SIZE))


def officer(officer_id, year):
    """The officer and their year's objectives."""
    query = (Objective.select(User.name, Officer.post_title, Objective.title, Objective.category,
                              Objective.status, Objective.target_date)
             .join(Cycle).join(Officer).join(User)
             .where((Officer.id == officer_id) & (Cycle.year == year)))
    return visible(query).order_by(Objective.category, Objective.target_date)


def dashboard(year, page=1):
    """One page of active officers as the dashboard shows them: those with
    a step overdue or a meeting record awaiting agreement in an open cycle
    first, then by name, with how many there are in all and how many need
    attention; and each one's year's objectives by status. One query."""
    overdue, awaiting = (officers.alias(name) for officers, name
                         in zip(needing_attention(clock.today()), ("overdue", "awaiting"), strict=True))
    has_overdue, has_awaiting = overdue.c.officer_id.is_null(False), awaiting.c.officer_id.is_null(False)
    attention = Case(None, [(has_overdue | has_awaiting, 1)], 0)
    officers = visible(
        Officer.select(Officer.id, User.name, Officer.post_title, attention.alias("attention"),
                       has_overdue.alias("overdue"), has_awaiting.alias("awaiting"),
                       fn.COUNT(Officer.id).over().alias("officers"),
                       fn.SUM(attention).over().alias("needing_attention"))
        .join(User).switch(Officer)
        .join(overdue, JOIN.LEFT_OUTER, on=(overdue.c.officer_id == Officer.id)).switch(Officer)
        .join(awaiting, JOIN.LEFT_OUTER, on=(awaiting.c.officer_id == Officer.id))
        .where(Officer.active == True)  # noqa: E712
    ).order_by(attention.desc(), User.name, Officer.id).paginate(max(page, 1), PAGE_SIZE).alias("page")
    counts = [fn.SUM(Case(None, [(Objective.status == status, 1)], 0))
              for status in ("draft", "agreed", "achieved", "withdrawn")]
    shown = (officers.c.name, officers.c.post_title, officers.c.overdue, officers.c.awaiting,
             officers.c.officers, officers.c.needing_attention)
    with_objectives = Join(
        Join(officers, Cycle, JOIN.LEFT_OUTER, on=(Cycle.officer == officers.c.id) & (Cycle.year == year)),
        Objective, JOIN.LEFT_OUTER, on=(Objective.cycle == Cycle.id))
    return (Select([with_objectives], [*shown, Cycle.year, *counts])
            .group_by(officers.c.id, officers.c.attention, *shown, Cycle.year)
            .order_by(officers.c.attention.desc(), officers.c.name, officers.c.id)
            .bind(db))


def confirm(token):
    query = (Agreement.select(User.name, Meeting.kind, Meeting.held_on, Meeting.role_of_officer,
                              Meeting.achievements, Meeting.improvements, Meeting.key_issues,
                              Meeting.development_needs, Meeting.outcomes)
             .join(Meeting).switch(Agreement).join(Cycle).join(Officer).join(User)
             .where(Agreement.token_hash == token_hash(token)))
    return query


@bp.route("/bench-floor/<page>")
def floor(page):
    args = request.args
    if page == "objectives":
        query = objectives(args.get("status"), args.get("search"))
    elif page == "meetings":
        query = meetings(args.get("status"), args.get("search"))
    elif page == "assessments":
        query = assessments(args.get("rating"), args.get("search"))
    elif page == "officer":
        query = officer(args.get("id", type=int), args.get("year", type=int))
    elif page == "dashboard":
        query = dashboard(args.get("year", type=int), args.get("page", 1, type=int))
    elif page == "confirm":
        query = confirm(args["token"])
    else:
        abort(404)
    return bp.table.render(rows=list(query.tuples()))


def init_floor(app):
    bp.table = app.jinja_env.from_string(TABLE)
    app.register_blueprint(bp)
