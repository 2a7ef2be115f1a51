"""The app served by a real WSGI server (waitress) on localhost, a real SMTP
server capturing its mail, and Debian's Chromium driven by Playwright."""
import threading
import time
from pathlib import Path

import pytest
import time_machine
import waitress
from playwright.sync_api import sync_playwright

from services.mail.outbox import send_pending
from tests.conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Chromium as root, in a container, on a machine with no network but loopback.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def clock():
    """The real time: Chromium keeps its own clock, and would find the
    cookies of a server living on another day already expired."""
    with time_machine.travel(time.time(), tick=True) as traveller:
        yield traveller


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def live(app, mail_server):
    """The app on a free localhost port; its emailed links point there."""
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
    url = f"http://127.0.0.1:{server.effective_port}"
    app.config["BASE_URL"] = url
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield url
    server.close()
    thread.join(timeout=5)


@pytest.fixture
def open_page(browser, live, request):
    """New browser windows (each its own cookies), screenshotted at the end."""
    contexts = []

    def new_page(**options):
        context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900},
                                      base_url=live, **options)
        contexts.append(context)
        return context.new_page()

    yield new_page
    ARTIFACTS.mkdir(exist_ok=True)
    for number, context in enumerate(contexts):
        for page in context.pages:
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{number}.png"), full_page=True)
        context.close()


def sign_in_as(page, user, password=PASSWORD):
    page.goto("/login")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def pick(page, field, text):
    """Choose in a search-as-you-type picker (Select2) by typing part of a name."""
    page.click(f"#s2id_{field} .select2-choice")
    page.keyboard.type(text)
    page.locator(".select2-drop-active .select2-result-selectable", has_text=text).first.click()


def deliver_mail():
    """What cron's `send-mail` does."""
    send_pending()
