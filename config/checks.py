"""What is wrong with a configuration: one line per problem, written for the
person installing Appraise. Production refuses to start while any is left;
`flask --app app check-config` lists them."""
import os
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

import click
from playhouse.db_url import schemes as database_schemes

from config.settings import UNUSABLE_VALUES
from config.table import ENVIRONMENTS, SETTINGS, SETTINGS_BY_NAME

MIN_SECRET_KEY_LENGTH = 32
# The development and testing keys, which anyone can read in the source.
PUBLIC_SECRET_KEYS = {SETTINGS_BY_NAME["SECRET_KEY"].default_in(environment) for environment in ENVIRONMENTS}
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1"}
EXAMPLE_BASE_URL = "https://appraise.council.gov.uk"


class UnsafeConfiguration(Exception):
    def __init__(self, problems):
        self.problems = problems
        super().__init__(
            "Appraise will not start in production until these are put right:\n"
            + "\n".join(f"  {problem}" for problem in problems)
        )


def refuse_unsafe_production(app):
    """Raise UnsafeConfiguration for a production app with problems.

    Not while the `flask` command loads the app: check-config must be able to
    list the problems, the other operator commands work without a web server,
    and `serve` makes this same check before it starts."""
    if not app.config.get("PRODUCTION") or click.get_current_context(silent=True):
        return
    problems = configuration_problems(app.config)
    if problems:
        raise UnsafeConfiguration(problems)


def configuration_problems(config):
    return [
        *value_problems(config),
        *secret_key_problems(config),
        *debug_problems(config),
        *base_url_problems(config),
        *database_problems(config),
        *upload_dir_problems(config),
        *server_problems(config),
        *mail_problems(config),
        *directory_problems(config),
    ]


def value_problems(config):
    """Each setting's value against the table: its kind, bounds and choices."""
    unusable = config.get(UNUSABLE_VALUES, {})
    problems = []
    for setting in SETTINGS:
        if setting.name in unusable:
            problems.append(setting.problem_with(unusable[setting.name]))
        elif setting.name in config:
            problems.append(setting.problem(config[setting.name]))
    return [problem for problem in problems if problem]


def secret_key_problems(config):
    key = config.get("SECRET_KEY") or ""
    how = ("set a long random value, e.g. the output of: "
           "python3 -c 'import secrets; print(secrets.token_hex(32))'")
    if not key:
        return [f"SECRET_KEY is not set: {how}."]
    if key in PUBLIC_SECRET_KEYS:
        return [f"SECRET_KEY is the development default, which anyone can read in the source: {how}."]
    if len(key) < MIN_SECRET_KEY_LENGTH:
        return [f"SECRET_KEY is only {len(key)} characters: use at least {MIN_SECRET_KEY_LENGTH}; {how}."]
    return []


def debug_problems(config):
    if config.get("DEBUG"):
        return ["Debug mode is on (FLASK_DEBUG or DEBUG): turn it off; its error pages let anyone "
                "who can reach the site run code on the server."]
    return []


def base_url_problems(config):
    value = config.get("BASE_URL") or ""
    parts = urlsplit(value)
    if not value:
        return [f"BASE_URL is not set: set the address people use to reach Appraise, "
                f"e.g. {EXAMPLE_BASE_URL}."]
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return [f"BASE_URL '{value}' is not a web address: set e.g. {EXAMPLE_BASE_URL}."]
    if parts.hostname in LOOPBACK_HOSTS:
        return [f"BASE_URL is not set to the public address (it is {value}, which only this server can "
                f"reach, so emailed links would not work): set e.g. {EXAMPLE_BASE_URL}."]
    return []


def database_problems(config):
    url = config.get("DATABASE_URL") or ""
    if urlsplit(url).scheme not in database_schemes:
        return ["DATABASE_URL is not a database address Appraise can use: set e.g. "
                "postgresql://appraise:PASSWORD@localhost:5432/appraise."]
    return []


def upload_dir_problems(config):
    folder = Path(config.get("UPLOAD_DIR") or "")
    if not folder.is_absolute():
        return [f"UPLOAD_DIR '{folder}' is not a full path: set e.g. /var/lib/appraise/uploads."]
    existing = next(path for path in (folder, *folder.parents) if path.exists())
    if not os.access(existing, os.W_OK | os.X_OK, effective_ids=os.access in os.supports_effective_ids):
        return [f"UPLOAD_DIR {folder} cannot be written by this user ({existing} is not writable)."]
    return []


def server_problems(config):
    problems = []
    host, _, port = str(config.get("LISTEN") or "").rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        problems.append(f"LISTEN '{config.get('LISTEN')}' must be an address and port, e.g. 127.0.0.1:8000.")
    return problems


def mail_problems(config):
    problems = []
    server = config.get("MAIL_SERVER") or ""
    if not server:
        problems.append("MAIL_SERVER is not set: set the council's SMTP relay, e.g. smtp.council.gov.uk.")
    if config.get("MAIL_USE_TLS") and config.get("MAIL_USE_SSL"):
        problems.append("MAIL_USE_TLS and MAIL_USE_SSL are both on: use MAIL_USE_TLS (STARTTLS, port 587) "
                        "or MAIL_USE_SSL (port 465), not both.")
    username, password = config.get("MAIL_USERNAME"), config.get("MAIL_PASSWORD")
    if bool(username) != bool(password):
        problems.append("Only one of MAIL_USERNAME and MAIL_PASSWORD is set: set both, or neither "
                        "for a relay that needs no sign-in.")
    elif username and not (config.get("MAIL_USE_TLS") or config.get("MAIL_USE_SSL")) \
            and server not in LOOPBACK_HOSTS:
        problems.append("MAIL_USERNAME is set but neither MAIL_USE_TLS nor MAIL_USE_SSL is on: "
                        "the mail password would cross the network unencrypted.")
    sender = config.get("MAIL_DEFAULT_SENDER") or ""
    address = parseaddr(sender if isinstance(sender, str) else "")[1]
    domain = address.rpartition("@")[2]
    if "@" not in address or "." not in domain:
        problems.append(f"MAIL_DEFAULT_SENDER '{sender}' is not an address other mail servers accept: "
                        "set e.g. Appraise <appraise@council.gov.uk>.")
    return problems


def directory_problems(config):
    url = config.get("LDAP_URL") or ""
    if not url:
        return []
    problems = []
    parts = urlsplit(url)
    if parts.scheme not in {"ldap", "ldaps"} or not parts.hostname:
        problems.append(f"LDAP_URL '{url}' must be ldaps://host or ldap://host.")
    elif parts.scheme == "ldap" and parts.hostname not in LOOPBACK_HOSTS:
        problems.append(f"LDAP_URL uses ldap:// to {parts.hostname}, so passwords would cross the network "
                        "unencrypted: use ldaps://.")
    template = config.get("LDAP_USER_DN_TEMPLATE") or ""
    if template and "{email}" not in template and "{username}" not in template:
        problems.append("LDAP_USER_DN_TEMPLATE must contain {email} or {username}, "
                        "e.g. uid={username},ou=people,dc=council,dc=gov,dc=uk.")
    if not template and not config.get("LDAP_BASE_DN"):
        problems.append("LDAP_URL is set but neither LDAP_BASE_DN (where to search for people) nor "
                        "LDAP_USER_DN_TEMPLATE is: set one.")
    if not template and "{email}" not in (config.get("LDAP_USER_FILTER") or ""):
        problems.append("LDAP_USER_FILTER must contain {email}, e.g. (mail={email}).")
    if config.get("LDAP_BIND_DN") and not config.get("LDAP_BIND_PASSWORD"):
        problems.append("LDAP_BIND_DN is set but LDAP_BIND_PASSWORD is not.")
    ca_file = config.get("LDAP_CA_FILE") or ""
    if ca_file and not Path(ca_file).is_file():
        problems.append(f"LDAP_CA_FILE {ca_file} does not exist: give the council CA certificate's "
                        "full path (PEM).")
    return problems
