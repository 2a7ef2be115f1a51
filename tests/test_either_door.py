"""Creating an account is one operation with one set of rules, whichever
door it is asked through: the operator's command (`create-user`) or HR's
form in the admin. The same bad input is refused by both with the same
message, and changes nothing."""
import html

import pytest

from models import User
from tests.conftest import PASSWORD, sign_in
from tests.test_bad_input import errors_next_to, table_snapshot

NEW_ACCOUNT = {"email": "new.person@northvale.gov.uk", "name": "New Person", "role": "staff",
               "password": PASSWORD}


@pytest.fixture
def command(app):
    runner = app.test_cli_runner()

    def run(*args):
        result = runner.invoke(args=list(args))
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        return result.output

    return run


@pytest.fixture
def hr(client, scenario):
    return client, sign_in(client, scenario.hr)


@pytest.mark.parametrize(("changes", "field", "message"), [
    pytest.param({"name": ""}, "name", "Enter the person's name.", id="empty name"),
    pytest.param({"name": "   "}, "name", "Enter the person's name.", id="blank name"),
    pytest.param({"name": "x" * 121}, "name", "Use at most 120 characters.", id="long name"),
    pytest.param({"email": "not-an-email"}, "email", "Enter an email address like name@council.gov.uk.",
                 id="bad email"),
    pytest.param({"email": "DAN.Morris@NorthVale.gov.uk"}, "email",
                 "An account for dan.morris@northvale.gov.uk already exists.",
                 id="email of another account in another case"),
    pytest.param({"role": "wizard"}, "role", "Choose one of: hr, staff, councillor.", id="unknown role"),
    pytest.param({"role": "HR"}, "role", "Choose one of: hr, staff, councillor.", id="role in capitals"),
    pytest.param({"password": ""}, "new_password", "Set a password for the new account.", id="no password"),
    pytest.param({"password": "short pw"}, "new_password", "Use at least 12 characters.",
                 id="short password"),
    pytest.param({"password": " New.Person@northvale.gov.uk"}, "new_password",
                 "The password must not be your email address.", id="password is the email"),
])
def test_a_bad_account_is_refused_alike_by_the_command_and_the_admin_form(
        command, hr, changes, field, message):
    account = NEW_ACCOUNT | changes
    before = table_snapshot(User)

    output = command("create-user", "--email", account["email"], "--name", account["name"],
                     "--role", account["role"], "--password", account["password"])
    assert f"Error: {message}" in output
    assert table_snapshot(User) == before

    client, token = hr
    form = {"email": account["email"], "name": account["name"], "role": account["role"], "active": "y",
            "new_password": account["password"], "csrf_token": token}
    response = client.post("/admin/user/new/", data=form)
    assert response.status_code == 200, "the form should be shown again, not saved"
    assert message in html.unescape(errors_next_to(response.get_data(as_text=True), field))
    assert table_snapshot(User) == before


def test_a_good_account_is_made_alike_by_the_command_and_the_admin_form(app, hr):
    result = app.test_cli_runner().invoke(args=[
        "create-user", "--email", " First.Person@NorthVale.gov.uk ", "--name", " First Person ",
        "--role", "staff", "--password", PASSWORD])
    assert result.exit_code == 0, result.output

    client, token = hr
    response = client.post("/admin/user/new/", data={
        "email": " Second.Person@NorthVale.gov.uk ", "name": " Second Person ", "role": "staff",
        "active": "y", "new_password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)

    made = User.select(User.email, User.name, User.role, User.active).where(User.name.contains("Person"))
    assert sorted(made.tuples()) == [("first.person@northvale.gov.uk", "First Person", "staff", True),
                                     ("second.person@northvale.gov.uk", "Second Person", "staff", True)]
