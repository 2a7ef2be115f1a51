"""The timetable digest: each owner of steps that are overdue or due within
TIMETABLE_REMINDER_DAYS gets one email listing them. A step is mentioned
again only TIMETABLE_REMINDER_REPEAT_DAYS later, so a daily cron sends
nothing new on a second run the same day, and nobody is nagged daily."""
from datetime import timedelta

from flask import current_app

from models import Cycle, Officer, Step, TimetableStep, User, db
from services import clock
from services.mail.outbox import queue_from_template


def _not_recently_reminded(today):
    since = today - timedelta(days=current_app.config["TIMETABLE_REMINDER_REPEAT_DAYS"])
    return Step.reminded_on.is_null() | (Step.reminded_on <= since)


def steps_to_remind(today):
    """Open steps, with an active owner, due within the window or overdue,
    not mentioned recently; by owner, then due date."""
    horizon = today + timedelta(days=current_app.config["TIMETABLE_REMINDER_DAYS"])
    return (Step.select(Step, TimetableStep, Cycle, Officer)
            .join(TimetableStep).switch(Step).join(Cycle).join(Officer)
            .switch(Step).join(User, on=(Step.owner == User.id))
            .where(Step.done_on.is_null() & Step.due_date.is_null(False) & (Step.due_date <= horizon)
                   & (Cycle.status == "open") & (User.active == True)  # noqa: E712
                   & _not_recently_reminded(today))
            .order_by(Step.owner, Step.due_date, TimetableStep.number))


def queue_timetable_digests(today=None):
    """One digest per owner. Each step is claimed by a conditional update,
    so two runs at once never mention it twice. Returns how many digests
    were queued."""
    today = today or clock.today()
    by_owner = {}
    for step in steps_to_remind(today):
        by_owner.setdefault(step.owner_id, []).append(step)
    queued = 0
    for steps in by_owner.values():
        with db.atomic():
            claimed = [step for step in steps if Step.update(reminded_on=today).where(
                (Step.id == step.id) & _not_recently_reminded(today)).execute()]
            if claimed:
                owner = claimed[0].owner
                overdue = [step for step in claimed if step.due_date < today]
                upcoming = [step for step in claimed if step.due_date >= today]
                subject = (f"Appraisal timetable: {len(overdue)} overdue, {len(upcoming)} due soon"
                           if overdue else f"Appraisal timetable: {len(upcoming)} step(s) due soon")
                queue_from_template(owner.email, subject, "timetable_digest", person=owner,
                                    overdue=overdue, upcoming=upcoming, today=today,
                                    base_url=current_app.config["BASE_URL"])
                queued += 1
    return queued
