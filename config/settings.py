"""The settings an installation sets, and where each one's value comes from:
an environment variable, the instance config file, or the default in
config/__init__.py. An environment variable wins over the file, so a value
given for one run is never hidden by the file."""
import os
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit, urlunsplit

from flask import Config as FlaskConfig

# Names another instance config file; by default instance/appraise.cfg.
CONFIG_FILE_VARIABLE = "APPRAISE_CONFIG"
CONFIG_FILE_NAME = "appraise.cfg"
NOT_SET = "(not set)"


class Setting(NamedTuple):
    name: str
    kind: type = str
    secret: bool = False
    # Set only where the environment variable has another name than the setting.
    variable: str = ""

    @property
    def environment_variable(self):
        return self.variable or self.name


SETTINGS = (
    Setting("DATABASE_URL"),  # its password is masked
    Setting("SECRET_KEY", secret=True),
    Setting("BASE_URL"),
    Setting("UPLOAD_DIR"),
    Setting("STORAGE_BACKEND"),
    Setting("MAX_UPLOAD_MB", int),
    Setting("RETENTION_YEARS", int),
    Setting("DEBUG", bool, variable="FLASK_DEBUG"),
    Setting("LISTEN"),
    Setting("THREADS", int),
    Setting("PROXY_HOPS", int),
    Setting("MAIL_SERVER"),
    Setting("MAIL_PORT", int),
    Setting("MAIL_USE_TLS", bool),
    Setting("MAIL_USE_SSL", bool),
    Setting("MAIL_USERNAME"),
    Setting("MAIL_PASSWORD", secret=True),
    Setting("MAIL_DEFAULT_SENDER"),
    Setting("MAIL_TIMEOUT", int),
    Setting("AGREEMENT_LINK_DAYS", int),
    Setting("AGREEMENT_REMINDER_DAYS", int),
    Setting("CONFIRM_REQUIRES_LOGIN", bool),
    Setting("TIMETABLE_REMINDER_DAYS", int),
    Setting("TIMETABLE_REMINDER_REPEAT_DAYS", int),
    Setting("OUTBOX_BACKGROUND_SENDER", bool),
    Setting("OUTBOX_RETRY_SECONDS", int),
    Setting("OUTBOX_MAX_ATTEMPTS", int),
    Setting("IDLE_TIMEOUT_MINUTES", int),
    Setting("LOGIN_FAILURES_PER_ACCOUNT", int),
    Setting("LOGIN_FAILURES_PER_ADDRESS", int),
    Setting("LOGIN_THROTTLE_MINUTES", int),
    Setting("LDAP_URL"),
    Setting("LDAP_BIND_DN"),
    Setting("LDAP_BIND_PASSWORD", secret=True),
    Setting("LDAP_BASE_DN"),
    Setting("LDAP_USER_FILTER"),
    Setting("LDAP_USER_DN_TEMPLATE"),
    Setting("LDAP_TIMEOUT", int),
    Setting("LDAP_CA_FILE"),
)
ENVIRONMENT_VARIABLES = {setting.name: setting.environment_variable for setting in SETTINGS}


def config_file_path(app):
    return Path(os.environ.get(CONFIG_FILE_VARIABLE) or Path(app.instance_path) / CONFIG_FILE_NAME)


def read_config_file(app):
    """The upper-case names the instance config file sets; {} when there is none."""
    values = FlaskConfig(app.root_path)
    values.from_pyfile(config_file_path(app), silent=True)
    return dict(values)


def load_config_file(app):
    for name, value in read_config_file(app).items():
        if ENVIRONMENT_VARIABLES.get(name, name) not in os.environ:
            app.config[name] = value


def setting_sources(app):
    """(name, source, value as shown) for every setting, secrets masked."""
    in_file = read_config_file(app)
    rows = []
    for setting in SETTINGS:
        if setting.environment_variable in os.environ:
            source = f"environment ({setting.environment_variable})"
        elif setting.name in in_file:
            source = "instance file"
        else:
            source = "default"
        rows.append((setting.name, source, shown_value(setting, app.config.get(setting.name))))
    return rows


def shown_value(setting, value):
    if value is None or value == "":
        return NOT_SET
    if setting.secret:
        return f"******** ({len(str(value))} characters)"
    if setting.name == "DATABASE_URL":
        return without_password(value)
    return str(value)


def without_password(url):
    parts = urlsplit(url)
    if not parts.password:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:********@{host}"))
