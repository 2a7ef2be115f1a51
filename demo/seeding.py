"""Builds the demonstration scenario (demo/data.py) as records, all in one
transaction. `flask --app app seed-demo` calls `seed_demo()` on an empty
database."""
from datetime import date, datetime, time, timedelta

from demo.data import (
    CHIEF_EXECUTIVE,
    COUNCIL_MEETING_DAYS,
    COUNCILS,
    DEMO_PASSWORD,
    DEVELOPMENT_NEEDS,
    JCE_APPRAISERS,
    MEETINGS,
    OBJECTIVES,
    OFFICERS,
    PEOPLE,
    PREVIOUS_YEAR_FACILITATOR,
    PRIORITIES,
    STEPS_DONE,
    YEAR,
)
from models import (
    Action,
    Agreement,
    Assessment,
    Council,
    CouncilMeeting,
    DevelopmentNeed,
    Meeting,
    MeetingAttendee,
    Objective,
    Officer,
    OfficerAppraiser,
    OfficerCouncil,
    Priority,
    Step,
    TimetableStep,
    db,
)
from services.agreement.formal_record import file_formal_record
from services.agreement.records import MeetingRecord
from services.agreement.workflow import parties, party_role, submit_for_agreement
from services.people.accounts import create_user
from services.year.timetable import create_cycle

DEMO_ACCOUNTS = [(person.email, person.role, person.description) for person in PEOPLE]


def seed_demo():
    """Build the whole scenario on an empty database, or nothing at all."""
    with db.atomic():
        councils = _create_councils()
        _create_council_meetings(councils)
        priorities = _create_priorities(councils)
        users = {person.key: _create_account(person) for person in PEOPLE}
        officers = _create_officers(users, councils)
        _create_appraisers(officers, users, councils)
        _create_previous_year(officers[CHIEF_EXECUTIVE])
        cycles = {key: create_cycle(officer, YEAR) for key, officer in officers.items()}
        objectives = _create_objectives(cycles, priorities)
        for key, done in STEPS_DONE.items():
            _mark_steps_done(cycles[key], done)
        for seed in MEETINGS:
            _create_meeting(seed, cycles[seed.officer], users, objectives)
        _create_development_needs(cycles)


def _create_councils():
    return {
        key: Council.create(name=name, short_name=short_name)
        for key, (name, short_name) in COUNCILS.items()
    }


def _create_council_meetings(councils):
    for offset, council in enumerate(councils.values()):
        for year in (YEAR, YEAR + 1):
            for month, day in COUNCIL_MEETING_DAYS:
                CouncilMeeting.create(council=council, meets_on=date(year, month, day + offset))


def _create_priorities(councils):
    return {
        reference: Priority.create(
            council=councils[council] if council else None, reference=reference, title=title
        )
        for council, reference, title in PRIORITIES
    }


def _create_account(person):
    return create_user(
        email=person.email, name=person.name, role=person.role, password=DEMO_PASSWORD
    )


def _create_officers(users, councils):
    officers = {}
    for key, post_title, statutory_role, served in OFFICERS:
        officer = Officer.create(
            user=users[key], post_title=post_title, statutory_role=statutory_role
        )
        for council in served:
            OfficerCouncil.create(officer=officer, council=councils[council])
        officers[key] = officer
    return officers


def _create_appraisers(officers, users, councils):
    for person, capacity, council in JCE_APPRAISERS:
        OfficerAppraiser.create(
            officer=officers[CHIEF_EXECUTIVE], user=users[person], capacity=capacity,
            council=councils[council],
        )
    for key, officer in officers.items():
        if key != CHIEF_EXECUTIVE:
            OfficerAppraiser.create(
                officer=officer, user=users[CHIEF_EXECUTIVE], capacity="line manager"
            )


def _create_previous_year(officer):
    cycle = create_cycle(officer, YEAR - 1)
    cycle.status = "closed"
    cycle.externally_facilitated = True
    cycle.facilitator = PREVIOUS_YEAR_FACILITATOR
    cycle.save()
    Step.update(done_on=Step.due_date).where(Step.cycle == cycle).execute()


def _create_objectives(cycles, priorities):
    """All the objectives, by title, for the meetings to assess."""
    objectives = {}
    for key, seeds in OBJECTIVES.items():
        for seed in seeds:
            priority = priorities[seed.priority] if seed.priority else None
            objectives[seed.title] = Objective.create(
                cycle=cycles[key], category=seed.category, priority=priority,
                council=priority.council if seed.category == "corporate" else None,
                title=seed.title, description=seed.description, measure=seed.measure,
                target_date=seed.target_date, status=seed.status, published=seed.published,
            )
    return objectives


def _mark_steps_done(cycle, done_by_number):
    steps = Step.select(Step, TimetableStep).join(TimetableStep).where(Step.cycle == cycle)
    for step in steps:
        done_on = done_by_number.get(step.timetable_step.number)
        if done_on:
            step.done_on = done_on
            step.save()


def _create_meeting(seed, cycle, users, objectives):
    """A meeting "awaiting agreement" is written as a draft and sent for
    agreement by HR through the real service, emails and all."""
    sent_for_agreement = seed.status == "awaiting agreement"
    meeting = Meeting.create(
        cycle=cycle, kind=seed.kind, held_on=seed.held_on, location=seed.location,
        status="draft" if sent_for_agreement else seed.status, **seed.record,
    )
    for person in seed.attendees:
        MeetingAttendee.create(meeting=meeting, user=users[person])
    for description, owner, due_date, done in seed.actions:
        Action.create(
            meeting=meeting, description=description, owner=users[owner], due_date=due_date,
            done=done,
        )
    for title, rating, evidence, reasons in seed.assessments:
        Assessment.create(
            objective=objectives[title], meeting=meeting, rating=rating, evidence=evidence,
            reasons=reasons,
        )
    if sent_for_agreement:
        submit_for_agreement(MeetingRecord(meeting), requested_by=users["hr"])
    if seed.status == "agreed":
        _file_agreed_record(meeting, users["hr"])


def _file_agreed_record(meeting, hr):
    """An agreed record as the agreement process leaves it: each party's
    decision a week after the meeting, and the PDF on the personal file."""
    record = MeetingRecord(meeting)
    version = record.version()
    decided_at = datetime.combine(meeting.held_on + timedelta(days=7), time(10))
    agreements = [
        Agreement.create(cycle=record.cycle, meeting=meeting, party=party, content_hash=version.hash,
                         requested_by=hr, sent_at=decided_at - timedelta(days=2),
                         expires_at=decided_at + timedelta(days=12), decided_at=decided_at,
                         decision="agreed")
        for party in parties(record.officer)
    ]
    roles = {agreement.party_id: party_role(record.officer, agreement.party) for agreement in agreements}
    file_formal_record(record, version, agreements, roles, decided_at)


def _create_development_needs(cycles):
    for key, need, activity, provider, target_date, status in DEVELOPMENT_NEEDS:
        DevelopmentNeed.create(
            cycle=cycles[key], need=need, activity=activity, provider=provider,
            target_date=target_date, status=status,
        )
