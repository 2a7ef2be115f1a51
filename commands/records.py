"""The commands that keep records as the law expects: `export-officer`
(a subject access request), `purge` (retention) and `check-files`."""

import click

from formatting import uk_date
from models import Officer, db
from services import clock
from services.records.file_check import check_files
from services.records.retention import plan_purge, purge, records_of
from services.records.subject_access import export_officer


def register(app):
    app.cli.add_command(export_officer_command)
    app.cli.add_command(purge_command)
    app.cli.add_command(check_files_command)


@click.command("export-officer")
@click.option("--officer", "officer_id", required=True, type=int, help="The officer's id.")
@click.option("--out", required=True, type=click.Path(dir_okay=False, writable=True),
              help="The zip file to write.")
def export_officer_command(officer_id, out):
    """Write everything held about one officer (records as JSON and HTML,
    and their documents) to a zip file, for a subject access request."""
    with db.connection_context():
        if not Officer.select().where(Officer.id == officer_id).exists():
            raise click.ClickException(f"There is no officer with id {officer_id}.")
        records, files = export_officer(officer_id, out)
    click.echo(f"Wrote {out}: {records} records and {files} files.")


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="Say what would be deleted, and delete nothing.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Count the retention period back from this date (default: today).")
def purge_command(dry_run, today):
    """Delete the records and files of officers who left more than
    RETENTION_YEARS ago, and attachments deleted that long ago (for cron)."""
    with db.connection_context():
        plan = plan_purge(today.date() if today else clock.today())
        verb = "Would delete" if dry_run else "Deleting"
        for officer in plan.officers:
            records = sum(records_of(officer).values())
            click.echo(f"{verb} officer {officer.id} ({officer.post_title}, left "
                       f"{uk_date(officer.leaving_date)}): {records} records.")
        for attachment in plan.deleted_attachments:
            click.echo(f"{verb} attachment {attachment.id}, deleted {uk_date(attachment.deleted_at)}.")
        if not dry_run:
            purge(plan)
    summary = f"{len(plan.officers)} officer(s) and {len(plan.deleted_attachments)} deleted attachment(s)"
    click.echo(f"Left on or before {uk_date(plan.cutoff)}: {summary}"
               + (" would be purged; nothing was deleted." if dry_run else " purged."))


@click.command("check-files")
def check_files_command():
    """Report stored files with no attachment row (orphans) and attachment
    rows whose file is missing. Exits with status 1 when there are any."""
    with db.connection_context():
        result = check_files()
    for name in result.orphans:
        click.echo(f"Orphan file (no attachment refers to it): {name}")
    for attachment in result.missing:
        click.echo(f"Missing file for attachment {attachment.id} “{attachment.original_name}” "
                   f"(officer {attachment.officer_id}): {attachment.stored_name}")
    click.echo(f"{len(result.orphans)} orphan(s), {len(result.missing)} missing file(s).")
    if not result.ok:
        raise SystemExit(1)
