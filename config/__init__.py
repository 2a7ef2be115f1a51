"""The config classes the app is built from: each setting's default for the
environment, from the table in config/table.py, and the app's own fixed
values. config/settings.py reads the instance config file and the
environment over them, so an installation needs no code change."""
import os

from config.table import SETTINGS

# Chooses the config class: development, testing or production.
ENVIRONMENT_VARIABLE = "APPRAISE_ENV"


def with_defaults_for(environment):
    """Class decorator: every setting's default in `environment`, as a class attribute."""
    def apply(config_class):
        for setting in SETTINGS:
            setattr(config_class, setting.name, setting.default_in(environment))
        return config_class
    return apply


@with_defaults_for("development")
class Config:
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # a token lives as long as the session

    # Argon2id cost; lowered only in tests so the suite stays quick.
    PASSWORD_HASH_TIME_COST = 3
    PASSWORD_HASH_MEMORY_COST = 65536

    FLASK_ADMIN_FLUID_LAYOUT = True
    TESTING = False
    # Refuses to start while config/checks.py finds a problem.
    PRODUCTION = False


class DevelopmentConfig(Config):
    pass


@with_defaults_for("testing")
class TestingConfig(Config):
    TESTING = True
    PASSWORD_HASH_TIME_COST = 1
    PASSWORD_HASH_MEMORY_COST = 1024
    MAIL_SUPPRESS_SEND = True


@with_defaults_for("production")
class ProductionConfig(Config):
    PRODUCTION = True


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def environment_name():
    return os.environ.get(ENVIRONMENT_VARIABLE, "development")


class UnknownEnvironment(ValueError):
    """APPRAISE_ENV names no environment; the message says which it may name."""


def config_from_environment():
    name = environment_name()
    if name not in CONFIGS:
        raise UnknownEnvironment(
            f"{ENVIRONMENT_VARIABLE} is {name!r}; it must be one of: {', '.join(CONFIGS)}.")
    return CONFIGS[name]
