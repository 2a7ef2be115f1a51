"""Accounts from the shell: `create-user`."""
import click

from models import db
from services.people.accounts import VALID_ROLES, AccountError, create_user


def register(app):
    app.cli.add_command(create_user_command)


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, help=f"One of: {', '.join(VALID_ROLES)}.")
@click.option("--password", help="Prompted for (hidden, twice) when not given.")
def create_user_command(email, name, role, password):
    """Create an account, by the rules HR's account form follows."""
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with db.connection_context():
        try:
            user = create_user(email=email, name=name, role=role, password=password)
        except AccountError as error:
            raise click.ClickException(str(error)) from error
    click.echo(f"Created {user.role} account for {user.email}.")
