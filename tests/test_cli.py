"""`flask --app app create-user`: how an operator makes the first HR
account, and every later one, from the command line."""
import pytest
from argon2 import PasswordHasher

from models import User
from tests.conftest import CSRF_INPUT, PASSWORD


@pytest.fixture
def run(app):
    runner = app.test_cli_runner()

    def invoke(*args, **kwargs):
        return runner.invoke(args=list(args), **kwargs)

    return invoke


def create_user(run, *extra, email="New.Person@NorthVale.gov.uk", role="staff", **kwargs):
    return run("create-user", "--email", email, "--name", "New Person", "--role", role, *extra, **kwargs)


def test_create_user_makes_an_account_with_the_email_in_lower_case(run):
    result = create_user(run, "--password", PASSWORD, role="hr")
    assert result.exit_code == 0, result.output
    assert "Created hr account for new.person@northvale.gov.uk." in result.output
    user = User.get(User.email == "new.person@northvale.gov.uk")
    assert (user.name, user.role, user.active) == ("New Person", "hr", True)
    assert user.email == "new.person@northvale.gov.uk"
    assert user.password_hash.startswith("$argon2id$")
    assert PasswordHasher().verify(user.password_hash, PASSWORD)


def test_the_new_account_can_sign_in(run, client):
    create_user(run, "--password", PASSWORD)
    page = client.get("/login").get_data(as_text=True)
    token = CSRF_INPUT.search(page).group(1)
    response = client.post("/login", data={"email": "new.person@northvale.gov.uk", "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302


def test_a_duplicate_email_is_refused_clearly_and_creates_nothing(run):
    assert create_user(run, "--password", PASSWORD).exit_code == 0
    before = [(u.id, u.name, u.password_hash) for u in User.select()]

    result = create_user(run, "--password", "another long password", email="NEW.PERSON@northvale.gov.uk")

    assert result.exit_code != 0
    assert "An account for new.person@northvale.gov.uk already exists." in result.output
    assert "Traceback" not in result.output
    assert [(u.id, u.name, u.password_hash) for u in User.select()] == before


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short pw", "Use at least 12 characters."),
        ("new.person@northvale.gov.uk", "The password must not be your email address."),
        ("x" * 257, "Use at most 256 characters."),
    ],
)
def test_a_weak_password_is_refused_and_creates_nothing(run, password, reason):
    result = create_user(run, "--password", password)
    assert result.exit_code != 0
    assert reason in result.output
    assert User.select().count() == 0


def test_without_a_password_option_it_asks_twice_and_uses_the_answer(run):
    result = create_user(run, input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "Password:" in result.output and "confirmation" in result.output
    assert PASSWORD not in result.output  # typed hidden, never echoed
    user = User.get(User.email == "new.person@northvale.gov.uk")
    assert PasswordHasher().verify(user.password_hash, PASSWORD)


def test_a_prompted_password_that_is_not_confirmed_creates_nothing(run):
    result = create_user(run, input=f"{PASSWORD}\nsomething else entirely\n")
    assert result.exit_code != 0
    assert "do not match" in result.output
    assert User.select().count() == 0


def test_a_weak_prompted_password_is_refused(run):
    result = create_user(run, input="pw\npw\n")
    assert result.exit_code != 0
    assert "Use at least 12 characters." in result.output
    assert User.select().count() == 0


@pytest.mark.parametrize("role", ["admin", "HR", "superuser", ""])
def test_an_unknown_role_is_refused_and_creates_nothing(run, role):
    result = create_user(run, "--password", PASSWORD, role=role)
    assert result.exit_code != 0
    assert "Choose one of: hr, staff, councillor." in result.output
    assert User.select().count() == 0


@pytest.mark.parametrize("email", ["not-an-email", "", "   ", "someone@localhost"])
def test_a_malformed_email_is_refused(run, email):
    result = create_user(run, "--password", PASSWORD, email=email)
    assert result.exit_code != 0
    assert "Enter an email address like name@council.gov.uk." in result.output
    assert User.select().count() == 0


@pytest.mark.parametrize("missing", ["--email", "--name", "--role"])
def test_email_name_and_role_are_required(run, missing):
    args = {"--email": "new.person@northvale.gov.uk", "--name": "New Person", "--role": "staff"}
    del args[missing]
    flat = [item for pair in args.items() for item in pair]
    result = run("create-user", *flat, "--password", PASSWORD)
    assert result.exit_code != 0
    assert missing in result.output
    assert User.select().count() == 0
