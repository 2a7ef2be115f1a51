"""Signing in with the council directory, against a real OpenLDAP server:
the directory checks the password, the active Appraise account with the
same email decides what the person may do."""
import socket
from concurrent.futures import ThreadPoolExecutor

import pytest

from models import User
from services.people import directory
from services.people.accounts import DIRECTORY_UNAVAILABLE
from tests.conftest import CSRF_INPUT, PASSWORD
from tests.processes import free_port
from tests.slapd import PEOPLE, SERVICE_DN, SERVICE_PASSWORD, running_slapd

COUNCIL_PASSWORD = "Council password of Jo, not her Appraise one"
DIRECTORY = (
    ("jo.chambers", "jo.chambers@northvale.gov.uk", COUNCIL_PASSWORD),
    ("dan.morris", "dan.morris@northvale.gov.uk", "Dan's own council password"),
    ("carol.webb", "carol.webb@northvale.gov.uk", "Carol's council password"),
    ("new.starter", "new.starter@northvale.gov.uk", "A new starter's password"),
)
NOT_RIGHT = "The email address or password is not right."


@pytest.fixture(scope="session")
def slapd(tmp_path_factory):
    with running_slapd(tmp_path_factory.mktemp("slapd"), DIRECTORY) as server:
        yield server


@pytest.fixture
def directory_search(app, slapd):
    """Directory sign-in as most councils set it up: a service account finds
    the person by email."""
    app.config.update(LDAP_URL=slapd.url, LDAP_BIND_DN=SERVICE_DN, LDAP_BIND_PASSWORD=SERVICE_PASSWORD,
                      LDAP_BASE_DN=PEOPLE, LDAP_USER_FILTER="(mail={email})", LDAP_TIMEOUT=5)
    return app


def sign_in_attempt(client, email, password):
    token = CSRF_INPUT.search(client.get("/login").get_data(as_text=True)).group(1)
    response = client.post("/login", data={"email": email, "password": password, "csrf_token": token})
    return response, response.get_data(as_text=True)


def test_a_directory_user_signs_in_with_their_council_password(directory_search, scenario, client):
    response, _page = sign_in_attempt(client, "Jo.Chambers@northvale.gov.uk", COUNCIL_PASSWORD)

    assert response.status_code == 302
    assert User.get_by_id(scenario.jce_user.id).last_login is not None
    assert client.get("/admin/").status_code == 200


def test_a_directory_user_cannot_sign_in_with_an_appraise_password(directory_search, scenario, client):
    response, page = sign_in_attempt(client, scenario.jce_user.email, PASSWORD)

    assert response.status_code == 401
    assert NOT_RIGHT in page


def test_a_wrong_council_password_is_refused(directory_search, scenario, client):
    response, page = sign_in_attempt(client, scenario.jce_user.email, "not Jo's password at all")

    assert response.status_code == 401
    assert NOT_RIGHT in page
    assert User.get_by_id(scenario.jce_user.id).last_login is None


def test_someone_in_the_directory_without_an_appraise_account_is_told_to_ask_hr(directory_search, scenario,
                                                                                client):
    response, page = sign_in_attempt(client, "new.starter@northvale.gov.uk", "A new starter's password")

    assert response.status_code == 403
    assert "new.starter@northvale.gov.uk has no active Appraise account. Ask HR to set one up." in page
    assert client.get("/admin/").status_code == 302


def test_a_deactivated_appraise_account_is_not_let_in_by_the_directory(directory_search, scenario, client):
    User.update(active=False).where(User.id == scenario.councillor.id).execute()

    response, page = sign_in_attempt(client, scenario.councillor.email, "Carol's council password")

    assert response.status_code == 403
    assert "has no active Appraise account" in page


def test_someone_not_in_the_directory_signs_in_with_their_appraise_password(directory_search, scenario,
                                                                             client):
    response, _page = sign_in_attempt(client, scenario.hr.email, PASSWORD)

    assert response.status_code == 302


def test_an_email_nobody_knows_is_refused(directory_search, scenario, client):
    response, page = sign_in_attempt(client, "nobody@northvale.gov.uk", PASSWORD)

    assert response.status_code == 401
    assert NOT_RIGHT in page


def test_an_unreachable_directory_is_explained_and_appraise_passwords_still_work(app, scenario, client):
    app.config.update(LDAP_URL=f"ldap://127.0.0.1:{free_port()}", LDAP_BASE_DN=PEOPLE, LDAP_TIMEOUT=2)

    response, page = sign_in_attempt(client, scenario.jce_user.email, COUNCIL_PASSWORD)
    assert response.status_code == 503
    assert DIRECTORY_UNAVAILABLE in page.replace("&#39;", "'")

    response, _page = sign_in_attempt(client, scenario.hr.email, PASSWORD)
    assert response.status_code == 302


def test_a_directory_that_does_not_answer_is_given_up_on_after_the_timeout(app, scenario, client):
    with ThreadPoolExecutor(1) as attempts, socket.socket() as silent:  # accepts, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        app.config.update(LDAP_URL=f"ldap://127.0.0.1:{silent.getsockname()[1]}", LDAP_BASE_DN=PEOPLE,
                          LDAP_TIMEOUT=1)

        attempt = attempts.submit(sign_in_attempt, client, scenario.jce_user.email, COUNCIL_PASSWORD)
        # Waiting far longer than the timeout: without one, the test fails rather than hangs.
        response, page = attempt.result(timeout=60)

    assert response.status_code == 503
    assert "cannot reach the council directory" in page


def test_a_service_account_the_directory_refuses_makes_directory_sign_in_unavailable(directory_search,
                                                                                      scenario, client):
    directory_search.config["LDAP_BIND_PASSWORD"] = "not the service account's password"

    response, page = sign_in_attempt(client, scenario.jce_user.email, COUNCIL_PASSWORD)

    assert response.status_code == 503
    assert "cannot reach the council directory" in page


def test_sign_in_with_a_user_dn_template_binds_as_the_person(app, slapd, scenario, client):
    app.config.update(LDAP_URL=slapd.url, LDAP_USER_DN_TEMPLATE=f"uid={{username}},{PEOPLE}", LDAP_TIMEOUT=5)

    wrong, _page = sign_in_attempt(client, scenario.jce_user.email, "a guess")
    right, _page = sign_in_attempt(client, scenario.jce_user.email, COUNCIL_PASSWORD)

    assert (wrong.status_code, right.status_code) == (401, 302)


def test_an_empty_password_is_never_taken_for_a_sign_in(directory_search, scenario):
    assert directory.check_password(scenario.jce_user.email, "") is directory.Verdict.REJECTED


def test_an_email_with_filter_characters_matches_nobody_rather_than_everybody(directory_search, scenario):
    assert directory.check_password("*", COUNCIL_PASSWORD) is directory.Verdict.NOT_LISTED
    assert directory.check_password("*)(uid=*", COUNCIL_PASSWORD) is directory.Verdict.NOT_LISTED


def test_the_directory_lists_each_person_once_by_email(directory_search, scenario):
    assert directory.check_password("dan.morris@northvale.gov.uk", "Dan's own council password") \
        is directory.Verdict.ACCEPTED
    assert directory.check_password("hannah.reed@northvale.gov.uk", PASSWORD) is directory.Verdict.NOT_LISTED


def test_over_ldaps_the_directory_certificate_must_be_one_the_council_trusts(directory_search, slapd,
                                                                               scenario, client):
    directory_search.config["LDAP_URL"] = slapd.ldaps_url
    untrusted, page = sign_in_attempt(client, scenario.jce_user.email, COUNCIL_PASSWORD)
    assert untrusted.status_code == 503
    assert "cannot reach the council directory" in page

    directory_search.config["LDAP_CA_FILE"] = str(slapd.certificate)
    trusted, _page = sign_in_attempt(client, scenario.jce_user.email, COUNCIL_PASSWORD)
    assert trusted.status_code == 302
