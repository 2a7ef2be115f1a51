"""What an officer's appraisal year looks like at a glance, for the
officer page and the dashboard."""
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from peewee import fn

from models import Cycle, Meeting, Objective, Officer, Step, TimetableStep, User
from models.objective import CATEGORIES, OBJECTIVE_STATUSES
from services.timetable import facilitation_due_among

AMBER_DAYS = 30


def step_state(step, today=None):
    """red: overdue; amber: due within a month; green: done or later."""
    today = today or date.today()
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
    today = today or date.today()
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


def active_officers_overview(officers_query, today=None):
    """One overview per active officer in `officers_query` (which selects
    Officer joined to User), by name."""
    officers = list(officers_query.where(Officer.active == True).order_by(User.name))  # noqa: E712
    return overviews_for(officers, today, summary=True)
