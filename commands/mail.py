"""Email from cron: `send-mail` and `remind`."""
import click

from models import db
from services.agreement.workflow import queue_agreement_reminders
from services.mail.outbox import send_pending, waiting_count
from services.mail.reminders import queue_timetable_digests


def register(app):
    app.cli.add_command(send_mail_command)
    app.cli.add_command(remind_command)


@click.command("send-mail")
def send_mail_command():
    """Send the emails waiting in the outbox that are due (for cron, every
    few minutes). Safe to run while the web app's own sender is running."""
    with db.connection_context():
        report = send_pending()
        waiting = waiting_count()
    click.echo(f"Sent {report.sent}, {report.failed} failed, "
               f"{report.not_needed} no longer needed; {waiting} waiting.")


# Each kind of reminder, and the function that queues them (returning how many).
REMINDERS = (
    ("agreement", queue_agreement_reminders),
    ("timetable digest", queue_timetable_digests),
)


@click.command("remind")
def remind_command():
    """Queue the reminders that are due (for a daily cron). Each is queued
    once however often this runs; they go out with the next send-mail."""
    with db.connection_context():
        for kind, queue_reminders in REMINDERS:
            click.echo(f"Queued {queue_reminders()} {kind} reminder(s).")
