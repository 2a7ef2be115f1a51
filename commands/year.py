"""The appraisal year: `new-cycle`."""
import click

from models import db
from services.year.timetable import TimetableError, start_year, year_started


def register(app):
    app.cli.add_command(new_cycle_command)


@click.command("new-cycle")
@click.option("--year", required=True, help="Four digits, such as 2027.")
def new_cycle_command(year):
    """Start a year: a cycle, with its timetable steps, for every active
    officer who has none for that year. All or nothing."""
    with db.connection_context():
        try:
            created, already = start_year(year)
        except TimetableError as error:
            raise click.ClickException(str(error)) from error
    for sentence in year_started(created, already):
        click.echo(sentence)
