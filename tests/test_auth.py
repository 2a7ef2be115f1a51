"""Signing in and out: the real form, with its CSRF token, safe redirects,
messages that give nothing away, and accounts that HR switches off."""
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from argon2 import PasswordHasher

from models import Council, User
from services.people.accounts import AccountError, create_user
from tests.conftest import CSRF_INPUT, PASSWORD, csrf_token_from, sign_in

BAD_CREDENTIALS = "The email address or password is not right."


def post_login(client, email, password, query=""):
    token = csrf_token_from(client.get(f"/login{query}"))
    return client.post(f"/login{query}", data={"email": email, "password": password, "csrf_token": token})


def location(response):
    """The redirect target as (host, path)."""
    parts = urlsplit(response.headers["Location"])
    return parts.netloc, parts.path


def is_signed_in(client):
    """The dashboard opens for a signed-in person; anyone else is sent to /login."""
    response = client.get("/admin/")
    if response.status_code == 200:
        return True
    assert response.status_code == 302 and location(response)[1] == "/login"
    return False


# -- signing in -------------------------------------------------------


def test_the_login_page_has_the_form_fields(client):
    page = client.get("/login")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'name="email"' in html and 'name="password"' in html
    assert CSRF_INPUT.search(html)


def test_signing_in_with_the_right_password_opens_the_dashboard(client, scenario):
    response = post_login(client, scenario.hr.email, PASSWORD)
    assert response.status_code == 302
    assert location(response) == ("", "/admin/")
    assert is_signed_in(client)
    assert User.get_by_id(scenario.hr.id).last_login is not None


def test_the_email_is_matched_whatever_its_case_at_sign_in(client, scenario):
    response = post_login(client, "  Hannah.REED@NorthVale.gov.uk ", PASSWORD)
    assert response.status_code == 302
    assert is_signed_in(client)


def test_a_wrong_password_is_refused_with_a_message_that_names_neither_field(client, scenario):
    response = post_login(client, scenario.hr.email, "not the right password")
    assert response.status_code == 401
    assert BAD_CREDENTIALS in response.get_data(as_text=True)
    assert not is_signed_in(client)
    assert User.get_by_id(scenario.hr.id).last_login is None


def test_an_unknown_email_gets_exactly_the_same_answer_as_a_wrong_password(client, scenario):
    def answer(email):
        response = post_login(client, email, "not the right password")
        html = CSRF_INPUT.sub("csrf", response.get_data(as_text=True)).replace(email, "EMAIL")
        return response.status_code, html

    known = answer(scenario.hr.email)
    unknown = answer("nobody.here@northvale.gov.uk")
    assert known[0] == unknown[0] == 401
    assert BAD_CREDENTIALS in unknown[1]
    assert known == unknown
    assert not re.search(r"no (such )?account|not registered|unknown", unknown[1], re.IGNORECASE)


def test_a_deactivated_account_cannot_sign_in(client, scenario):
    User.update(active=False).where(User.id == scenario.director_user.id).execute()
    response = post_login(client, scenario.director_user.email, PASSWORD)
    assert response.status_code == 401
    assert BAD_CREDENTIALS in response.get_data(as_text=True)
    assert not is_signed_in(client)


def test_an_empty_form_is_refused(client, scenario):
    response = post_login(client, "", "")
    assert response.status_code == 400
    assert not is_signed_in(client)


def test_a_password_longer_than_the_limit_is_refused_without_hashing_it(client, scenario):
    response = post_login(client, scenario.hr.email, "x" * 10_000)
    assert response.status_code == 400
    assert not is_signed_in(client)


# -- where signing in leads --------------------------------------------


def test_next_is_followed_to_a_page_on_this_site(client, scenario):
    response = post_login(client, scenario.hr.email, PASSWORD, query="?next=/admin/officer/")
    assert response.status_code == 302
    assert location(response) == ("", "/admin/officer/")


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/admin/",
        "http://evil.example",
        "//evil.example",
        "//evil.example/admin/",
        "///evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "javascript:alert(1)",
        "evil.example",
    ],
)
def test_next_pointing_anywhere_else_is_ignored(client, scenario, target):
    from urllib.parse import quote

    response = post_login(client, scenario.hr.email, PASSWORD, query=f"?next={quote(target, safe='')}")
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/"


def test_a_signed_in_person_visiting_login_is_sent_on_only_to_a_local_next(client, scenario):
    sign_in(client, scenario.hr)
    assert client.get("/login?next=/admin/council/").headers["Location"] == "/admin/council/"
    assert client.get("/login?next=//evil.example/").headers["Location"] == "/admin/"


def test_an_anonymous_visitor_is_sent_to_login_and_back_again(client, scenario):
    response = client.get("/admin/officer/")
    assert response.status_code == 302
    parts = urlsplit(response.headers["Location"])
    assert parts.path == "/login"
    target = parse_qs(parts.query)["next"][0]
    assert target.startswith("/admin/officer/")

    followed = post_login(client, scenario.hr.email, PASSWORD, query=f"?{parts.query}")
    assert followed.status_code == 302
    assert location(followed)[1] == "/admin/officer/"
    assert client.get("/admin/officer/").status_code == 200


def test_an_anonymous_visitor_gets_no_admin_page_at_all(client, scenario):
    for url in ("/admin/", "/admin/officer/", "/admin/user/", "/admin/council/new/",
                f"/admin/objective/details/?id={scenario.agreed_objective.id}"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert location(response)[1] == "/login", url


# -- CSRF -------------------------------------------------------------


def test_a_login_post_without_a_csrf_token_is_refused(client, scenario):
    client.get("/login")  # a session exists, but the form omits the token
    response = client.post("/login", data={"email": scenario.hr.email, "password": PASSWORD})
    assert response.status_code == 400
    assert not is_signed_in(client)
    assert User.get_by_id(scenario.hr.id).last_login is None


def test_a_login_post_with_a_forged_csrf_token_is_refused(client, scenario):
    client.get("/login")
    response = client.post("/login", data={"email": scenario.hr.email, "password": PASSWORD,
                                           "csrf_token": "forged"})
    assert response.status_code == 400
    assert not is_signed_in(client)


def test_an_admin_form_without_the_csrf_token_creates_nothing(client, scenario):
    sign_in(client, scenario.hr)
    before = Council.select().count()
    response = client.post("/admin/council/new/",
                           data={"name": "East Fen District Council", "short_name": "EFDC"})
    assert response.status_code == 400
    assert Council.select().count() == before
    assert not Council.select().where(Council.short_name == "EFDC").exists()


def test_an_admin_form_with_the_csrf_token_creates_the_record(client, scenario):
    token = sign_in(client, scenario.hr)
    response = client.post("/admin/council/new/", data={
        "name": "East Fen District Council", "short_name": "EFDC", "csrf_token": token,
    })
    assert response.status_code == 302, response.get_data(as_text=True)
    council = Council.get(Council.short_name == "EFDC")
    assert council.name == "East Fen District Council"


# -- signing out --------------------------------------------------------


def test_signing_out_with_the_csrf_token_signs_out(client, scenario):
    token = sign_in(client, scenario.hr)
    assert is_signed_in(client)
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302
    assert location(response)[1] == "/login"
    assert not is_signed_in(client)


def test_a_logout_post_without_the_csrf_token_is_refused(client, scenario):
    sign_in(client, scenario.hr)
    response = client.post("/logout")
    assert response.status_code == 400
    assert is_signed_in(client)


def test_a_get_request_does_not_sign_out(client, scenario):
    sign_in(client, scenario.hr)
    client.get("/logout")
    assert is_signed_in(client)


def test_an_account_deactivated_by_hr_is_signed_out_on_its_next_request(client, scenario, app):
    sign_in(client, scenario.director_user)
    assert is_signed_in(client)

    hr = app.test_client()
    token = sign_in(hr, scenario.hr)
    director = scenario.director_user
    # HR unticks "Active" on the account's edit form (an unticked box is not sent)
    saved = hr.post(f"/admin/user/edit/?id={director.id}", data={
        "name": director.name, "email": director.email, "role": director.role,
        "new_password": "", "csrf_token": token,
    })
    assert saved.status_code == 302, saved.get_data(as_text=True)
    assert User.get_by_id(director.id).active is False

    response = client.get("/admin/")
    assert response.status_code == 302
    assert location(response)[1] == "/login"
    assert client.get("/admin/officer/").status_code == 302


# -- passwords ---------------------------------------------------------


def test_passwords_are_stored_as_argon2id_hashes(scenario):
    stored = User.get_by_id(scenario.hr.id).password_hash
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert PasswordHasher().verify(stored, PASSWORD)


def test_two_accounts_with_the_same_password_get_different_hashes(scenario):
    assert scenario.hr.password_hash != scenario.councillor.password_hash


def test_a_password_shorter_than_12_characters_is_refused(app):
    with pytest.raises(AccountError, match="12 characters"):
        create_user(email="short@northvale.gov.uk", name="Short", role="staff", password="elevenchars")
    assert not User.select().where(User.email == "short@northvale.gov.uk").exists()
    create_user(email="twelve@northvale.gov.uk", name="Twelve", role="staff", password="twelve chars")


@pytest.mark.parametrize("password", ["long.enough@northvale.gov.uk", " LONG.ENOUGH@northvale.gov.uk "])
def test_a_password_that_is_the_email_address_is_refused(app, password):
    with pytest.raises(AccountError, match="email"):
        create_user(email="long.enough@northvale.gov.uk", name="Lee Enough", role="staff", password=password)
    assert User.select().count() == 0
