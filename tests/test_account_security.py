"""Sessions, sign-in throttling, security headers and forged cookies."""
import time
from datetime import timedelta

from app import create_app
from config import TestingConfig
from models import AuditEvent
from tests.conftest import PASSWORD, csrf_token_from, sign_in


def try_sign_in(client, email, password):
    token = csrf_token_from(client.get("/login"))
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


def test_session_cookie_is_httponly_and_samesite(client, scenario):
    token = csrf_token_from(client.get("/login"))
    response = client.post("/login", data={"email": scenario.hr.email, "password": PASSWORD,
                                           "csrf_token": token})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_session_cookie_is_secure_when_the_site_is_served_over_https(app):
    secure = create_app(TestingConfig, {"DATABASE_URL": app.config["DATABASE_URL"],
                                        "BASE_URL": "https://appraise.council.gov.uk"})
    assert secure.config["SESSION_COOKIE_SECURE"] is True


def test_an_idle_session_expires(app, client, scenario, clock):
    app.permanent_session_lifetime = 1
    sign_in(client, scenario.hr)
    assert client.get("/admin/").status_code == 200
    clock.shift(timedelta(seconds=2.1))
    assert client.get("/admin/").headers["Location"].startswith("/login")


def test_repeated_failures_on_one_account_are_throttled_without_telling_if_it_exists(client, scenario):
    for email in (scenario.director_user.email, "nobody@northvale.gov.uk"):
        for _ in range(5):
            assert try_sign_in(client, email, "not the password").status_code == 401
        refused = try_sign_in(client, email, PASSWORD)
        assert refused.status_code == 429
        assert "Too many failed attempts to sign in" in refused.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302  # the right password did not get in


def test_a_thousand_failed_sign_ins_from_one_address_are_throttled(client, scenario):
    statuses = []
    started = time.monotonic()
    for attempt in range(1000):
        statuses.append(try_sign_in(client, f"guess{attempt}@northvale.gov.uk", "wrong").status_code)
        if time.monotonic() - started > 120:
            break
    assert len(statuses) == 1000
    assert statuses[:30] == [401] * 30
    assert set(statuses[30:]) == {429}
    # Once throttled, attempts are refused before any password is checked or recorded.
    assert AuditEvent.select().where(AuditEvent.action == "login-failed").count() == 30
    assert try_sign_in(client, scenario.hr.email, PASSWORD).status_code == 429


def test_a_forged_session_cookie_is_ignored(client, scenario):
    client.set_cookie("session", "eyJfdXNlcl9pZCI6IjEifQ.forged.signature")
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_security_headers_are_on_every_response(client, scenario):
    sign_in(client, scenario.hr)
    for url in ("/login", "/admin/", "/admin/objective/", "/healthz", "/no-such-page"):
        headers = client.get(url).headers
        assert headers["X-Frame-Options"] == "DENY", url
        assert headers["X-Content-Type-Options"] == "nosniff", url
        assert headers["Referrer-Policy"] == "same-origin", url
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], url


def test_admin_scripts_carry_the_nonce_the_policy_allows(client, scenario):
    sign_in(client, scenario.hr)
    response = client.get("/admin/objective/new/")
    policy = response.headers["Content-Security-Policy"]
    nonce = policy.split("'nonce-")[1].split("'")[0]
    page = response.get_data(as_text=True)
    assert page.count("<script") == page.count(f'nonce="{nonce}"')
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
