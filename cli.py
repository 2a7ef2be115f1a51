"""Operator commands: `flask --app app <command>`."""
import click
from flask import current_app

import deployment
import records_commands
from models import User, db
from services import schema
from services.accounts import VALID_ROLES, AccountError, create_user
from services.agreement import queue_agreement_reminders
from services.outbox import send_pending, waiting_count
from services.reminders import queue_timetable_digests
from services.timetable import TimetableError, ensure_default_timetable, start_year


def register(app):
    app.cli.add_command(init_db_command)
    app.cli.add_command(db_status_command)
    app.cli.add_command(analyze_db_command)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(create_user_command)
    app.cli.add_command(send_mail_command)
    app.cli.add_command(remind_command)
    app.cli.add_command(new_cycle_command)
    deployment.register(app)
    records_commands.register(app)


@click.command("init-db")
def init_db_command():
    """Create the schema on an empty database, or upgrade an existing one
    in place (its rows are kept), and seed the default timetable."""
    with db.connection_context():
        applied = schema.upgrade()
        ensure_default_timetable()
    if applied:
        click.echo(f"Applied {len(applied)} migration(s): {', '.join(applied)}")
    else:
        click.echo("The database schema is up to date.")


@click.command("db-status")
def db_status_command():
    """List the schema migrations applied and pending."""
    with db.connection_context():
        router = schema.router()
        for name in router.done:
            click.echo(f"applied  {name}")
        for name in router.diff:
            click.echo(f"pending  {name}")


@click.command("analyze-db")
def analyze_db_command():
    """Refresh the statistics the database plans its queries by (nightly,
    from cron: SQLite never does it by itself)."""
    with db.connection_context():
        schema.refresh_statistics()
    click.echo("The database's statistics are up to date.")


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when there are already users.")
def seed_demo_command(if_empty):
    """Fill the database with a believable demonstration scenario."""
    from services.demo import DEMO_PASSWORD, seed_demo

    with db.connection_context():
        schema.upgrade()
        ensure_default_timetable()
        if User.select().exists():
            if if_empty:
                click.echo("The database already has users; demo data not added.")
                return
            raise click.ClickException("The database already has users; seed-demo needs an empty one.")
        seed_demo()
    click.echo(f"Demo data created. Every demo account's password is: {DEMO_PASSWORD}")
    click.echo(f"Sign in at {current_app.config['BASE_URL']}/login")


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice(VALID_ROLES))
@click.option("--password", help="Prompted for (hidden, twice) when not given.")
def create_user_command(email, name, role, password):
    """Create an account."""
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with db.connection_context():
        try:
            user = create_user(email=email, name=name, role=role, password=password)
        except AccountError as error:
            raise click.ClickException(str(error)) from error
    click.echo(f"Created {user.role} account for {user.email}.")


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


@click.command("new-cycle")
@click.option("--year", required=True, type=click.IntRange(2000, 2999))
def new_cycle_command(year):
    """Start a year: a cycle, with its timetable steps, for every active
    officer who has none for that year. All or nothing."""
    with db.connection_context():
        ensure_default_timetable()
        try:
            created, already = start_year(year)
        except TimetableError as error:
            raise click.ClickException(str(error)) from error
    click.echo(f"Started {year} for {len(created)} officer(s).")
    if already:
        click.echo(f"Already started for: {', '.join(already)}.")
