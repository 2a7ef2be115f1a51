"""The commands an IT officer runs to put Appraise on a server and look
after it: `serve`, `check-config`, `backup` and `restore`."""
import click
from flask import current_app

import server
from config import ENVIRONMENT_VARIABLE, environment_name
from config.checks import UnsafeConfiguration, configuration_problems
from config.settings import config_file_path, setting_sources
from services.records.backup import BackupError, restore_backup, write_backup


def register(app):
    app.cli.add_command(serve_command)
    app.cli.add_command(check_config_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)


@click.command("serve")
def serve_command():
    """Serve Appraise with waitress, the production web server."""
    app = current_app._get_current_object()
    problems = configuration_problems(app.config)
    if app.config["PRODUCTION"] and problems:
        raise click.ClickException(str(UnsafeConfiguration(problems)))
    click.echo(f"Appraise is serving on http://{app.config['LISTEN']} "
               f"({app.config['THREADS']} threads) for {app.config['BASE_URL']}")
    server.serve(app)


@click.command("check-config")
def check_config_command():
    """Show every setting, where it comes from and what is wrong with it."""
    app = current_app._get_current_object()
    path = config_file_path(app)
    click.echo(f"{ENVIRONMENT_VARIABLE}: {environment_name()}"
               f" ({'production' if app.config['PRODUCTION'] else 'not production'})")
    click.echo(f"Instance config file: {path}{'' if path.is_file() else ' (none)'}")
    click.echo()
    rows = setting_sources(app)
    width = max(len(name) for name, _source, _value, _help in rows)
    source_width = max(len(source) for _name, source, _value, _help in rows)
    for name, source, value, help_text in rows:
        click.echo(f"{name:<{width}}  {source:<{source_width}}  {value}")
        click.echo(f"{'':<{width}}  {help_text}")
    click.echo()
    problems = configuration_problems(app.config)
    if not problems:
        click.echo("No problems found.")
        return
    click.echo(f"{len(problems)} problem(s); production will not start until they are put right:")
    for problem in problems:
        click.echo(f"  {problem}")
    raise SystemExit(1)


@click.command("backup")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Folder to write the new backup folder into.")
def backup_command(out_dir):
    """Back up the database and the uploaded files, with checksums."""
    config = current_app.config
    try:
        folder = write_backup(out_dir, config["DATABASE_URL"], config["UPLOAD_DIR"])
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup written to {folder}")


@click.command("restore")
@click.option("--from", "from_dir", required=True, type=click.Path(exists=True, file_okay=False),
              help="A backup folder written by `backup`.")
def restore_command(from_dir):
    """Check a backup's checksums, then restore it into this empty installation."""
    config = current_app.config
    try:
        restore_backup(from_dir, config["DATABASE_URL"], config["UPLOAD_DIR"])
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored {from_dir}. Run `flask --app app init-db` if this release of Appraise "
               "is newer than the backup.")
