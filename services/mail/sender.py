"""The outbox's background sender: a daemon thread in the web app that
sends what is due as it starts, soon after each request that queued mail
(its transaction committed by then), and every minute. `flask --app app
send-mail` from cron does the same job, so mail also goes out when the web
app is not running; claims keep the two from sending one email twice."""
import logging
import threading

from flask import g

from models import db
from services.mail.outbox import send_pending

log = logging.getLogger("appraise.outbox")

POLL_SECONDS = 60


class BackgroundSender:
    def __init__(self, app):
        self.app = app
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread = None
        self._start_lock = threading.Lock()

    def ensure_started(self):
        with self._start_lock:
            if self._thread is None or not self._thread.is_alive():
                self._stopping.clear()
                self._thread = threading.Thread(target=self._run, name="outbox-sender", daemon=True)
                self._thread.start()

    def wake(self):
        self.ensure_started()
        self._wake.set()

    def stop(self, timeout=10):
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self):
        while not self._stopping.is_set():
            self._wake.clear()
            self.send_once()
            self._wake.wait(POLL_SECONDS)

    def send_once(self):
        try:
            with self.app.app_context(), db.connection_context():
                send_pending()
        except Exception:  # the thread must outlive a database or mail outage
            log.exception("The background sender could not send the outbox; it will try again.")


def init_outbox_sender(app):
    """Start the sender with the first request the app serves, and wake it
    after each request that queued mail. Off while OUTBOX_BACKGROUND_SENDER
    is false (tests, or an installation that relies on cron alone); read at
    each request, so that a test can switch it on in the app it has."""
    sender = BackgroundSender(app)
    app.extensions["outbox_sender"] = sender

    @app.after_request
    def send_queued_mail_soon(response):
        if not app.config["OUTBOX_BACKGROUND_SENDER"]:
            return response
        if g.pop("outbox_has_mail", False):
            sender.wake()
        else:
            sender.ensure_started()
        return response
