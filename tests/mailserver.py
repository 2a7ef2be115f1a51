"""A real SMTP server on localhost for the tests (aiosmtpd). It keeps every
message it accepts, can refuse chosen recipients or answer slowly, and can
be stopped and started again on the same port, as a mail server that goes
down and comes back."""
import asyncio
import email
import re
import socket
import threading
from email import policy

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

LINK = re.compile(r"https?://\S+/confirm/[A-Za-z0-9_-]+")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Recorder:
    """The aiosmtpd handler: refuses the addresses in `refused` (with
    `refusal`), waits `delay` seconds before answering each recipient (a
    slow server, slow before it has taken the message), refuses every
    message with `message_refusal` when that is set, keeps what it accepts
    and counts the senders that said goodbye (QUIT)."""

    def __init__(self):
        self.messages = []
        self.refused = set()
        self.refusal = "550 5.1.1 No such mailbox here"
        self.message_refusal = None
        self.delay = 0
        # Cleared: the server takes no recipient until the test sets it again
        # (or a minute has gone, so that a test that forgets fails rather than hangs).
        self.open = threading.Event()
        self.open.set()
        self.goodbyes = 0
        self.signed_in = []  # the users that signed in
        self.secured = 0  # messages that came over STARTTLS
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if not self.open.is_set():
            await asyncio.get_running_loop().run_in_executor(None, self.open.wait, 60)
        if self.delay:
            await asyncio.sleep(self.delay)
        if address in self.refused:
            return self.refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.message_refusal:
            return self.message_refusal
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.secured += session.ssl is not None
        with self._lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    async def handle_QUIT(self, server, session, envelope):
        self.goodbyes += 1
        return "221 Bye"


class MailServer:
    """`tls_context`: offer STARTTLS with it. `password`: accept any user
    with it, and record who signed in."""
    host = "127.0.0.1"

    def __init__(self, tls_context=None, password=None):
        self.port = free_port()
        self.recorder = Recorder()
        self.controller = None
        self.tls_context, self.password = tls_context, password

    def start(self):
        self.controller = Controller(
            self.recorder, hostname=self.host, port=self.port, tls_context=self.tls_context,
            authenticator=self._authenticate if self.password else None, auth_require_tls=False,
        )
        self.controller.start()

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        if auth_data.password.decode() != self.password:
            return AuthResult(success=False, handled=False)
        self.recorder.signed_in.append(auth_data.login.decode())
        return AuthResult(success=True)

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self):
        return list(self.recorder.messages)

    def messages_to(self, address):
        return [message for message in self.messages if message["To"] == address]

    def only_message_to(self, address):
        found = self.messages_to(address)
        assert len(found) == 1, f"{len(found)} messages to {address}"
        return found[0]


def text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message):
    return message.get_body(preferencelist=("html",)).get_content()


def link_in(message):
    """The confirmation link in the message: the same in its text and HTML."""
    links = set(LINK.findall(text_of(message)))
    assert len(links) == 1, links
    assert links <= set(LINK.findall(html_of(message)))
    return links.pop()


def attachments_of(message):
    return {part.get_filename(): part.get_content() for part in message.iter_attachments()}
