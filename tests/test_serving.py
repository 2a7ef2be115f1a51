"""The production server: waitress with worker threads, behind a reverse
proxy whose X-Forwarded-* headers are trusted for as many hops as
PROXY_HOPS says, and no further."""
import json
import subprocess
import urllib.request
from urllib.error import HTTPError

import pytest
from flask import request

from app import create_app
from config import TestingConfig
from tests.processes import FLASK, PROJECT, environment, flask, free_port, production_settings, wait_for_port

FROM_THE_PROXY = {
    "X-Forwarded-For": "10.20.30.40",
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "appraise.northvale.gov.uk",
    "X-Forwarded-Prefix": "/appraise",
}


def app_behind(app, hops):
    """An app with PROXY_HOPS=hops that notes what each request looked like."""
    proxied = create_app(TestingConfig, {"DATABASE_URL": app.config["DATABASE_URL"], "PROXY_HOPS": hops})
    seen = []

    @proxied.after_request
    def note(response):
        seen.append((request.remote_addr, request.scheme, request.host, request.script_root))
        return response

    return proxied, seen


def test_behind_one_proxy_the_visitor_scheme_host_and_prefix_come_from_its_headers(app):
    proxied, seen = app_behind(app, hops=1)

    response = proxied.test_client().get("/admin/", headers=FROM_THE_PROXY)

    assert seen == [("10.20.30.40", "https", "appraise.northvale.gov.uk", "/appraise")]
    assert response.headers["Location"].startswith("/appraise/login")


def test_only_the_nearest_proxy_is_believed_about_the_visitor(app):
    proxied, seen = app_behind(app, hops=1)

    proxied.test_client().get("/login", headers={"X-Forwarded-For": "6.6.6.6, 10.20.30.40"})

    assert seen[0][0] == "10.20.30.40"


def test_without_a_proxy_forwarded_headers_are_ignored(app):
    proxied, seen = app_behind(app, hops=0)

    proxied.test_client().get("/login", headers=FROM_THE_PROXY)

    assert seen == [("127.0.0.1", "http", "localhost", "")]


@pytest.fixture
def production_server(tmp_path):
    """`flask --app app serve` running on a free port with a safe production
    configuration behind one proxy, on a database made by init-db."""
    port = free_port()
    env = environment(tmp_path, **production_settings(tmp_path), LISTEN=f"127.0.0.1:{port}", THREADS=4,
                      PROXY_HOPS=1)
    assert flask("init-db", env=env).returncode == 0
    server = subprocess.Popen([str(FLASK), "--app", "app", "serve"], cwd=PROJECT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_for_port(port, server)
        yield f"http://127.0.0.1:{port}", server
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_runs_appraise_under_waitress_behind_the_proxy(production_server):
    address, server = production_server

    with urllib.request.urlopen(f"{address}/healthz") as health:
        assert health.status == 200
        assert health.headers["Server"] == "Appraise"
        assert json.load(health)["database"] == "ok"

    class NoRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirects)
    with pytest.raises(HTTPError) as redirect:
        opener.open(urllib.request.Request(f"{address}/admin/", headers=FROM_THE_PROXY))
    assert redirect.value.code == 302
    assert redirect.value.headers["Location"].startswith("/appraise/login")

    server.terminate()
    output = server.communicate(timeout=10)[0]
    assert "Appraise is serving on http://127.0.0.1:" in output
    assert "(4 threads) for https://appraise.northvale.gov.uk" in output
