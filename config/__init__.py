"""Configuration objects. Every setting has a default here and can be
overridden from the environment, so an installation needs no code change."""
import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError:
        return value  # kept as typed, so check-config can say what is wrong with it


# Known to everyone who has read this file: production refuses to start with it.
DEVELOPMENT_SECRET_KEY = "dev-only-not-secret"


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
    DATABASE_URL = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'appraise.sqlite3'}"
    )
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR", str(INSTANCE_DIR / "uploads"))
    # Where attachments are stored: "local" (UPLOAD_DIR) is the one back end so far.
    STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "local")
    MAX_UPLOAD_MB = env_int("MAX_UPLOAD_MB", 20)
    # Years after an officer's leaving date before `purge` deletes their records.
    RETENTION_YEARS = env_int("RETENTION_YEARS", 6)

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = env_int("MAIL_PORT", 25)
    MAIL_USE_TLS = env_bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = env_bool("MAIL_USE_SSL", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get(
        "MAIL_DEFAULT_SENDER", "Appraise <appraise@localhost>"
    )
    # Seconds a sender waits on the mail server at each step before giving up for now.
    MAIL_TIMEOUT = env_int("MAIL_TIMEOUT", 30)

    # Agreement by emailed link.
    AGREEMENT_LINK_DAYS = env_int("AGREEMENT_LINK_DAYS", 14)
    AGREEMENT_REMINDER_DAYS = env_int("AGREEMENT_REMINDER_DAYS", 7)
    CONFIRM_REQUIRES_LOGIN = env_bool("CONFIRM_REQUIRES_LOGIN", False)

    # The timetable digest that `remind` sends each step's owner.
    TIMETABLE_REMINDER_DAYS = env_int("TIMETABLE_REMINDER_DAYS", 14)
    TIMETABLE_REMINDER_REPEAT_DAYS = env_int("TIMETABLE_REMINDER_REPEAT_DAYS", 7)

    # The outbox: sent by a thread in the web app soon after each change, and
    # by `send-mail` from cron; failures are retried after 1, 2, 4 … minutes.
    OUTBOX_BACKGROUND_SENDER = env_bool("OUTBOX_BACKGROUND_SENDER", True)
    OUTBOX_RETRY_SECONDS = env_int("OUTBOX_RETRY_SECONDS", 60)
    OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 12)

    IDLE_TIMEOUT_MINUTES = env_int("IDLE_TIMEOUT_MINUTES", 30)
    # Failed sign-ins allowed in the window, per email typed and per address.
    LOGIN_FAILURES_PER_ACCOUNT = env_int("LOGIN_FAILURES_PER_ACCOUNT", 5)
    LOGIN_FAILURES_PER_ADDRESS = env_int("LOGIN_FAILURES_PER_ADDRESS", 30)
    LOGIN_THROTTLE_MINUTES = env_int("LOGIN_THROTTLE_MINUTES", 15)

    # The production server (`flask --app app serve`).
    LISTEN = os.environ.get("LISTEN", "127.0.0.1:8000")
    THREADS = env_int("THREADS", 8)
    # Reverse proxies in front of the app whose X-Forwarded-* headers are trusted.
    PROXY_HOPS = env_int("PROXY_HOPS", 0)

    # Directory sign-in: off while LDAP_URL is empty.
    LDAP_URL = os.environ.get("LDAP_URL", "")
    LDAP_BIND_DN = os.environ.get("LDAP_BIND_DN", "")
    LDAP_BIND_PASSWORD = os.environ.get("LDAP_BIND_PASSWORD", "")
    LDAP_BASE_DN = os.environ.get("LDAP_BASE_DN", "")
    LDAP_USER_FILTER = os.environ.get("LDAP_USER_FILTER", "(mail={email})")
    LDAP_USER_DN_TEMPLATE = os.environ.get("LDAP_USER_DN_TEMPLATE", "")
    LDAP_TIMEOUT = env_int("LDAP_TIMEOUT", 5)
    # The council's CA certificate (PEM) when the directory's is not signed by a public CA.
    LDAP_CA_FILE = os.environ.get("LDAP_CA_FILE", "")

    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # a token lives as long as the session

    # Argon2id cost; lowered only in tests so the suite stays quick.
    PASSWORD_HASH_TIME_COST = 3
    PASSWORD_HASH_MEMORY_COST = 65536

    FLASK_ADMIN_FLUID_LAYOUT = True
    TESTING = False
    DEBUG = False
    # Refuses to start while config/checks.py finds a problem.
    PRODUCTION = False


class DevelopmentConfig(Config):
    DEBUG = False


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret"
    PASSWORD_HASH_TIME_COST = 1
    PASSWORD_HASH_MEMORY_COST = 1024
    MAIL_SUPPRESS_SEND = True
    # A test that wants the background sender turns it on.
    OUTBOX_BACKGROUND_SENDER = False


class ProductionConfig(Config):
    PRODUCTION = True


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_environment():
    return CONFIGS[os.environ.get("APPRAISE_ENV", "development")]
