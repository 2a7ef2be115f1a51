"""Safe configuration: production refuses to start with one clear line per
problem, and `check-config` shows every setting, where it came from and
what is wrong, with secrets masked. Settings come from environment
variables or the instance config file."""
import secrets
import subprocess

import pytest

from app import create_app
from config import DEVELOPMENT_SECRET_KEY, ProductionConfig, TestingConfig
from config.checks import UnsafeConfiguration, configuration_problems
from config.settings import CONFIG_FILE_VARIABLE
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
    assert environment_wins.config["MAIL_SERVER"] != "smtp.from-the-file.gov.uk"


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
