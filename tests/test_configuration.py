"""Safe configuration: production refuses to start with one clear line per
problem, and `check-config` shows every setting, where it came from and
what is wrong, with secrets masked. Settings come from environment
variables or the instance config file."""
import re
import secrets
import subprocess

import pytest
from flask import Flask

from app import create_app
from config import CONFIGS, DevelopmentConfig, ProductionConfig, TestingConfig
from config.checks import UnsafeConfiguration, configuration_problems, value_problems
from config.settings import CONFIG_FILE_VARIABLE, load_settings
from config.table import DEVELOPMENT_SECRET_KEY, ENVIRONMENTS, SETTINGS, Address, Choice, Flag, WholeNumber
from tests.processes import FLASK, PROJECT, environment, flask, production_settings

SAFE = {
    "SECRET_KEY": "7f1c0b9e2d4a6f8e1b3c5d7f9a0b2c4d6e8f0a1b3c5d7e9f",
    "BASE_URL": "https://appraise.northvale.gov.uk",
    "MAIL_SERVER": "smtp.northvale.gov.uk",
    "MAIL_PORT": 587,
    "MAIL_USE_TLS": True,
    "MAIL_USERNAME": "appraise",
    "MAIL_PASSWORD": "mail-relay-password",
    "MAIL_DEFAULT_SENDER": "Appraise <appraise@northvale.gov.uk>",
}


def production_config(**changes):
    config = {name: getattr(ProductionConfig, name) for name in dir(ProductionConfig) if name.isupper()}
    return {**config, **SAFE, **changes}


def test_a_complete_production_configuration_has_no_problems():
    assert configuration_problems(production_config()) == []


@pytest.mark.parametrize(("changes", "problem"), [
    ({"SECRET_KEY": DEVELOPMENT_SECRET_KEY}, "SECRET_KEY is the development default"),
    ({"SECRET_KEY": ""}, "SECRET_KEY is not set"),
    ({"SECRET_KEY": "short-but-random"}, "SECRET_KEY is only 16 characters: use at least 32"),
    ({"DEBUG": True}, "Debug mode is on"),
    ({"BASE_URL": ""}, "BASE_URL is not set"),
    ({"BASE_URL": "http://127.0.0.1:5000"}, "BASE_URL is not set to the public address"),
    ({"BASE_URL": "appraise.northvale.gov.uk"}, "BASE_URL 'appraise.northvale.gov.uk' is not a web address"),
    ({"DATABASE_URL": "oracle://appraise@db/appraise"}, "DATABASE_URL is not a database address"),
    ({"UPLOAD_DIR": "uploads"}, "UPLOAD_DIR 'uploads' is not a full path"),
    ({"LISTEN": "8000"}, "LISTEN '8000' must be an address and port"),
    ({"THREADS": 0}, "THREADS '0' must be a whole number, 1 or more"),
    ({"PROXY_HOPS": "one"}, "PROXY_HOPS 'one' must be a whole number"),
    ({"MAIL_SERVER": ""}, "MAIL_SERVER is not set"),
    ({"MAIL_PORT": "smtp"}, "MAIL_PORT 'smtp' must be a port number"),
    ({"MAIL_USE_SSL": True}, "MAIL_USE_TLS and MAIL_USE_SSL are both on"),
    ({"MAIL_PASSWORD": None}, "Only one of MAIL_USERNAME and MAIL_PASSWORD is set"),
    ({"MAIL_USE_TLS": False}, "the mail password would cross the network unencrypted"),
    ({"MAIL_DEFAULT_SENDER": "Appraise <appraise@localhost>"},
     "MAIL_DEFAULT_SENDER 'Appraise <appraise@localhost>' is not an address other mail servers accept"),
    ({"LDAP_URL": "https://dc1.northvale.gov.uk", "LDAP_BASE_DN": "dc=northvale"},
     "LDAP_URL 'https://dc1.northvale.gov.uk' must be ldaps://host or ldap://host"),
    ({"LDAP_URL": "ldap://dc1.northvale.gov.uk", "LDAP_BASE_DN": "dc=northvale"},
     "LDAP_URL uses ldap:// to dc1.northvale.gov.uk, so passwords would cross the network unencrypted"),
    ({"LDAP_URL": "ldaps://dc1.northvale.gov.uk"}, "neither LDAP_BASE_DN"),
    ({"LDAP_URL": "ldaps://dc1.northvale.gov.uk", "LDAP_BASE_DN": "dc=northvale",
      "LDAP_USER_FILTER": "(mail=*)"}, "LDAP_USER_FILTER must contain {email}"),
    ({"LDAP_URL": "ldaps://dc1.northvale.gov.uk", "LDAP_USER_DN_TEMPLATE": "uid=jo,dc=northvale"},
     "LDAP_USER_DN_TEMPLATE must contain {email} or {username}"),
    ({"LDAP_URL": "ldaps://dc1.northvale.gov.uk", "LDAP_BASE_DN": "dc=northvale",
      "LDAP_BIND_DN": "cn=reader,dc=northvale"}, "LDAP_BIND_DN is set but LDAP_BIND_PASSWORD is not"),
    ({"LDAP_URL": "ldaps://dc1.northvale.gov.uk", "LDAP_BASE_DN": "dc=northvale", "LDAP_TIMEOUT": 0},
     "LDAP_TIMEOUT '0' must be a whole number of seconds"),
    ({"LDAP_URL": "ldaps://dc1.northvale.gov.uk", "LDAP_BASE_DN": "dc=northvale",
      "LDAP_CA_FILE": "/etc/ssl/no-such-ca.pem"}, "LDAP_CA_FILE /etc/ssl/no-such-ca.pem does not exist"),
])
def test_each_unsafe_setting_gives_one_clear_line(changes, problem):
    problems = configuration_problems(production_config(**changes))

    assert len(problems) == 1, problems
    assert problem in problems[0]


def test_production_refuses_to_start_with_a_line_for_each_problem(tmp_path):
    with pytest.raises(UnsafeConfiguration) as refusal:
        create_app(ProductionConfig, {**SAFE, "SECRET_KEY": DEVELOPMENT_SECRET_KEY, "DEBUG": True,
                                      "DATABASE_URL": f"sqlite:///{tmp_path / 'a.sqlite3'}"})

    lines = str(refusal.value).splitlines()
    assert lines[0] == "Appraise will not start in production until these are put right:"
    assert [line.strip().split(" ")[0] for line in lines[1:]] == ["SECRET_KEY", "Debug"]


def test_a_safe_production_configuration_starts(tmp_path):
    app = create_app(ProductionConfig, {**SAFE, "DATABASE_URL": f"sqlite:///{tmp_path / 'a.sqlite3'}",
                                        "UPLOAD_DIR": str(tmp_path / "uploads")})
    assert app.config["PRODUCTION"]


def test_serve_refuses_an_unconfigured_production_server_and_says_why(tmp_path):
    finished = flask("serve", env=environment(tmp_path, APPRAISE_ENV="production",
                                              DATABASE_URL=f"sqlite:///{tmp_path / 'a.sqlite3'}"))

    assert finished.returncode == 1
    assert "Traceback" not in finished.stderr
    problems = [line.strip() for line in finished.stderr.splitlines()[1:]]
    assert [problem.split(" ")[0] for problem in problems] == [
        "SECRET_KEY", "BASE_URL", "MAIL_DEFAULT_SENDER",
    ]


def test_settings_come_from_the_instance_file_and_the_environment_wins(app, tmp_path, monkeypatch):
    config_file = tmp_path / "appraise.cfg"
    config_file.write_text('MAIL_SERVER = "smtp.from-the-file.gov.uk"\nTHREADS = 12\n')
    monkeypatch.setenv(CONFIG_FILE_VARIABLE, str(config_file))

    from_file = create_app(TestingConfig, {"DATABASE_URL": app.config["DATABASE_URL"]})
    assert (from_file.config["MAIL_SERVER"], from_file.config["THREADS"]) == ("smtp.from-the-file.gov.uk", 12)

    monkeypatch.setenv("MAIL_SERVER", "smtp.from-the-environment.gov.uk")
    environment_wins = create_app(TestingConfig, {"DATABASE_URL": app.config["DATABASE_URL"]})
    assert environment_wins.config["MAIL_SERVER"] == "smtp.from-the-environment.gov.uk"


def check_config_table(output):
    """{setting: (source, value)} from check-config's table."""
    rows = {}
    for line in output.splitlines():
        name, _, rest = line.partition("  ")
        if name.isupper() and rest:
            source, _, value = rest.strip().partition("  ")
            rows[name] = (source.strip(), value.strip())
    return rows


def test_check_config_shows_where_each_setting_comes_from_with_secrets_masked(tmp_path):
    settings = production_settings(tmp_path)
    config_file = tmp_path / "appraise.cfg"
    config_file.write_text('BASE_URL = "https://from-the-file.northvale.gov.uk"\n'
                           'MAIL_SERVER = "smtp.from-the-file.northvale.gov.uk"\n')
    settings.update(DATABASE_URL="postgresql://appraise:db-password-123@db.northvale.gov.uk:5432/appraise",
                    **{CONFIG_FILE_VARIABLE: str(config_file)})
    del settings["MAIL_SERVER"]

    finished = flask("check-config", env=environment(tmp_path, **settings))

    assert finished.returncode == 0, finished.stdout + finished.stderr
    table = check_config_table(finished.stdout)
    assert table["BASE_URL"] == ("environment (BASE_URL)", "https://appraise.northvale.gov.uk")
    assert table["MAIL_SERVER"] == ("instance file", "smtp.from-the-file.northvale.gov.uk")
    assert table["THREADS"] == ("default", "8")
    assert table["DEBUG"] == ("default", "False")
    assert table["DATABASE_URL"][1] == "postgresql://appraise:********@db.northvale.gov.uk:5432/appraise"
    assert table["SECRET_KEY"] == ("environment (SECRET_KEY)", "******** (64 characters)")
    assert table["MAIL_PASSWORD"][1] == "******** (19 characters)"
    for secret in (settings["SECRET_KEY"], "db-password-123", settings["MAIL_PASSWORD"]):
        assert secret not in finished.stdout
    assert f"Instance config file: {config_file}" in finished.stdout
    assert "No problems found." in finished.stdout


def test_check_config_lists_the_problems_and_fails(tmp_path):
    finished = flask("check-config", env=environment(tmp_path, APPRAISE_ENV="production", FLASK_DEBUG="1",
                                                     DATABASE_URL=f"sqlite:///{tmp_path / 'a.sqlite3'}"))

    assert finished.returncode == 1
    assert check_config_table(finished.stdout)["DEBUG"] == ("environment (FLASK_DEBUG)", "True")
    assert "4 problem(s)" in finished.stdout
    for setting in ("SECRET_KEY is the development default", "Debug mode is on", "BASE_URL is not set",
                    "MAIL_DEFAULT_SENDER"):
        assert setting in finished.stdout


def test_the_example_environment_file_is_complete_once_the_secret_key_is_filled_in(tmp_path):
    example = PROJECT / "deploy" / "appraise.env.example"
    assert "\nSECRET_KEY=\n" in example.read_text()
    # Loaded as the README loads it for operator commands.
    command = (f'set -a; . "{example}"; SECRET_KEY={secrets.token_hex(32)}; UPLOAD_DIR="{tmp_path}"; '
               f'exec "{FLASK}" --app app check-config')

    finished = subprocess.run(["sh", "-c", command], cwd=PROJECT, env=environment(tmp_path),
                              capture_output=True, text=True, timeout=60)

    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "environment (MAIL_DEFAULT_SENDER)  Appraise <appraise@council.gov.uk>" in finished.stdout


# Values each kind of setting cannot take, as an operator might type them.
UNREADABLE = {WholeNumber: "abc", Flag: "perhaps", Choice: "nowhere", Address: "https://[appraise"}
TYPED_SETTINGS = [setting for setting in SETTINGS if type(setting.kind) in UNREADABLE]


def out_of_bounds(setting):
    kind = setting.kind
    return [kind.least - 1] + ([kind.most + 1] if kind.most is not None else [])


BOUNDED = [(setting, value) for setting in SETTINGS if isinstance(setting.kind, WholeNumber)
           for value in out_of_bounds(setting)]


def loaded_from_environment(monkeypatch, tmp_path, **variables):
    """A development app's config as the environment's variables make it."""
    monkeypatch.setenv(CONFIG_FILE_VARIABLE, str(tmp_path / "no-instance-file.cfg"))
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    app = Flask(__name__)
    app.config.from_object(DevelopmentConfig)
    load_settings(app)
    return app.config


@pytest.mark.parametrize("setting", TYPED_SETTINGS, ids=lambda setting: setting.name)
def test_a_value_a_setting_cannot_read_is_one_problem_and_its_default_is_used(setting, monkeypatch, tmp_path):
    given = UNREADABLE[type(setting.kind)]

    config = loaded_from_environment(monkeypatch, tmp_path, **{setting.environment_variable: given})

    assert value_problems(config) == [
        f"{setting.name} '{given}' must be {setting.kind.expects} ({setting.help})."
    ]
    assert config[setting.name] == setting.default_in("development")


@pytest.mark.parametrize(("setting", "given"), BOUNDED, ids=lambda value: getattr(value, "name", value))
def test_a_whole_number_out_of_its_bounds_is_one_problem(setting, given, monkeypatch, tmp_path):
    config = loaded_from_environment(monkeypatch, tmp_path, **{setting.environment_variable: str(given)})

    assert value_problems(config) == [
        f"{setting.name} '{given}' must be {setting.kind.expects} ({setting.help})."
    ]
    assert config[setting.name] == setting.default
    assert [problem.split(" ")[0] for problem in configuration_problems(production_config(
        **{setting.name: given}))] == [setting.name]


def test_values_are_read_as_their_kind_within_their_bounds(monkeypatch, tmp_path):
    config = loaded_from_environment(monkeypatch, tmp_path, IDLE_TIMEOUT_MINUTES=" 45 ", MAIL_PORT="65535",
                                     PROXY_HOPS="0", MAIL_USE_TLS="Yes", CONFIRM_REQUIRES_LOGIN="off",
                                     THREADS="", STORAGE_BACKEND="local")

    assert value_problems(config) == []
    assert (config["IDLE_TIMEOUT_MINUTES"], config["MAIL_PORT"], config["PROXY_HOPS"]) == (45, 65535, 0)
    assert (config["MAIL_USE_TLS"], config["CONFIRM_REQUIRES_LOGIN"]) == (True, False)
    assert config["THREADS"] == 8  # set to nothing: the default


def test_production_refuses_to_start_with_a_value_it_cannot_read(tmp_path, monkeypatch):
    monkeypatch.setenv("IDLE_TIMEOUT_MINUTES", "abc")

    with pytest.raises(UnsafeConfiguration) as refusal:
        create_app(ProductionConfig, {**SAFE, "DATABASE_URL": f"sqlite:///{tmp_path / 'a.sqlite3'}",
                                      "UPLOAD_DIR": str(tmp_path / "uploads")})

    assert str(refusal.value).splitlines()[1:] == [
        "  IDLE_TIMEOUT_MINUTES 'abc' must be a whole number of minutes, 1 or more "
        "(a session idle this long is signed out)."
    ]


def test_check_config_lists_every_setting_and_reports_every_unreadable_value_without_a_traceback(tmp_path):
    secret_values = {setting.environment_variable: f"secret-{setting.name.lower()}-{secrets.token_hex(4)}"
                     for setting in SETTINGS if setting.secret}
    # Flask's own command line refuses FLASK_DEBUG=perhaps before it loads Appraise,
    # and the command is given a database of its own.
    read_by_appraise = [setting for setting in TYPED_SETTINGS
                        if not setting.variable.startswith("FLASK_") and setting.name != "DATABASE_URL"]
    unreadable = {setting.environment_variable: UNREADABLE[type(setting.kind)]
                  for setting in read_by_appraise}

    finished = flask("check-config", env=environment(tmp_path, **unreadable, **secret_values,
                                                     DATABASE_URL=f"sqlite:///{tmp_path / 'a.sqlite3'}"))

    assert finished.returncode == 1
    assert "Traceback" not in finished.stdout + finished.stderr
    table = check_config_table(finished.stdout)
    assert list(table) == [setting.name for setting in SETTINGS]
    for setting in SETTINGS:
        assert f"  {setting.help}\n" in finished.stdout
    for setting in read_by_appraise:
        given = unreadable[setting.environment_variable]
        assert table[setting.name][1] == (f"{given} cannot be used: "
                                          f"{setting.shown(setting.default_in('development'))} in its place")
        assert f"  {setting.name} '{given}' must be {setting.kind.expects}" in finished.stdout
    for setting in SETTINGS:
        if setting.secret:
            value = secret_values[setting.environment_variable]
            assert value not in finished.stdout + finished.stderr
            assert table[setting.name] == (f"environment ({setting.environment_variable})",
                                           f"******** ({len(value)} characters)")


def test_check_config_reports_every_whole_number_below_its_bounds(tmp_path):
    too_small = {setting.environment_variable: str(setting.kind.least - 1)
                 for setting in SETTINGS if isinstance(setting.kind, WholeNumber)}

    finished = flask("check-config", env=environment(tmp_path, **too_small,
                                                     DATABASE_URL=f"sqlite:///{tmp_path / 'a.sqlite3'}"))

    assert finished.returncode == 1
    for variable, given in too_small.items():
        assert f"  {variable} '{given}' must be a " in finished.stdout


# Where the app may read the environment: the settings' reader, by the table's
# own variable names; the choice of config class; and handing the whole
# environment on to pg_dump and the like.
ENVIRONMENT_READERS = {
    "config/__init__.py": ["os.environ.get(ENVIRONMENT_VARIABLE"],
    "config/settings.py": ["os.environ.get(CONFIG_FILE_VARIABLE)",
                           "os.environ.get(setting.environment_variable)"],
    "services/records/database_dump.py": ["**os.environ"],
}


def test_no_module_reads_an_environment_variable_for_a_setting_outside_the_table():
    # The tests, the benchmark and the mutation testing drive the app from outside; they are not the app.
    outside = {"tests", "bench", "tools", "migrations", ".venv", "node_modules"}
    reads = {}
    for path in sorted(PROJECT.rglob("*.py")):
        relative = path.relative_to(PROJECT)
        if relative.parts[0] in outside:
            continue
        for line in path.read_text().splitlines():
            if re.search(r"\benviron\b|getenv", line):
                reads.setdefault(relative.as_posix(), []).append(line.strip())

    assert set(reads) == set(ENVIRONMENT_READERS)
    for module, lines in reads.items():
        for line in lines:
            assert any(allowed in line for allowed in ENVIRONMENT_READERS[module]), (module, line)


def test_every_environment_the_table_names_has_a_config_class():
    named = {environment for setting in SETTINGS for environment in setting.environment_defaults}

    assert named <= set(CONFIGS) == set(ENVIRONMENTS)


def test_an_unknown_environment_name_is_refused_with_the_names_it_may_take(monkeypatch):
    from config import UnknownEnvironment, config_from_environment

    monkeypatch.setenv("APPRAISE_ENV", "prod")
    expected = "APPRAISE_ENV is 'prod'; it must be one of: development, testing, production"
    with pytest.raises(UnknownEnvironment, match=expected):
        config_from_environment()
