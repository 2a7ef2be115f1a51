"""A database that goes away: the request fails cleanly with a 503 page,
nothing is half-written, and the app recovers by itself when the database
comes back."""
from urllib.parse import urlsplit, urlunsplit

import pytest
from peewee import OperationalError

from app import create_app
from config import TestingConfig
from models import Cycle, Step
from tests.conftest import sign_in
from tests.tcp_relay import TcpRelay

UNAVAILABLE = "Appraise cannot reach its database. Nothing from your last action was saved."


def new_cycle(client, token, officer, year=2027):
    return client.post("/admin/cycle/new/", data={"officer": officer.id, "year": year, "csrf_token": token})


def fail_on_third_step(monkeypatch, failure):
    """Step.create runs `failure` before the third step of a new cycle is
    written: part of the cycle is in the database by then."""
    real_create = Step.create
    calls = []

    def create(**fields):
        calls.append(fields)
        if len(calls) == 3:
            failure()
        return real_create(**fields)

    monkeypatch.setattr(Step, "create", create)
    return calls


def records():
    return Cycle.select().count(), Step.select().count()


def test_a_database_error_mid_request_saves_nothing_and_the_next_request_works(app, scenario, client,
                                                                               monkeypatch):
    token = sign_in(client, scenario.hr)
    before = records()

    def lose_the_connection():
        raise OperationalError("server closed the connection unexpectedly")

    calls = fail_on_third_step(monkeypatch, lose_the_connection)
    response = new_cycle(client, token, scenario.other_director)

    assert len(calls) == 3
    assert response.status_code == 503
    assert UNAVAILABLE in response.get_data(as_text=True)
    assert records() == before

    monkeypatch.undo()
    assert new_cycle(client, token, scenario.other_director).status_code == 302
    assert records()[0] == before[0] + 1


@pytest.fixture
def relay(app, database_url):
    """The app reaching its database server through a relay the test can stop."""
    parts = urlsplit(database_url)
    if parts.scheme not in ("postgresql", "postgres", "mysql"):
        pytest.skip("needs a database server: runs when DATABASE_URL is PostgreSQL or MySQL")
    relay = TcpRelay(parts.hostname or "127.0.0.1", parts.port or 5432)
    relay.start()
    credentials = parts.netloc.rpartition("@")[0]
    relayed_url = urlunsplit(parts._replace(netloc=f"{credentials}@127.0.0.1:{relay.port}"))
    relay.app = create_app(TestingConfig, {"DATABASE_URL": relayed_url})
    yield relay
    relay.stop()


def test_while_the_database_server_is_down_pages_answer_503_and_come_back_with_it(relay, scenario):
    client = relay.app.test_client()
    sign_in(client, scenario.hr)

    relay.stop()
    page = client.get("/admin/")
    health = client.get("/healthz")
    assert (page.status_code, health.status_code) == (503, 503)
    assert UNAVAILABLE in page.get_data(as_text=True)

    relay.start()
    assert client.get("/admin/").status_code == 200
    assert client.get("/healthz").get_json()["database"] == "ok"


def test_a_connection_cut_mid_request_saves_nothing_and_the_app_reconnects(relay, scenario, monkeypatch):
    client = relay.app.test_client()
    token = sign_in(client, scenario.hr)
    before = records()

    fail_on_third_step(monkeypatch, relay.stop)
    response = new_cycle(client, token, scenario.other_director)
    assert response.status_code == 503

    relay.start()
    monkeypatch.undo()
    assert records() == before
    assert new_cycle(client, token, scenario.other_director).status_code == 302
    assert records()[0] == before[0] + 1
