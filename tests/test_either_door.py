"""Creating an account and starting a year are each one operation with one
set of rules, whichever door it is asked through: the operator's command
(`create-user`, `new-cycle`) or HR's form in the admin. The same bad input
is refused by both with the same message, and changes nothing."""
import html

import pytest

from models import Cycle, Step, User
from services.year.timetable import create_cycle
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


YEAR_AS_FOUR_DIGITS = "Enter the year as four digits, from 2000 to 2999, such as 2027."


def start_year_on_the_dashboard(hr, year):
    client, token = hr
    response = client.post("/admin/cycle/start-year/", data={"year": year, "csrf_token": token},
                           follow_redirects=True)
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def every_officer_started_2026(scenario):
    create_cycle(scenario.other_director, 2026)


@pytest.mark.parametrize(("year", "setup", "message"), [
    pytest.param("next", None, YEAR_AS_FOUR_DIGITS, id="not a number"),
    pytest.param("27", None, YEAR_AS_FOUR_DIGITS, id="two digits"),
    pytest.param("1999", None, YEAR_AS_FOUR_DIGITS, id="before 2000"),
    pytest.param("3000", None, YEAR_AS_FOUR_DIGITS, id="after 2999"),
    pytest.param("-2027", None, YEAR_AS_FOUR_DIGITS, id="negative"),
    pytest.param("2026", every_officer_started_2026, "Every active officer already has a cycle for 2026.",
                 id="a year already started"),
])
def test_a_year_that_cannot_be_started_is_refused_alike_by_the_command_and_the_dashboard(
        command, hr, scenario, year, setup, message):
    if setup:
        setup(scenario)
    before = (table_snapshot(Cycle), table_snapshot(Step))

    assert f"Error: {message}" in command("new-cycle", "--year", year)
    assert (table_snapshot(Cycle), table_snapshot(Step)) == before

    assert message in start_year_on_the_dashboard(hr, year)
    assert (table_snapshot(Cycle), table_snapshot(Step)) == before


def test_a_year_is_started_alike_by_the_command_and_the_dashboard(app, hr, scenario):
    output = app.test_cli_runner().invoke(args=["new-cycle", "--year", "2027"]).output
    assert output == "Started 2027 for 3 officer(s).\n"

    page = start_year_on_the_dashboard(hr, " 2026 ")
    assert "Started 2026 for 1 officer(s). Already started for: Dan Morris, Jo Chambers." in page
    assert [Cycle.select().where(Cycle.year == year).count() for year in (2026, 2027)] == [3, 3]
