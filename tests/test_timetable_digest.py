"""`flask --app app remind` sends each owner one digest of their steps
that are overdue or due within TIMETABLE_REMINDER_DAYS, through a real
SMTP server; running it again the same day sends nothing new, and a step
is mentioned again only after TIMETABLE_REMINDER_REPEAT_DAYS."""
from datetime import date, timedelta

from models import OutboxEmail, Step, TimetableStep
from services.mail.outbox import send_pending
from services.mail.reminders import queue_timetable_digests
from services.year.timetable import complete_step
from tests.mailserver import html_of, text_of

# Step 1 (the officer's) is due 31 Jan 2026, step 2 (the appraiser's) 28 Feb 2026.
TODAY = date(2026, 2, 20)


def step(cycle, number):
    return (Step.select().join(TimetableStep)
            .where((Step.cycle == cycle) & (TimetableStep.number == number)).get())


def digests():
    return OutboxEmail.select().where(OutboxEmail.subject.startswith("Appraisal timetable"))


def test_each_owner_gets_one_digest_of_overdue_and_upcoming_steps(app, scenario, mail_server):
    assert queue_timetable_digests(TODAY) == 3
    assert send_pending().sent == 3

    # Jo Chambers owns step 1 of her own year (overdue) and step 2 of her director's (due soon)
    message = mail_server.only_message_to(scenario.jce_user.email)
    assert message["Subject"] == "Appraisal timetable: 1 overdue, 1 due soon"
    body = text_of(message)
    overdue, soon = body.split("Overdue:")[1].split("Due soon:")
    assert "Jo Chambers 2026: step 1, Draft objectives for discussion. Due 31 Jan 2026." in overdue
    assert ("Dan Morris 2026: step 2, Informal discussion of draft objectives with Group Leaders. "
            "Due 28 Feb 2026.") in soon
    assert "Due <strong>28 Feb 2026</strong>" in html_of(message)
    director = mail_server.only_message_to(scenario.director_user.email)
    assert director["Subject"] == "Appraisal timetable: 1 overdue, 0 due soon"
    assert "1 step(s) due soon" in mail_server.only_message_to(scenario.leader_north.email)["Subject"]


def test_running_twice_on_the_same_day_sends_nothing_new(app, scenario, mail_server):
    assert queue_timetable_digests(TODAY) == 3
    assert queue_timetable_digests(TODAY) == 0
    assert send_pending().sent == 3
    assert queue_timetable_digests(TODAY) == 0
    assert send_pending().sent == 0
    assert len(mail_server.messages) == 3


def test_a_step_is_mentioned_again_after_the_repeat_interval_and_never_once_done(app, scenario):
    app.config["TIMETABLE_REMINDER_REPEAT_DAYS"] = 7
    queue_timetable_digests(TODAY)
    first_batch = {email.id for email in digests()}
    assert queue_timetable_digests(TODAY + timedelta(days=6)) == 0

    complete_step(step(scenario.director_cycle, 1), "Drafts sent to Jo.")
    assert queue_timetable_digests(TODAY + timedelta(days=7)) == 2

    again = [email for email in digests() if email.id not in first_batch]
    # the director's only step is done, so he hears nothing more
    assert {email.recipient for email in again} == {scenario.jce_user.email, scenario.leader_north.email}


def test_steps_beyond_the_window_wait(app, scenario):
    app.config["TIMETABLE_REMINDER_DAYS"] = 14
    assert queue_timetable_digests(date(2026, 1, 1)) == 0  # step 1 is 30 days away
    assert queue_timetable_digests(date(2026, 1, 17)) == 2  # 14 days: the two officers' step 1
    assert {email.recipient for email in digests()} == {scenario.jce_user.email, scenario.director_user.email}


def test_the_remind_command_sends_the_digests_once_a_day(app, scenario):
    Step.update(due_date=date.today() + timedelta(days=1)).execute()
    runner = app.test_cli_runner()

    first = runner.invoke(args=["remind"])

    assert first.exit_code == 0, first.output
    assert "Queued 3 timetable digest reminder(s)." in first.output
    assert "Queued 0 timetable digest reminder(s)." in runner.invoke(args=["remind"]).output
