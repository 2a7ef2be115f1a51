"""Looking after the database: `init-db`, `db-status`, `analyze-db` and
`seed-demo`."""
import click
from flask import current_app

from models import User, db
from services import schema
from services.year.timetable import ensure_default_timetable


def register(app):
    for command in (init_db_command, db_status_command, analyze_db_command, seed_demo_command):
        app.cli.add_command(command)


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
    from demo.seeding import DEMO_PASSWORD, seed_demo

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
