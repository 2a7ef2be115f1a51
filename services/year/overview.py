"""What an officer's appraisal year looks like at a glance, for the
officer page and the dashboard (one page of officers at a time, those
needing attention first)."""
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from peewee import JOIN, Case, fn

from models import Cycle, Meeting, Objective, Officer, Step, TimetableStep, User
from models.objective import CATEGORIES, OBJECTIVE_STATUSES
from services import clock
from services.year.timetable import facilitation_due_among

AMBER_DAYS = 30


def step_state(step, today=None):
    """red: overdue; amber: due within a month; green: done or later."""
    today = today or clock.today()
    if step.done_on or step.due_date is None:
        return "green"
    if step.due_date < today:
        return "red"
    if (step.due_date - today).days <= AMBER_DAYS:
        return "amber"
    return "green"


@dataclass
class CycleOverview:
    officer: Officer
    cycle: Cycle | None
    objectives: list = field(default_factory=list)
    by_status: dict = field(default_factory=dict)
    by_category: dict = field(default_factory=dict)
    steps: list = field(default_factory=list)
    meetings: list = field(default_factory=list)
    external_facilitation_due: bool = False
    overdue_step: bool = False  # in an open cycle: set by active_officers_page
    meeting_awaiting: bool = False

    @property
    def last_meeting(self):
        return self.meetings[0] if self.meetings else None

    @property
    def next_step(self):
        return next((step for step in self.steps if not step.done_on), None)


def choose_current(cycles, today):
    """The cycle whose year contains today, else the latest one."""
    for cycle in cycles:
        if cycle.period_start <= today <= cycle.period_end:
            return cycle
    return max(cycles, key=lambda cycle: cycle.year) if cycles else None


def overviews_for(officers, today=None, summary=False):
    """The current cycle of each officer, with its objectives, steps and
    meetings: a fixed number of queries however many officers there are.
    A `summary` (the dashboard's row per officer) only counts the
    objectives, and loads only the steps not yet done and the latest
    meeting: the rest would be thousands of rows nobody sees."""
    today = today or clock.today()
    ids = [officer.id for officer in officers]
    cycles_by_officer = {}
    for cycle in Cycle.select().where(Cycle.officer.in_(ids)):
        cycles_by_officer.setdefault(cycle.officer_id, []).append(cycle)
    overviews = []
    for officer in officers:
        cycles = cycles_by_officer.get(officer.id, [])
        current = choose_current(cycles, today)
        overviews.append(CycleOverview(
            officer, current,
            external_facilitation_due=facilitation_due_among(cycles, current.year if current else today.year),
        ))
    by_cycle = {overview.cycle.id: overview for overview in overviews if overview.cycle}
    statuses, categories = defaultdict(Counter), defaultdict(Counter)
    if by_cycle:
        cycle_ids = list(by_cycle)
        if summary:
            grouping = (Objective.cycle, Objective.status, Objective.category)
            for cycle_id, status, category, count in (
                Objective.select(*grouping, fn.COUNT(Objective.id))
                .where(Objective.cycle.in_(cycle_ids)).group_by(*grouping).tuples()
            ):
                statuses[cycle_id][status] += count
                categories[cycle_id][category] += count
        else:
            for objective in (Objective.select().where(Objective.cycle.in_(cycle_ids))
                              .order_by(Objective.category, Objective.target_date)):
                by_cycle[objective.cycle_id].objectives.append(objective)
                statuses[objective.cycle_id][objective.status] += 1
                categories[objective.cycle_id][objective.category] += 1
        steps = Step.select(Step, TimetableStep).join(TimetableStep).where(Step.cycle.in_(cycle_ids))
        if summary:
            steps = steps.where(Step.done_on.is_null())
        for step in steps.order_by(TimetableStep.number):
            by_cycle[step.cycle_id].steps.append(step)
        if summary:
            later = Meeting.alias()
            latest = later.select(fn.MAX(later.held_on)).where(later.cycle == Meeting.cycle)
            meetings = (Meeting.select(Meeting.id, Meeting.cycle, Meeting.kind, Meeting.held_on,
                                       Meeting.status)
                        .where(Meeting.cycle.in_(cycle_ids) & (Meeting.held_on == latest)))
        else:
            meetings = Meeting.select().where(Meeting.cycle.in_(cycle_ids))
        for meeting in meetings.order_by(Meeting.held_on.desc()):
            by_cycle[meeting.cycle_id].meetings.append(meeting)
    for overview in overviews:
        cycle_id = overview.cycle.id if overview.cycle else None
        overview.by_status = {label: statuses[cycle_id][key] for key, label in OBJECTIVE_STATUSES}
        overview.by_category = {label: categories[cycle_id][key] for key, label in CATEGORIES}
    return overviews


def officer_overview(officer, today=None):
    return overviews_for([officer], today)[0]


DASHBOARD_PAGE_SIZE = 20


def pages_of(total, per_page):
    """How many pages `total` officers fill: always at least one."""
    return max(1, -(-total // per_page))


@dataclass
class OfficerPage:
    """One page of the dashboard's officer table."""
    overviews: list
    number: int
    total: int
    needing_attention: int
    per_page: int = DASHBOARD_PAGE_SIZE
    past_the_end: bool = False  # then `number` is the last page, and there are no rows

    @property
    def pages(self):
        return pages_of(self.total, self.per_page)

    @property
    def first(self):
        return (self.number - 1) * self.per_page + 1 if self.total else 0

    @property
    def last(self):
        return min(self.number * self.per_page, self.total)


def needing_attention(today):
    """Two subqueries of officer ids (as `officer_id`): officers with a
    timetable step overdue in an open cycle, and officers with a meeting
    record awaiting agreement in an open cycle."""
    overdue = (Cycle.select(Cycle.officer).join(Step)
               .where((Cycle.status == "open") & Step.done_on.is_null() & (Step.due_date < today))
               .group_by(Cycle.officer))
    awaiting = (Cycle.select(Cycle.officer).join(Meeting)
                .where((Cycle.status == "open") & (Meeting.status == "awaiting agreement"))
                .group_by(Cycle.officer))
    return overdue, awaiting


MOST_PAGES = 10 ** 9  # an offset any database can take


def page_number(value):
    """The page asked for, as a whole number from 1 (1 for anything else)."""
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return 1
    return min(max(number, 1), MOST_PAGES)


def active_officers_page(officers_query, page=1, today=None, per_page=DASHBOARD_PAGE_SIZE):
    """One page of the active officers in `officers_query` (which selects
    Officer joined to User): those needing attention first, then by name.
    The page's rows, the number of officers and the number needing
    attention come from one query; only the page's officers get an
    overview. A page past the end comes back empty, `past_the_end`, with
    the number of the last page."""
    today = today or clock.today()
    overdue, awaiting = (source.alias(name) for source, name
                         in zip(needing_attention(today), ("overdue", "awaiting"), strict=True))
    has_overdue, has_awaiting = overdue.c.officer_id.is_null(False), awaiting.c.officer_id.is_null(False)
    attention = Case(None, [(has_overdue | has_awaiting, 1)], 0)
    number = page_number(page)
    # Sorting narrow rows, then fetching the page's officers, is several
    # times quicker than sorting every officer's whole row.
    ranked = (officers_query
              .select(Officer.id.alias("officer_id"), attention.alias("attention"),
                      has_overdue.alias("has_overdue_step"), has_awaiting.alias("has_meeting_awaiting"),
                      fn.COUNT(Officer.id).over().alias("officers_in_all"),
                      fn.SUM(attention).over().alias("officers_needing_attention"))
              .join_from(Officer, overdue, JOIN.LEFT_OUTER, on=(overdue.c.officer_id == Officer.id))
              .join_from(Officer, awaiting, JOIN.LEFT_OUTER, on=(awaiting.c.officer_id == Officer.id))
              .where(Officer.active == True)  # noqa: E712
              .order_by(attention.desc(), User.name, Officer.id)
              .paginate(number, per_page).alias("ranked"))
    officers = list(
        Officer.select(Officer, User, ranked.c.has_overdue_step, ranked.c.has_meeting_awaiting,
                       ranked.c.officers_in_all, ranked.c.officers_needing_attention)
        .join(User).switch(Officer).join(ranked, on=(ranked.c.officer_id == Officer.id), attr="ranked")
        .order_by(ranked.c.attention.desc(), User.name, Officer.id))
    if not officers and number > 1:
        # Past the end: say which page is the last, for the caller to go there.
        total = officers_query.where(Officer.active == True).count()  # noqa: E712
        return OfficerPage([], pages_of(total, per_page), total, needing_attention=0, per_page=per_page,
                           past_the_end=True)
    # The subquery's columns come as attributes of `officer.ranked`.
    total = officers[0].ranked.officers_in_all if officers else 0
    overviews = overviews_for(officers, today, summary=True)
    for overview in overviews:
        overview.overdue_step = bool(overview.officer.ranked.has_overdue_step)
        overview.meeting_awaiting = bool(overview.officer.ranked.has_meeting_awaiting)
    return OfficerPage(
        overviews, number, total=total,
        needing_attention=int(officers[0].ranked.officers_needing_attention or 0) if officers else 0,
        per_page=per_page,
    )
