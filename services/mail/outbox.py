"""The email outbox. An email is written here in the same transaction as
the change that causes it, and sent afterwards by whichever sender gets to
it first (the app's background thread, or `flask --app app send-mail` from
cron), with retries and back-off. No request ever waits on the mail server,
and a sender claims an email before sending it, so two senders running at
once never send the same email twice."""
import logging
import secrets
import smtplib
from datetime import timedelta
from email.utils import parseaddr
from typing import NamedTuple

from flask import current_app, g, has_request_context, render_template
from flask_mail import BadHeaderError, Connection, Message
from icalendar import Calendar

from models import OutboxEmail, utcnow
from services.agreement.links import LINK_PLACEHOLDER, issue_link
from services.records.storage import read_bytes
from services.text import one_line

log = logging.getLogger("appraise.outbox")

# Longer than one email can take to send (MAIL_TIMEOUT at each SMTP step),
# so a claim only lapses when its sender has died; then another sends it.
CLAIM_SECONDS = 600
LONGEST_RETRY_DELAY = timedelta(hours=6)
BATCH_SIZE = 200
NOT_NEEDED = "Not sent: the agreement it asks for is no longer open."
UNREACHABLE = "unreachable"


class SendReport(NamedTuple):
    sent: int = 0
    failed: int = 0
    not_needed: int = 0


class TimedConnection(Connection):
    """Flask-Mail's SMTP connection with a timeout, so a slow mail server
    holds a sender up for MAIL_TIMEOUT seconds at most, never for ever."""

    def configure_host(self):
        smtp_class = smtplib.SMTP_SSL if self.mail.use_ssl else smtplib.SMTP
        host = smtp_class(self.mail.server, self.mail.port, timeout=current_app.config["MAIL_TIMEOUT"])
        if self.mail.use_tls:
            host.starttls()
        if self.mail.username and self.mail.password:
            host.login(self.mail.username, self.mail.password)
        return host


# -- queueing -----------------------------------------------------------


def queue_email(recipient, subject, text, html="", *, agreement=None, attachment=None, calendar=""):
    """Write an email to the outbox, inside the caller's transaction.
    `calendar` is an iCalendar text sent with it as an invitation."""
    email = OutboxEmail.create(
        recipient=recipient, subject=subject, body_text=text, body_html=html,
        agreement=agreement, attachment=attachment, calendar=calendar,
    )
    _note_new_mail()
    return email


def queue_from_template(recipient, subject, template, *, agreement=None, attachment=None, calendar="",
                        **context):
    """An email from templates/email/<template>.txt and .html."""
    text = render_template(f"email/{template}.txt", **context)
    html = render_template(f"email/{template}.html", **context)
    return queue_email(recipient, subject, text, html, agreement=agreement, attachment=attachment,
                       calendar=calendar)


def send_again(email, now=None):
    """HR's "send again": an email not yet sent is tried now, with a fresh
    set of retries; one already sent goes out again as a new copy."""
    now = now or utcnow()
    if email.sent_at:
        return queue_email(email.recipient, email.subject, email.body_text, email.body_html,
                           agreement=email.agreement_id, attachment=email.attachment_id,
                           calendar=email.calendar)
    OutboxEmail.update(
        attempts=0, next_attempt_at=now, gave_up_at=None, claimed_at=None, claimed_by=""
    ).where((OutboxEmail.id == email.id) & OutboxEmail.sent_at.is_null() & _unclaimed(now)).execute()
    _note_new_mail()
    return email


def _note_new_mail():
    """Tells the background sender, after this request, that mail is waiting."""
    if has_request_context():
        g.outbox_has_mail = True


# -- sending --------------------------------------------------------------


def _unclaimed(now):
    lapsed = OutboxEmail.claimed_at < now - timedelta(seconds=CLAIM_SECONDS)
    return OutboxEmail.claimed_at.is_null() | lapsed


def _due(now):
    return (OutboxEmail.sent_at.is_null() & OutboxEmail.gave_up_at.is_null()
            & (OutboxEmail.next_attempt_at <= now) & _unclaimed(now))


def waiting():
    """Emails not yet sent that will still be tried."""
    return OutboxEmail.select().where(
        OutboxEmail.sent_at.is_null() & OutboxEmail.gave_up_at.is_null()
    )


def waiting_count():
    return waiting().count()


def claim(email_id, claimant, now):
    """Take an email for sending, or None when another sender has it or it
    is not due. One UPDATE decides, so of two senders exactly one wins."""
    taken = OutboxEmail.update(
        claimed_at=now, claimed_by=claimant, attempts=OutboxEmail.attempts + 1
    ).where((OutboxEmail.id == email_id) & _due(now)).execute()
    return OutboxEmail.get_by_id(email_id) if taken else None


def retry_delay(attempts):
    """1, 2, 4, 8 … minutes after each failure (OUTBOX_RETRY_SECONDS doubling), at most 6 hours."""
    first = current_app.config["OUTBOX_RETRY_SECONDS"]
    return min(timedelta(seconds=first * 2 ** (attempts - 1)), LONGEST_RETRY_DELAY)


def send_pending(now=None):
    """Send every email that is due. Stops at the first failure that says
    the mail server itself cannot be reached; the rest wait for next time."""
    now = now or utcnow()
    claimant = secrets.token_hex(16)
    counts = {"sent": 0, "failed": 0, "not_needed": 0}
    due = [row.id for row in OutboxEmail.select(OutboxEmail.id).where(_due(now))
           .order_by(OutboxEmail.next_attempt_at, OutboxEmail.id).limit(BATCH_SIZE)]
    connection = None
    try:
        for email_id in due:
            email = claim(email_id, claimant, now)
            if email is None:
                continue
            if connection is None:
                try:
                    connection = TimedConnection(current_app.extensions["mail"]).__enter__()
                except OSError as error:  # refused, timed out, TLS or login failed
                    _record_failure(email, claimant, error, now, permanent=False)
                    counts["failed"] += 1
                    break
            outcome = _send_one(email, claimant, connection, now)
            if outcome == UNREACHABLE:
                counts["failed"] += 1
                break
            counts[outcome] += 1
    finally:
        if connection is not None:
            _close(connection)
    report = SendReport(**counts)
    if any(report):
        log.info("Outbox: %s sent, %s failed, %s no longer needed.", *report)
    return report


def _send_one(email, claimant, connection, now):
    """Send one claimed email: "sent", "failed", "not_needed", or
    UNREACHABLE when the connection to the mail server has gone."""
    try:
        # The link is made only now that the server is there, so an earlier
        # link is never replaced by one that could not be delivered.
        message = _message(email, now)
    except Exception as error:  # a broken email (its file missing) must not stop the rest
        _record_failure(email, claimant, error, now, permanent=True)
        return "failed"
    if message is None:
        _finish(email, claimant, gave_up_at=now, last_error=NOT_NEEDED)
        return "not_needed"
    try:
        connection.send(message)
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as error:
        _record_failure(email, claimant, error, now, permanent=_is_permanent(error))
        return "failed"
    except BadHeaderError as error:
        _record_failure(email, claimant, error, now, permanent=True)
        return "failed"
    except OSError as error:  # timed out or disconnected
        _record_failure(email, claimant, error, now, permanent=False)
        return UNREACHABLE
    _finish(email, claimant, sent_at=now)
    return "sent"


def _message(email, now):
    """The email as Flask-Mail sends it, with the agreement link made now;
    None when the agreement it asks for is no longer open."""
    text, html = email.body_text, email.body_html
    if email.agreement_id:
        link = issue_link(email.agreement_id, now)
        if link is None:
            return None
        text, html = text.replace(LINK_PLACEHOLDER, link), html.replace(LINK_PLACEHOLDER, link)
    # A name stored with a line break before the input rules would otherwise
    # make the mail library refuse every email about that person, for good.
    message = Message(subject=one_line(email.subject), recipients=[email.recipient], body=text,
                      html=html or None)
    # The same id on every attempt, so a mail client can tell a repeat.
    domain = parseaddr(message.sender)[1].rpartition("@")[2] or "appraise"
    message.msgId = f"<outbox-{email.id}.{email.created_at:%Y%m%d%H%M%S}@{domain}>"
    if email.attachment_id:
        attachment = email.attachment
        message.attach(attachment.original_name, attachment.content_type, read_bytes(attachment.stored_name))
    if email.calendar:
        method = Calendar.from_ical(email.calendar)["METHOD"]
        message.attach("invite.ics", f"text/calendar; method={method}; charset=UTF-8",
                       email.calendar.encode())
    return message


def _is_permanent(error):
    """A 5xx answer about this email (unknown mailbox, refused content):
    trying again will not help. 4xx answers are worth retrying."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _message in error.recipients.values())
    return error.smtp_code >= 500


def _record_failure(email, claimant, error, now, permanent):
    gives_up = permanent or email.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]
    log.warning("Email %s to %s failed (attempt %s): %s", email.id, email.recipient, email.attempts, error)
    _finish(
        email, claimant,
        last_error=f"{type(error).__name__}: {error}"[:2000],
        next_attempt_at=now + retry_delay(email.attempts),
        gave_up_at=now if gives_up else None,
    )


def _finish(email, claimant, **fields):
    """Record how sending went and let go of the claim."""
    OutboxEmail.update(claimed_at=None, claimed_by="", **fields).where(
        (OutboxEmail.id == email.id) & (OutboxEmail.claimed_by == claimant)
    ).execute()


def _close(connection):
    try:
        connection.__exit__(None, None, None)
    except (OSError, smtplib.SMTPException):
        pass  # everything sent is already marked; a failed QUIT loses nothing
