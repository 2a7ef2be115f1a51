"""The annual timetable: its default steps, due-date rules, starting a
year (a cycle and its steps for every active officer), and completing
steps, by hand or when the event that completes them happens."""
import calendar
import re
from datetime import date, timedelta

from formatting import uk_date
from models import (
    Council,
    CouncilMeeting,
    CouncilReport,
    Cycle,
    Officer,
    OfficerAppraiser,
    OfficerCouncil,
    Step,
    TimetableStep,
    User,
    db,
)
from services import clock

DEFAULT_TIMETABLE = (
    (1, "Draft objectives for discussion", "officer", "end of January", "manual"),
    (2, "Informal discussion of draft objectives with Group Leaders", "appraiser",
     "end of February", "manual"),
    (3, "Agreement of final objectives (written record)", "appraiser", "end of March",
     "objectives agreed"),
    (4, "Leader's report to Council: appraisal took place and key objectives", "appraiser",
     "first Council meeting after step 3", "council report"),
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
COUNCIL_MEETING_AFTER = re.compile(r"^first council meeting after step (?P<step>\d)$")
EVERY_THIRD_YEAR = "every third year"
RULE_EXAMPLES = ('"end of March", "end of January next year", "6 weeks after step 3", '
                 '"first Council meeting after step 3" or "every third year"')


class TimetableError(ValueError):
    """A timetable request that cannot be carried out; the message is meant
    for the person who made it."""


FIRST_YEAR, LAST_YEAR = 2000, 2999


def appraisal_year(year):
    """`year`, as typed or as a number, as the year of a cycle; raises
    TimetableError when it is not one."""
    text = str(year).strip()
    if not (text.isdigit() and len(text) == 4 and FIRST_YEAR <= int(text) <= LAST_YEAR):
        raise TimetableError(f"Enter the year as four digits, from {FIRST_YEAR} to {LAST_YEAR}, "
                             "such as 2027.")
    return int(text)


def _normal(rule):
    return " ".join(rule.strip().lower().split())


def rule_problem(rule):
    """Why a due rule cannot be understood, or None."""
    rule = _normal(rule)
    if rule == EVERY_THIRD_YEAR or WEEKS_AFTER.match(rule) or COUNCIL_MEETING_AFTER.match(rule):
        return None
    match = END_OF_MONTH.match(rule)
    if match and match["month"] in MONTHS:
        return None
    return f"Write the rule as {RULE_EXAMPLES}."


def first_council_meetings_after(councils, day):
    """The date by which every one of `councils` has met after `day`, or
    None while one of them has no such meeting on record."""
    firsts = []
    for council in councils:
        meeting = (CouncilMeeting.select()
                   .where((CouncilMeeting.council == council) & (CouncilMeeting.meets_on > day))
                   .order_by(CouncilMeeting.meets_on).first())
        if meeting is None:
            return None
        firsts.append(meeting.meets_on)
    return max(firsts) if firsts else None


def due_date(rule, year, earlier_due=None, councils=()):
    """The due date a rule gives in a cycle year. `earlier_due` maps step
    numbers to the due dates already worked out, for relative rules;
    `councils` are those the officer serves, whose meetings a report goes
    to. None when the date cannot be known yet."""
    problem = rule_problem(rule)
    if problem:
        raise TimetableError(problem)
    rule = _normal(rule)
    match = END_OF_MONTH.match(rule)
    if match:
        due_year = year + 1 if match["next"] else year
        month = MONTHS[match["month"]]
        return date(due_year, month, calendar.monthrange(due_year, month)[1])
    match = WEEKS_AFTER.match(rule) or COUNCIL_MEETING_AFTER.match(rule)
    if match:
        anchor = (earlier_due or {}).get(int(match["step"]))
        if anchor is None:
            return None
        if "weeks" in match.groupdict():
            return anchor + timedelta(weeks=int(match["weeks"]))
        return first_council_meetings_after(councils, anchor)
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


FACILITATION_YEARS = 3


def facilitation_due_among(cycles, year):
    """True when none of `cycles` (one officer's) in the three years up to
    and including `year` was externally facilitated."""
    return not any(cycle.externally_facilitated and year - FACILITATION_YEARS < cycle.year <= year
                   for cycle in cycles)


def external_facilitation_due(officer, year):
    return facilitation_due_among(Cycle.select().where(Cycle.officer == officer), year)


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


def councils_served(officer):
    return list(Council.select().join(OfficerCouncil).where(OfficerCouncil.officer == officer))


def _active_timetable():
    return list(TimetableStep.select().where(TimetableStep.active == True)  # noqa: E712
                .order_by(TimetableStep.number))


def cycle_problem(officer, year):
    """Why a cycle cannot be started for this officer and year, or None."""
    name = officer.user.name
    if Cycle.select().where((Cycle.officer == officer) & (Cycle.year == year)).exists():
        return f"{name} already has a cycle for {year}."
    if not OfficerAppraiser.select().where(OfficerAppraiser.officer == officer).exists():
        return (f"Nobody is recorded as {name}'s Leader or line manager, so their steps "
                "would have no owner. Add an appraiser first.")
    for timetable_step in _active_timetable():
        problem = rule_problem(timetable_step.due_rule)
        if problem:
            return f"Timetable step {timetable_step.number} has a rule that cannot be used: {problem}"
    return None


def create_cycle(officer, year):
    """A cycle for one officer and year, with a step for every active
    timetable step. All or nothing."""
    year = appraisal_year(year)
    problem = cycle_problem(officer, year)
    if problem:
        raise TimetableError(problem)
    councils = councils_served(officer)
    with db.atomic():
        cycle = Cycle.create(
            officer=officer, year=year,
            period_start=date(year, 1, 1), period_end=date(year, 12, 31),
        )
        due_by_number = {}
        for timetable_step in _active_timetable():
            if _normal(timetable_step.due_rule) == EVERY_THIRD_YEAR and not (
                external_facilitation_due(officer, year)
            ):
                continue
            due = due_date(timetable_step.due_rule, year, due_by_number, councils)
            due_by_number[timetable_step.number] = due
            Step.create(
                cycle=cycle, timetable_step=timetable_step,
                owner=step_owner(officer, timetable_step.owner), due_date=due,
            )
    return cycle


def start_year(year):
    """A cycle for every active officer who has none for `year` (as typed,
    or a number) yet, all in one transaction: if any officer cannot have
    one, none is created. The same rules whichever way it is asked for
    (`new-cycle`, the dashboard's form). Returns (the cycles created, the
    names of officers who already had one)."""
    year = appraisal_year(year)
    ensure_default_timetable()
    officers = list(Officer.select(Officer, User).join(User)
                    .where(Officer.active == True).order_by(User.name))  # noqa: E712
    if not officers:
        raise TimetableError("There are no active officers to start a year for.")
    already = [officer for officer in officers
               if Cycle.select().where((Cycle.officer == officer) & (Cycle.year == year)).exists()]
    starting = [officer for officer in officers if officer not in already]
    if not starting:
        raise TimetableError(f"Every active officer already has a cycle for {year}.")
    problems = [problem for problem in (cycle_problem(officer, year) for officer in starting) if problem]
    if problems:
        raise TimetableError(f"No cycles were created for {year}. " + " ".join(problems))
    with db.atomic():
        created = [create_cycle(officer, year) for officer in starting]
    return created, [officer.user.name for officer in already]


def year_started(created, already):
    """What start_year() did, in sentences."""
    return [f"Started {created[0].year} for {len(created)} officer(s)."] + (
        [f"Already started for: {', '.join(already)}."] if already else [])


def refresh_council_meeting_due_dates():
    """Work out the due dates that wait for a Council meeting date, once
    HR has entered the Council's meetings. Returns how many were set."""
    council_steps = [step for step in TimetableStep.select()
                     if COUNCIL_MEETING_AFTER.match(_normal(step.due_rule))]
    updated = 0
    for timetable_step in council_steps:
        anchor_number = int(COUNCIL_MEETING_AFTER.match(_normal(timetable_step.due_rule))["step"])
        waiting = Step.select().where((Step.timetable_step == timetable_step)
                                      & Step.due_date.is_null() & Step.done_on.is_null())
        for step in waiting:
            anchor = (Step.select().join(TimetableStep)
                      .where((Step.cycle == step.cycle_id) & (TimetableStep.number == anchor_number))
                      .first())
            if anchor is None or anchor.due_date is None:
                continue
            due = first_council_meetings_after(councils_served(step.cycle.officer), anchor.due_date)
            if due:
                step.due_date = due
                step.save()
                updated += 1
    return updated


# -- completing steps ------------------------------------------------------


def complete_step(step, note, today=None):
    """Mark a step done, with a note saying how."""
    if step.done_on:
        raise TimetableError(f"Step {step.timetable_step.number} was already done on "
                             f"{uk_date(step.done_on)}.")
    step.done_on = today or clock.today()
    step.note = "\n".join(part for part in (step.note, note.strip()) if part)
    step.save()
    return step


def complete_on_event(cycle, event, note, today=None):
    """The steps of `cycle` that `event` completes, and are not yet done, are
    marked done. Returns them."""
    steps = list(Step.select(Step, TimetableStep).join(TimetableStep)
                 .where((Step.cycle == cycle) & (TimetableStep.completed_by == event)
                        & Step.done_on.is_null()))
    return [complete_step(step, note, today) for step in steps]


def complete_on_agreement(record, today=None):
    """Called when every party has agreed a record: agreed objectives
    complete step 3, an agreed six-month review step 5."""
    if record.meeting is None:
        complete_on_event(record.cycle, "objectives agreed", "Objectives agreed by every party.", today)
    elif record.meeting.kind == "six-month review":
        complete_on_event(record.cycle, "six-month review agreed",
                          "Six-month review record agreed by every party.", today)


def complete_on_council_report(council, year, today=None):
    """A report to `council` for `year` has been generated: the report step
    of every officer who serves it is done once every council they serve
    has had its report."""
    reported = set(CouncilReport.select(CouncilReport.council)
                   .where(CouncilReport.year == year).tuples())
    reported = {council_id for (council_id,) in reported}
    cycles = (Cycle.select().join(OfficerCouncil, on=(OfficerCouncil.officer == Cycle.officer))
              .where((Cycle.year == year) & (OfficerCouncil.council == council)))
    for cycle in cycles:
        if {c.id for c in councils_served(cycle.officer)} <= reported:
            complete_on_event(cycle, "council report", "Leader's report to Council generated.", today)
