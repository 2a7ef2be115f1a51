"""The appraisal year: `new-cycle`."""
import click

from models import db
from services.year.timetable import TimetableError, ensure_default_timetable, start_year


def register(app):
    app.cli.add_command(new_cycle_command)


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
