"""`flask --app app remind`: a party whose decision is still awaited N days
after their link was sent is reminded, once per N days, never twice for
the same reminder, with a new link that replaces the old one."""
import threading
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from models import Agreement, OfficerAppraiser, OutboxEmail, db, utcnow
from services.agreement.records import MeetingRecord
from services.agreement.workflow import queue_agreement_reminders, submit_for_agreement
from services.mail.outbox import send_pending
from tests.conftest import csrf_token_from
from tests.mailserver import link_in

REMINDER_DAYS = 3


@pytest.fixture
def sent(app, scenario, annual_meeting, mail_server):
    """The meeting sent for agreement, its emails delivered, and the officer
    already agreed: both Leaders are still awaited."""
    app.config["AGREEMENT_REMINDER_DAYS"] = REMINDER_DAYS
    submit_for_agreement(MeetingRecord(annual_meeting), requested_by=scenario.hr)
    send_pending()
    browser = app.test_client()
    path = urlsplit(link_in(mail_server.only_message_to(scenario.jce_user.email))).path
    browser.post(path, data={"decision": "agree", "csrf_token": csrf_token_from(browser.get(path))})
    return utcnow()


def reminders():
    return OutboxEmail.select().where(OutboxEmail.subject.startswith("Reminder"))


def test_parties_still_awaited_after_the_interval_are_reminded_once(scenario, sent, mail_server):
    assert queue_agreement_reminders(sent + timedelta(days=REMINDER_DAYS - 1)) == 0

    due = sent + timedelta(days=REMINDER_DAYS, minutes=1)
    assert queue_agreement_reminders(due) == 2
    assert queue_agreement_reminders(due) == 0  # never twice for the same reminder
    assert queue_agreement_reminders(due + timedelta(hours=5)) == 0
    assert {email.recipient for email in reminders()} == {scenario.leader_north.email,
                                                           scenario.leader_south.email}

    first_link = link_in(mail_server.only_message_to(scenario.leader_north.email))
    assert send_pending(due).sent == 2
    reminder = mail_server.messages_to(scenario.leader_north.email)[-1]
    assert reminder["Subject"].startswith("Reminder: please agree: Annual performance agreement")
    new_link = link_in(reminder)
    assert new_link != first_link

    # the interval starts again from the reminder
    assert queue_agreement_reminders(due + timedelta(days=REMINDER_DAYS - 1)) == 0
    assert queue_agreement_reminders(due + timedelta(days=REMINDER_DAYS, minutes=1)) == 2


def test_a_reminder_link_replaces_the_one_sent_before_it(app, scenario, sent, mail_server):
    first_link = urlsplit(link_in(mail_server.only_message_to(scenario.leader_north.email))).path
    due = sent + timedelta(days=REMINDER_DAYS, minutes=1)
    queue_agreement_reminders(due)
    send_pending(due)
    new_link = urlsplit(link_in(mail_server.messages_to(scenario.leader_north.email)[-1])).path

    assert app.test_client().get(first_link).status_code == 404
    assert app.test_client().get(new_link).status_code == 200


def test_nobody_is_reminded_once_they_have_decided_or_the_link_has_expired(scenario, sent):
    Agreement.update(decided_at=utcnow(), decision="agreed").where(
        Agreement.party == scenario.leader_north).execute()

    assert queue_agreement_reminders(sent + timedelta(days=REMINDER_DAYS, minutes=1)) == 1
    assert queue_agreement_reminders(sent + timedelta(days=30)) == 0  # expired after 14 days


def test_two_remind_runs_at_once_remind_each_party_once(app, sent):
    due = sent + timedelta(days=REMINDER_DAYS, minutes=1)
    start = threading.Barrier(2)
    counts, failures = [], []

    def run():
        start.wait()
        with app.app_context(), db.connection_context():
            try:
                counts.append(queue_agreement_reminders(due))
            except Exception as failure:  # noqa: BLE001 - the assertion below shows it
                failures.append(failure)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert not failures and len(counts) == 2
    assert sum(counts) == 2 and reminders().count() == 2


def test_remind_command_reports_each_kind_of_reminder(app, sent):
    Agreement.update(sent_at=sent - timedelta(days=REMINDER_DAYS + 1)).execute()

    result = app.test_cli_runner().invoke(args=["remind"])

    assert result.exit_code == 0, result.output
    assert "Queued 2 agreement reminder(s)." in result.output
    assert "Queued 0 agreement reminder(s)." in app.test_cli_runner().invoke(args=["remind"]).output


def test_a_reminder_still_waiting_when_its_party_decides_is_not_sent(app, scenario, sent, mail_server):
    due = sent + timedelta(days=REMINDER_DAYS, minutes=1)
    queue_agreement_reminders(due)
    path = urlsplit(link_in(mail_server.only_message_to(scenario.leader_north.email))).path
    browser = app.test_client()
    browser.post(path, data={"decision": "agree", "csrf_token": csrf_token_from(browser.get(path))})

    report = send_pending(due)

    assert (report.sent, report.not_needed) == (1, 1)
    assert len(mail_server.messages_to(scenario.leader_north.email)) == 1


def test_the_reminder_interval_starts_when_the_email_went_not_when_it_was_queued(
    app, scenario, annual_meeting, mail_server
):
    app.config["AGREEMENT_REMINDER_DAYS"] = REMINDER_DAYS
    submit_for_agreement(MeetingRecord(annual_meeting), requested_by=scenario.hr)
    went = utcnow() + timedelta(days=2)  # the mail server was down until then
    assert send_pending(went).sent == 3

    assert queue_agreement_reminders(went + timedelta(days=REMINDER_DAYS, minutes=-1)) == 0
    assert queue_agreement_reminders(went + timedelta(days=REMINDER_DAYS)) == 3


def test_a_party_is_reminded_exactly_the_interval_after_their_link_went_and_again_after_the_reminder(
    scenario, sent
):
    (went,) = {agreement.sent_at for agreement in Agreement.select()}
    moment = timedelta(microseconds=1)

    assert queue_agreement_reminders(went + timedelta(days=REMINDER_DAYS) - moment) == 0
    reminded = went + timedelta(days=REMINDER_DAYS)
    assert queue_agreement_reminders(reminded) == 2
    assert queue_agreement_reminders(reminded + timedelta(days=REMINDER_DAYS) - moment) == 0
    assert queue_agreement_reminders(reminded + timedelta(days=REMINDER_DAYS)) == 2


def test_a_party_no_longer_asked_to_agree_is_not_reminded_and_the_others_still_are(scenario, sent):
    OfficerAppraiser.delete().where(OfficerAppraiser.user == scenario.leader_north).execute()

    assert queue_agreement_reminders(sent + timedelta(days=REMINDER_DAYS, minutes=1)) == 1
    assert [email.recipient for email in reminders()] == [scenario.leader_south.email]


def test_nobody_is_reminded_of_a_request_whose_email_has_not_yet_gone(app, scenario, annual_meeting):
    app.config["AGREEMENT_REMINDER_DAYS"] = REMINDER_DAYS
    submit_for_agreement(MeetingRecord(annual_meeting), requested_by=scenario.hr)  # its emails not yet sent

    assert queue_agreement_reminders(utcnow() + timedelta(days=REMINDER_DAYS + 1)) == 0
