"""The outbox, against a real SMTP server on localhost: no request waits
on the mail server; a server that is down, slow or refuses a recipient
loses nothing; every email is delivered once, even with two senders."""
import logging
import ssl
import subprocess
import threading
import time
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from models import Agreement, Attachment, Meeting, OutboxEmail, db, utcnow
from services.agreement.records import MeetingRecord
from services.agreement.workflow import submit_for_agreement, withdraw
from services.mail import outbox
from services.mail.outbox import (
    NOT_NEEDED,
    claim,
    queue_email,
    retry_delay,
    send_again,
    send_pending,
    waiting,
    waiting_count,
)
from services.records.storage import save_bytes
from tests.conftest import sign_in
from tests.mailserver import MailServer, attachments_of, link_in


@pytest.fixture
def background_sender(app):
    """The app's own background sender, which tests otherwise leave off."""
    app.config["OUTBOX_BACKGROUND_SENDER"] = True
    sender = app.extensions["outbox_sender"]
    yield sender
    sender.stop()


def wait_until(condition, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("timed out waiting")


def queue(count):
    return [queue_email(f"person{n}@example.gov.uk", f"Message {n}", f"Hello {n}") for n in range(count)]


def test_the_background_sender_sends_soon_after_the_request_that_queued_mail(
    client, scenario, annual_meeting, mail_server, background_sender
):
    token = sign_in(client, scenario.hr)

    client.post("/admin/meeting/send-for-agreement/", data={"id": annual_meeting.id, "csrf_token": token})

    wait_until(lambda: len(mail_server.messages) == 3)
    wait_until(lambda: waiting_count() == 0)
    assert {message["To"] for message in mail_server.messages} == {
        scenario.jce_user.email, scenario.leader_north.email, scenario.leader_south.email}


def test_with_the_mail_server_down_a_record_is_still_sent_and_its_emails_go_once_it_is_back(
    client, scenario, annual_meeting, mail_server, background_sender
):
    mail_server.stop()
    token = sign_in(client, scenario.hr)

    response = client.post("/admin/meeting/send-for-agreement/",
                           data={"id": annual_meeting.id, "csrf_token": token})

    assert response.status_code == 302
    assert Meeting.get_by_id(annual_meeting.id).status == "awaiting agreement"
    # the background sender has tried, and recorded why it failed
    wait_until(lambda: OutboxEmail.select().where(OutboxEmail.last_error != "").exists())
    tried = OutboxEmail.get(OutboxEmail.last_error != "")
    assert "Connection refused" in tried.last_error
    assert tried.sent_at is None and tried.gave_up_at is None and tried.next_attempt_at > tried.created_at
    assert waiting_count() == 3

    mail_server.start()
    after_the_back_off = utcnow() + timedelta(hours=1)
    assert send_pending(after_the_back_off).sent == 3

    assert sorted(message["To"] for message in mail_server.messages) == sorted(
        (scenario.jce_user.email, scenario.leader_north.email, scenario.leader_south.email))
    assert send_pending(after_the_back_off + timedelta(days=1)).sent == 0
    assert len(mail_server.messages) == 3


def test_a_request_does_not_wait_while_a_slow_mail_server_takes_its_emails(
    app, client, scenario, annual_meeting, mail_server, background_sender
):
    app.config["MAIL_TIMEOUT"] = 120
    mail_server.recorder.open.clear()  # the server takes no email until the test lets it
    token = sign_in(client, scenario.hr)

    response = client.post("/admin/meeting/send-for-agreement/",
                           data={"id": annual_meeting.id, "csrf_token": token})

    assert response.status_code == 302 and mail_server.messages == []
    mail_server.recorder.open.set()
    wait_until(lambda: len(mail_server.messages) == 3, seconds=30)


def test_two_senders_running_at_once_deliver_each_email_once(app, mail_server):
    emails = queue(30)
    mail_server.recorder.delay = 0.01
    start = threading.Barrier(3)
    reports = []

    def sender():
        start.wait()
        with app.app_context(), db.connection_context():
            reports.append(send_pending())

    threads = [threading.Thread(target=sender) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert sum(report.sent for report in reports) == 30
    assert sorted(message["To"] for message in mail_server.messages) == sorted(
        email.recipient for email in emails)
    assert len({message["Message-ID"] for message in mail_server.messages}) == 30
    assert {(email.attempts, email.sent_at is not None) for email in OutboxEmail.select()} == {(1, True)}


def test_a_refused_recipient_is_given_up_at_once_and_the_others_are_delivered(mail_server):
    emails = queue(3)
    mail_server.recorder.refused = {emails[1].recipient}

    report = send_pending()

    assert (report.sent, report.failed) == (2, 1)
    refused = OutboxEmail.get_by_id(emails[1].id)
    assert refused.gave_up_at is not None and refused.sent_at is None
    assert "550" in refused.last_error and "No such mailbox" in refused.last_error
    assert send_pending(utcnow() + timedelta(days=1)) == (0, 0, 0)
    assert {message["To"] for message in mail_server.messages} == {emails[0].recipient, emails[2].recipient}


def test_a_slow_mail_server_holds_a_sender_up_for_the_timeout_only(app, mail_server):
    app.config["MAIL_TIMEOUT"] = 1
    mail_server.recorder.open.clear()  # answers nothing until the test lets it
    email, next_one = queue(2)

    report = send_pending()

    assert report.failed == 1
    waiting = OutboxEmail.get_by_id(email.id)
    assert "timed out" in waiting.last_error and waiting.sent_at is None and waiting.gave_up_at is None
    assert OutboxEmail.get_by_id(next_one.id).attempts == 0, "the rest wait for the server to come back"
    mail_server.recorder.open.set()
    assert send_pending(utcnow() + timedelta(hours=1)).sent == 2
    assert len(mail_server.messages) == 2


def test_failures_are_retried_after_growing_delays_and_then_given_up(app, mail_server):
    app.config.update(OUTBOX_RETRY_SECONDS=60, OUTBOX_MAX_ATTEMPTS=3)
    mail_server.stop()
    (email,) = queue(1)
    now = utcnow()

    def after(seconds):
        report = send_pending(now + timedelta(seconds=seconds))
        return report.failed, OutboxEmail.get_by_id(email.id)

    failed, tried = after(0)
    assert failed == 1 and tried.next_attempt_at == now + timedelta(seconds=60)
    assert after(59)[0] == 0  # not yet due
    failed, tried = after(60)
    assert failed == 1 and tried.next_attempt_at == now + timedelta(seconds=60 + 120)
    failed, tried = after(180)
    assert failed == 1 and tried.attempts == 3 and tried.gave_up_at is not None
    mail_server.start()
    assert after(86400)[0] == 0 and len(mail_server.messages) == 0


def test_hr_sees_attempts_and_the_last_error_and_can_send_an_email_again(client, scenario, mail_server):
    emails = queue(2)
    mail_server.recorder.refused = {emails[0].recipient}
    send_pending()
    token = sign_in(client, scenario.hr)

    listing = client.get("/admin/outboxemail/").get_data(as_text=True)
    assert "Attempts" in listing and "Last error" in listing and "No such mailbox" in listing

    mail_server.recorder.refused = set()
    response = client.post("/admin/outboxemail/action/", data={
        "action": "send_again", "rowid": [str(email.id) for email in emails], "csrf_token": token,
    }, follow_redirects=True)

    assert "2 email(s) will be sent again" in response.get_data(as_text=True)
    given_up = OutboxEmail.get_by_id(emails[0].id)
    assert (given_up.attempts, given_up.gave_up_at) == (0, None)
    assert send_pending().sent == 2  # the one given up, and a copy of the one sent
    assert sorted(message["To"] for message in mail_server.messages) == sorted(
        [emails[1].recipient, emails[0].recipient, emails[1].recipient])


def test_a_request_taken_back_before_its_email_went_is_not_sent(scenario, annual_meeting, mail_server):
    record = MeetingRecord(annual_meeting)
    submit_for_agreement(record, requested_by=scenario.hr)
    withdraw(MeetingRecord(Meeting.get_by_id(annual_meeting.id)), scenario.hr)

    report = send_pending()

    assert (report.sent, report.not_needed) == (3, 3)
    assert {message["Subject"].split(":")[0] for message in mail_server.messages} == {"No longer needed"}
    requests = OutboxEmail.select().where(OutboxEmail.agreement.is_null(False))
    assert {(email.last_error, email.sent_at) for email in requests} == {(NOT_NEEDED, None)}
    assert waiting_count() == 0 and send_pending(utcnow() + timedelta(days=1)) == (0, 0, 0)


def test_send_mail_command_flushes_the_outbox(app, mail_server):
    queue(2)

    result = app.test_cli_runner().invoke(args=["send-mail"])

    assert result.exit_code == 0, result.output
    assert "Sent 2" in result.output and "0 waiting" in result.output
    assert len(mail_server.messages) == 2


def test_a_request_whose_link_has_expired_by_the_time_its_email_goes_is_not_sent(
    scenario, annual_meeting, mail_server
):
    submit_for_agreement(MeetingRecord(annual_meeting), requested_by=scenario.hr)
    (expires_at,) = {agreement.expires_at for agreement in Agreement.select()}

    report = send_pending(expires_at)

    assert (report.sent, report.not_needed) == (0, 3)
    assert mail_server.messages == []


def test_send_again_requeues_only_the_email_it_was_asked_for(mail_server):
    emails = queue(3)
    mail_server.recorder.refused = {email.recipient for email in emails}
    send_pending()
    mail_server.recorder.refused = set()

    pressed_at = utcnow() + timedelta(minutes=5)

    requeued = send_again(OutboxEmail.get_by_id(emails[1].id), pressed_at)

    assert requeued.id == emails[1].id  # the same email, not a copy: it never went
    assert [(email.id, email.next_attempt_at) for email in waiting()] == [(emails[1].id, pressed_at)]
    assert send_pending(pressed_at).sent == 1
    assert [message["To"] for message in mail_server.messages] == [emails[1].recipient]


def test_send_again_leaves_alone_an_email_a_sender_is_sending_or_has_just_sent(mail_server):
    in_flight, just_sent = queue(2)
    now = utcnow()
    claim(in_flight.id, "another sender", now)
    stale_copy = OutboxEmail.get_by_id(just_sent.id)  # read before the sender marked it sent
    send_pending(now)

    send_again(OutboxEmail.get_by_id(in_flight.id), now)
    send_again(stale_copy, now)

    assert OutboxEmail.get_by_id(in_flight.id).claimed_by == "another sender"
    sent = OutboxEmail.get_by_id(just_sent.id)
    assert (sent.attempts, sent.sent_at) == (1, now)
    assert OutboxEmail.select().count() == 2


def test_sending_again_an_agreement_request_that_went_sends_a_new_working_link(
    app, scenario, links, mail_server
):
    request = OutboxEmail.get(OutboxEmail.recipient == scenario.leader_north.email)

    copy = send_again(request)
    assert send_pending().sent == 1

    assert copy.id != request.id
    new_link = urlsplit(link_in(mail_server.messages_to(scenario.leader_north.email)[-1])).path
    assert app.test_client().get(new_link).status_code == 200
    assert app.test_client().get(links[scenario.leader_north]).status_code == 404


def test_sending_again_an_email_that_went_sends_its_attachment_and_invitation_too(scenario, mail_server):
    stored = save_bytes(b"%PDF-1.4 record")
    attachment = Attachment.create(
        officer=scenario.jce, original_name="record.pdf", stored_name=stored.stored_name,
        content_type="application/pdf", size=stored.size, sha256=stored.sha256, uploaded_by=scenario.hr,
    )
    invitation = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
    email = queue_email(scenario.jce_user.email, "Your record", "Attached.", attachment=attachment,
                        calendar=invitation)
    send_pending()

    send_again(OutboxEmail.get_by_id(email.id))
    send_pending()

    first, again = mail_server.messages
    assert set(attachments_of(again)) == set(attachments_of(first)) == {"record.pdf", "invite.ics"}


def test_send_again_in_the_admin_wakes_the_background_sender(
    client, scenario, mail_server, background_sender
):
    (email,) = queue(1)
    mail_server.recorder.refused = {email.recipient}
    token = sign_in(client, scenario.hr)  # the first request starts the sender, which tries the email
    wait_until(lambda: OutboxEmail.get_by_id(email.id).gave_up_at is not None)
    mail_server.recorder.refused = set()

    client.post("/admin/outboxemail/action/",
                data={"action": "send_again", "rowid": [str(email.id)], "csrf_token": token})

    wait_until(lambda: len(mail_server.messages) == 1)


def test_an_emails_message_id_is_made_from_the_email_in_the_senders_domain_so_each_attempt_has_the_same(
    app, mail_server
):
    mail = app.extensions["mail"]
    mail.default_sender = "Appraise <appraise@northvale.gov.uk>"
    (email,) = queue(1)
    send_pending()
    mail.default_sender = "Appraise <>"  # no address at all
    (undomained,) = queue(1)
    send_pending()

    first, second = mail_server.messages
    assert first["Message-ID"] == f"<outbox-{email.id}.{email.created_at:%Y%m%d%H%M%S}@northvale.gov.uk>"
    assert second["Message-ID"] == f"<outbox-{undomained.id}.{undomained.created_at:%Y%m%d%H%M%S}@appraise>"


def test_an_email_written_as_text_only_is_sent_without_an_html_part(mail_server):
    queue(1)
    send_pending()

    (message,) = mail_server.messages
    assert message.get_content_type() == "text/plain"


def test_a_failed_email_is_logged_with_its_recipient_and_why_and_each_run_says_what_it_did(
    caplog, mail_server
):
    emails = queue(2)
    mail_server.recorder.refused = {emails[0].recipient}

    with caplog.at_level(logging.INFO, logger="appraise.outbox"):
        send_pending()

    logged = [(name, level, message) for name, level, message in caplog.record_tuples
              if name == "appraise.outbox"]
    assert logged[0][1] == logging.WARNING
    assert emails[0].recipient in logged[0][2] and "No such mailbox" in logged[0][2]
    assert logged[-1] == ("appraise.outbox", logging.INFO, "Outbox: 1 sent, 1 failed, 0 no longer needed.")


def test_an_email_claimed_by_a_sender_that_died_is_sent_by_another_once_ten_minutes_have_passed(mail_server):
    (email,) = queue(1)
    now = utcnow()
    claim(email.id, "a sender that died", now)

    assert send_pending(now + timedelta(minutes=10)).sent == 0
    assert send_pending(now + timedelta(minutes=10, seconds=1)).sent == 1
    assert len(mail_server.messages) == 1


def test_retries_back_off_by_doubling_up_to_six_hours_apart(app):
    app.config["OUTBOX_RETRY_SECONDS"] = 3600

    assert [retry_delay(attempts) for attempts in range(1, 6)] == [
        timedelta(hours=hours) for hours in (1, 2, 4, 6, 6)]


def test_one_run_sends_at_most_200_emails_and_the_next_run_the_rest(app):
    for number in range(201):
        OutboxEmail.create(recipient=f"person{number}@example.gov.uk", subject="Hello", body_text="Hello")

    assert send_pending().sent == 200
    assert send_pending().sent == 1


@pytest.mark.parametrize("refusal, given_up", [
    ("451 4.3.0 Try again later", False), ("500 5.0.0 Refused", True), ("550 5.7.1 Refused", True),
])
def test_a_refusal_for_now_is_tried_again_and_a_refusal_for_good_is_given_up(
    mail_server, refusal, given_up
):
    (to_a_refused_recipient,) = queue(1)
    mail_server.recorder.refused, mail_server.recorder.refusal = {to_a_refused_recipient.recipient}, refusal
    send_pending()
    refused_message = queue_email("someone@example.gov.uk", "Hello", "Hello")
    mail_server.recorder.message_refusal = refusal
    send_pending()

    for email in (to_a_refused_recipient, refused_message):
        tried = OutboxEmail.get_by_id(email.id)
        assert tried.sent_at is None and (tried.gave_up_at is not None) is given_up
        assert refusal.split()[0] in tried.last_error


def test_an_email_that_cannot_be_made_is_given_up_at_once_and_the_rest_are_sent(scenario, mail_server):
    lost = Attachment.create(
        officer=scenario.jce, original_name="gone.pdf", stored_name="not-on-disk",
        content_type="application/pdf", size=1, sha256="0" * 64, uploaded_by=scenario.hr,
    )
    missing_file = queue_email(scenario.jce_user.email, "Your record", "Attached.", attachment=lost)
    bad_header = queue_email(f"{scenario.jce_user.email}\nBcc: someone@example.com", "Hello", "Hello")
    (fine,) = queue(1)

    report = send_pending()

    assert (report.sent, report.failed) == (1, 2)
    for email in (missing_file, bad_header):
        assert OutboxEmail.get_by_id(email.id).gave_up_at is not None
    assert [message["To"] for message in mail_server.messages] == [fine.recipient]


def test_a_sender_says_goodbye_to_the_mail_server_when_it_has_sent_what_was_due(mail_server):
    queue(2)

    send_pending()

    assert mail_server.recorder.goodbyes == 1


@pytest.fixture
def secure_mail_server(app, tmp_path):
    """A mail server that offers STARTTLS (a certificate of its own) and wants a password."""
    key, certificate = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
                    "-days", "1", "-keyout", str(key), "-out", str(certificate)],
                   check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificate, key)
    server = MailServer(tls_context=context, password="mail server password")
    server.start()
    state = app.extensions["mail"]
    state.server, state.port, state.suppress = server.host, server.port, False
    yield server
    server.stop()


def test_the_sender_secures_the_connection_and_signs_in_when_configured_to(app, secure_mail_server):
    state = app.extensions["mail"]
    state.use_tls, state.username, state.password = True, "appraise", "mail server password"
    queue(1)

    assert send_pending().sent == 1

    assert (secure_mail_server.recorder.secured, secure_mail_server.recorder.signed_in) == (1, ["appraise"])


@pytest.mark.parametrize("username, password", [("appraise", None), (None, "mail server password")])
def test_the_sender_does_not_sign_in_without_both_a_username_and_a_password(
    app, secure_mail_server, username, password
):
    state = app.extensions["mail"]
    state.username, state.password = username, password
    queue(1)

    assert send_pending().sent == 1

    assert (secure_mail_server.recorder.secured, secure_mail_server.recorder.signed_in) == (0, [])


def test_a_sender_that_finds_an_email_taken_by_another_moves_on_to_the_next(mail_server, monkeypatch):
    taken, free = queue(2)
    claim_for_this_sender = outbox.claim

    def another_sender_got_there_first(email_id, claimant, now):
        if email_id == taken.id:
            claim_for_this_sender(email_id, "another sender", now)
        return claim_for_this_sender(email_id, claimant, now)

    monkeypatch.setattr(outbox, "claim", another_sender_got_there_first)

    assert send_pending().sent == 1
    assert [message["To"] for message in mail_server.messages] == [free.recipient]


def test_a_sender_whose_claim_was_taken_over_while_it_worked_leaves_the_email_to_the_one_that_took_it(
    mail_server, monkeypatch
):
    (email,) = queue(1)
    make_message = outbox._message

    def taken_over_meanwhile(email, now):
        # This sender stalled past its claim's ten minutes; another sender has taken the email over.
        claim(email.id, "the sender that took over", now + timedelta(minutes=11))
        return make_message(email, now)

    monkeypatch.setattr(outbox, "_message", taken_over_meanwhile)

    send_pending()

    taken = OutboxEmail.get_by_id(email.id)
    assert (taken.claimed_by, taken.sent_at) == ("the sender that took over", None)


def test_send_again_on_an_email_whose_sender_stalled_starts_it_afresh_whatever_that_sender_does_later(
    mail_server, monkeypatch
):
    (email,) = queue(1)
    make_message = outbox._message

    def hr_presses_send_again_meanwhile(stalled, now):
        # The sender stalled past its claim's ten minutes, and HR pressed "Send again".
        send_again(OutboxEmail.get_by_id(stalled.id), now + timedelta(minutes=11))
        return make_message(stalled, now)

    monkeypatch.setattr(outbox, "_message", hr_presses_send_again_meanwhile)

    send_pending()

    requeued = OutboxEmail.get_by_id(email.id)
    assert (requeued.attempts, requeued.claimed_at, requeued.sent_at) == (0, None, None)


def test_a_very_long_error_is_kept_to_its_first_2000_characters(app, scenario, mail_server, tmp_path):
    # The file is looked for in a folder whose path alone is longer than that.
    app.config["UPLOAD_DIR"] = str(tmp_path.joinpath(*["folder" * 40] * 10))
    lost = Attachment.create(
        officer=scenario.jce, original_name="gone.pdf", stored_name="not-on-disk",
        content_type="application/pdf", size=1, sha256="0" * 64, uploaded_by=scenario.hr,
    )
    email = queue_email(scenario.jce_user.email, "Your record", "Attached.", attachment=lost)

    send_pending()

    assert len(OutboxEmail.get_by_id(email.id).last_error) == 2000


def test_with_the_mail_server_down_a_sender_tries_once_and_leaves_the_rest_for_next_time(mail_server):
    mail_server.stop()
    tried, left = queue(2)

    assert send_pending().failed == 1

    assert OutboxEmail.get_by_id(tried.id).attempts == 1 and OutboxEmail.get_by_id(left.id).attempts == 0
