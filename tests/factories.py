"""The people and records tests need, made the way the app makes them, and
signing in through the real form."""
import re

from services.people.accounts import create_user

PASSWORD = "correct horse battery staple"
CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def make_user(name, email, role="staff", password=PASSWORD):
    return create_user(email=email, name=name, role=role, password=password)


def make_officer(user, post_title, councils=(), statutory_role=None):
    """An officer for `user`, serving `councils`."""
    from models import Officer, OfficerCouncil

    fields = {"statutory_role": statutory_role} if statutory_role else {}
    officer = Officer.create(user=user, post_title=post_title, **fields)
    for council in councils:
        OfficerCouncil.create(officer=officer, council=council)
    return officer


def make_appraiser(officer, user, capacity, council=None):
    from models import OfficerAppraiser

    return OfficerAppraiser.create(officer=officer, user=user, capacity=capacity, council=council)


def csrf_token_from(response):
    match = CSRF_INPUT.search(response.get_data(as_text=True))
    assert match, "the page has no CSRF token"
    return match.group(1)


def sign_in_as(client, user, password=PASSWORD):
    """Sign in through the real form. Returns a CSRF token for later POSTs."""
    token = csrf_token_from(client.get("/login"))
    response = client.post(
        "/login", data={"email": user.email, "password": password, "csrf_token": token}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return csrf_token_from(client.get("/admin/user/new/")) if user.is_hr else token
