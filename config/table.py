"""Every setting an installation can give, named once: the values it takes
(its kind, with its bounds or choices), its default (and where an
environment's differs), whether it is secret, and a line saying what it is
for. The config classes (config/__init__.py), the reading of the instance
file and the environment and check-config's listing (config/settings.py)
and the check of each value (config/checks.py) are all made from it."""
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from services.records.storage import BACKENDS

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"
ENVIRONMENTS = ("development", "testing", "production")
# Known to everyone who has read this file: production refuses to start with it.
DEVELOPMENT_SECRET_KEY = "dev-only-not-secret"
NOT_SET = "(not set)"


class UnusableValue(ValueError):
    """A value given for a setting that it cannot take; the message says why in one line."""


class Text:
    expects = "text"

    def read(self, text):
        return text

    def fits(self, value):
        return value is None or isinstance(value, str)

    def shown(self, value):
        return str(value)


class Address(Text):
    """A URL; the password in it, if any, is never shown."""
    expects = "an address (URL)"

    def fits(self, value):
        if value is None:
            return True
        try:
            return isinstance(value, str) and urlsplit(value) is not None
        except ValueError:  # a malformed address, such as http://[::1
            return False

    def shown(self, value):
        parts = urlsplit(value) if self.fits(value) else None
        if not parts or not parts.password:
            return str(value)
        host = parts.netloc.rpartition("@")[2]
        return urlunsplit(parts._replace(netloc=f"{parts.username}:********@{host}"))


class Location(Text):
    expects = "a file or folder's path"


@dataclass(frozen=True)
class WholeNumber:
    least: int
    most: int | None = None
    unit: str = ""
    noun: str = "a whole number"
    # A variable set to nothing (THREADS=) leaves the default, as an unset one does.
    blank_means_default = True

    @property
    def expects(self):
        what = f"{self.noun} of {self.unit}" if self.unit else self.noun
        if self.most is None:
            return f"{what}, {self.least} or more"
        return f"{what}, from {self.least} to {self.most}"

    def read(self, text):
        return int(text.strip())

    def fits(self, value):
        return (isinstance(value, int) and not isinstance(value, bool) and value >= self.least
                and (self.most is None or value <= self.most))

    def shown(self, value):
        return str(value)


class Flag:
    expects = "true or false"
    WORDS = {"1": True, "true": True, "yes": True, "on": True,
             "0": False, "false": False, "no": False, "off": False, "": False}

    def read(self, text):
        try:
            return self.WORDS[text.strip().lower()]
        except KeyError:
            raise ValueError(text) from None

    def fits(self, value):
        return isinstance(value, bool)

    def shown(self, value):
        return str(value)


@dataclass(frozen=True)
class Choice:
    choices: tuple

    @property
    def expects(self):
        return f"one of: {', '.join(self.choices)}"

    def read(self, text):
        return text.strip()

    def fits(self, value):
        return value in self.choices

    def shown(self, value):
        return str(value)


@dataclass(frozen=True)
class Setting:
    name: str
    kind: object
    default: object
    help: str
    secret: bool = False
    # Set only where the environment variable has another name than the setting.
    variable: str = ""
    # Where an environment's default differs from `default`.
    environment_defaults: dict = field(default_factory=dict)

    @property
    def environment_variable(self):
        return self.variable or self.name

    def default_in(self, environment):
        return self.environment_defaults.get(environment, self.default)

    def is_given_by(self, text):
        """Whether `text` from the environment gives a value at all."""
        return not (getattr(self.kind, "blank_means_default", False) and not text.strip())

    def read(self, given):
        """The value `given` stands for: text from the environment, or a value
        from the instance file (where text is read the same way). Raises
        UnusableValue when it stands for none this setting can take."""
        try:
            value = self.kind.read(given) if isinstance(given, str) else given
        except ValueError:
            raise UnusableValue(self.problem_with(given)) from None
        if not self.kind.fits(value):
            raise UnusableValue(self.problem_with(given))
        return value

    def problem(self, value):
        """Why a configured value cannot be used; None when it can."""
        return None if self.kind.fits(value) else self.problem_with(value)

    def problem_with(self, value):
        return f"{self.name} '{self.shown(value)}' must be {self.kind.expects} ({self.help})."

    def shown(self, value):
        if value is None or value == "":
            return NOT_SET
        if self.secret:
            return f"******** ({len(str(value))} characters)"
        return self.kind.shown(value)


SETTINGS = (
    Setting("DATABASE_URL", Address(), f"sqlite:///{INSTANCE_DIR / 'appraise.sqlite3'}",
            "the database, as a peewee db_url; its password is never shown"),
    Setting("SECRET_KEY", Text(), DEVELOPMENT_SECRET_KEY,
            "signs sessions and CSRF tokens: a long random value in production",
            secret=True, environment_defaults={"testing": "testing-secret"}),
    Setting("BASE_URL", Address(), "http://127.0.0.1:5000", "the public address, used in emailed links"),
    Setting("UPLOAD_DIR", Location(), str(INSTANCE_DIR / "uploads"),
            "where attached documents are kept, outside the web root"),
    Setting("STORAGE_BACKEND", Choice(tuple(BACKENDS)), "local",
            "where attachments are stored: local is the files under UPLOAD_DIR"),
    Setting("MAX_UPLOAD_MB", WholeNumber(1, unit="megabytes"), 20, "the largest file that may be uploaded"),
    Setting("RETENTION_YEARS", WholeNumber(1, unit="years"), 6,
            "years after an officer's leaving date before purge deletes their records"),
    Setting("DEBUG", Flag(), False, "debug mode: never in production", variable="FLASK_DEBUG"),
    Setting("LISTEN", Text(), "127.0.0.1:8000", "address and port the production server listens on"),
    Setting("THREADS", WholeNumber(1), 8, "the production server's worker threads"),
    Setting("PROXY_HOPS", WholeNumber(0), 0,
            "how many reverse proxies stand in front of Appraise, whose X-Forwarded-* headers are trusted"),
    Setting("MAIL_SERVER", Text(), "localhost", "the SMTP server"),
    Setting("MAIL_PORT", WholeNumber(1, 65535, noun="a port number"), 25,
            "the SMTP port: 25, 587 with MAIL_USE_TLS or 465 with MAIL_USE_SSL"),
    Setting("MAIL_USE_TLS", Flag(), False, "STARTTLS"),
    Setting("MAIL_USE_SSL", Flag(), False, "SMTP over TLS from the start; not together with MAIL_USE_TLS"),
    Setting("MAIL_USERNAME", Text(), None, "the SMTP account, if the server needs a sign-in"),
    Setting("MAIL_PASSWORD", Text(), None, "the SMTP account's password", secret=True),
    Setting("MAIL_DEFAULT_SENDER", Text(), "Appraise <appraise@localhost>", "the From address"),
    Setting("MAIL_TIMEOUT", WholeNumber(1, unit="seconds"), 30,
            "how long a sender waits on the mail server at each step before trying again later"),
    Setting("AGREEMENT_LINK_DAYS", WholeNumber(1, unit="days"), 14, "how long an agreement link works"),
    Setting("AGREEMENT_REMINDER_DAYS", WholeNumber(1, unit="days"), 7,
            "remind emails a party still undecided this long after their link was sent, and again as often"),
    Setting("CONFIRM_REQUIRES_LOGIN", Flag(), False, "an agreement link also needs the party's own sign-in"),
    Setting("TIMETABLE_REMINDER_DAYS", WholeNumber(0, unit="days"), 14,
            "remind sends each owner a digest of their steps due within this many days, or overdue"),
    Setting("TIMETABLE_REMINDER_REPEAT_DAYS", WholeNumber(1, unit="days"), 7,
            "a step already in a digest is mentioned again only this long after"),
    Setting("OUTBOX_BACKGROUND_SENDER", Flag(), True,
            "send the outbox from a thread in the web app; false leaves it to send-mail from cron",
            environment_defaults={"testing": False}),
    Setting("OUTBOX_RETRY_SECONDS", WholeNumber(1, unit="seconds"), 60,
            "the first retry after a failed send; each later one waits twice as long"),
    Setting("OUTBOX_MAX_ATTEMPTS", WholeNumber(1), 12, "attempts before an email is given up"),
    Setting("IDLE_TIMEOUT_MINUTES", WholeNumber(1, unit="minutes"), 30,
            "a session idle this long is signed out"),
    Setting("LOGIN_FAILURES_PER_ACCOUNT", WholeNumber(1), 5,
            "failed sign-ins with one email before it is refused for a while"),
    Setting("LOGIN_FAILURES_PER_ADDRESS", WholeNumber(1), 30,
            "failed sign-ins from one address before it is refused for a while"),
    Setting("LOGIN_THROTTLE_MINUTES", WholeNumber(1, unit="minutes"), 15,
            "the window sign-in failures are counted over, and how long the refusal lasts"),
    Setting("LDAP_URL", Address(), "", "directory sign-in, e.g. ldaps://dc1.council.gov.uk; off while empty"),
    Setting("LDAP_BIND_DN", Text(), "",
            "the service account that searches the directory; empty: anonymously"),
    Setting("LDAP_BIND_PASSWORD", Text(), "", "the directory service account's password", secret=True),
    Setting("LDAP_BASE_DN", Text(), "", "where to search the directory for people"),
    Setting("LDAP_USER_FILTER", Text(), "(mail={email})", "how to find a person by the email they type"),
    Setting("LDAP_USER_DN_TEMPLATE", Text(), "",
            "instead of a search, the DN to sign in as, from {email} or {username}"),
    Setting("LDAP_TIMEOUT", WholeNumber(1, unit="seconds"), 5,
            "how long to wait for the directory before saying it cannot be reached"),
    Setting("LDAP_CA_FILE", Location(), "",
            "the council's CA certificate (PEM), when the directory's is not signed by a public CA"),
)
SETTINGS_BY_NAME = {setting.name: setting for setting in SETTINGS}
