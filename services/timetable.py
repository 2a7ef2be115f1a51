"""The annual timetable: its default steps, due-date rules, and creating a
cycle with its steps."""
import calendar
import re
from datetime import date, timedelta

from models import Cycle, OfficerAppraiser, Step, TimetableStep, db

DEFAULT_TIMETABLE = (
    (1, "Draft objectives for discussion", "officer", "end of January", "manual"),
    (2, "Informal discussion of draft objectives with Group Leaders", "appraiser",
     "end of February", "manual"),
    (3, "Agreement of final objectives (written record)", "appraiser", "end of March",
     "objectives agreed"),
    (4, "Leader's report to Council: appraisal took place and key objectives", "appraiser",
     "6 weeks after step 3", "council report"),
    (5, "Formal six-monthly review against objectives (written record)", "appraiser",
     "end of September", "six-month review agreed"),
    (6, "Informal soundings from Group Leaders, feeding next year's step 1", "appraiser",
     "end of January next year", "manual"),
    (7, "External facilitation (at least every third year)", "appraiser",
     "every third year", "manual"),
)

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
END_OF_MONTH = re.compile(r"^end of (?P<month>[a-z]+)(?P<next> next year)?$")
WEEKS_AFTER = re.compile(r"^(?P<weeks>\d{1,2}) weeks? after step (?P<step>\d)$")
EVERY_THIRD_YEAR = "every third year"


class TimetableError(ValueError):
    pass


def rule_problem(rule):
    """Why a due rule cannot be understood, or None."""
    rule = rule.strip().lower()
    if rule == EVERY_THIRD_YEAR or WEEKS_AFTER.match(rule):
        return None
    match = END_OF_MONTH.match(rule)
    if match and match["month"] in MONTHS:
        return None
    return ('Write the rule as "end of March", "end of January next year", '
            '"6 weeks after step 3" or "every third year".')


def due_date(rule, year, earlier_due=None):
    """The due date a rule gives in a cycle year. `earlier_due` maps step
    numbers to the due dates already worked out, for relative rules."""
    problem = rule_problem(rule)
    if problem:
        raise TimetableError(problem)
    rule = rule.strip().lower()
    match = END_OF_MONTH.match(rule)
    if match:
        due_year = year + 1 if match["next"] else year
        month = MONTHS[match["month"]]
        return date(due_year, month, calendar.monthrange(due_year, month)[1])
    match = WEEKS_AFTER.match(rule)
    if match:
        anchor = (earlier_due or {}).get(int(match["step"]))
        return anchor + timedelta(weeks=int(match["weeks"])) if anchor else None
    return date(year, 3, 31)  # external facilitation sits with the agreement step


def ensure_default_timetable():
    """Seed the seven steps of the framework where the table is empty."""
    if TimetableStep.select().exists():
        return
    for number, activity, owner, rule, completed_by in DEFAULT_TIMETABLE:
        TimetableStep.create(
            number=number, activity=activity, owner=owner, due_rule=rule,
            completed_by=completed_by,
        )


def external_facilitation_due(officer, year):
    """True when none of the officer's cycles in the three years up to and
    including `year` was externally facilitated."""
    return not (
        Cycle.select()
        .where(
            (Cycle.officer == officer)
            & (Cycle.year.between(year - 2, year))
            & (Cycle.externally_facilitated == True)  # noqa: E712
        )
        .exists()
    )


def step_owner(officer, owner_kind):
    if owner_kind == "officer":
        return officer.user
    link = (
        OfficerAppraiser.select()
        .where(OfficerAppraiser.officer == officer)
        .order_by(OfficerAppraiser.capacity.desc(), OfficerAppraiser.id)
        .first()
    )
    return link.user if link else None


def create_cycle(officer, year):
    """A cycle for one officer and year, with a step for every active
    timetable step. All or nothing."""
    if Cycle.select().where((Cycle.officer == officer) & (Cycle.year == year)).exists():
        raise TimetableError(f"{officer.user.name} already has a cycle for {year}.")
    with db.atomic():
        cycle = Cycle.create(
            officer=officer, year=year,
            period_start=date(year, 1, 1), period_end=date(year, 12, 31),
        )
        due_by_number = {}
        for timetable_step in TimetableStep.select().where(TimetableStep.active == True).order_by(  # noqa: E712
            TimetableStep.number
        ):
            if timetable_step.due_rule.strip().lower() == EVERY_THIRD_YEAR and not (
                external_facilitation_due(officer, year)
            ):
                continue
            due = due_date(timetable_step.due_rule, year, due_by_number)
            due_by_number[timetable_step.number] = due
            Step.create(
                cycle=cycle, timetable_step=timetable_step,
                owner=step_owner(officer, timetable_step.owner), due_date=due,
            )
    return cycle
