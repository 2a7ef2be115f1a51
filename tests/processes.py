"""Running Appraise's commands, and other servers the tests need, as
separate processes on this machine, the way an IT officer would."""
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

from config.settings import CONFIG_FILE_VARIABLE, SETTINGS

PROJECT = Path(__file__).resolve().parent.parent
FLASK = Path(sys.executable).parent / "flask"
APPRAISE_VARIABLES = {setting.environment_variable for setting in SETTINGS} | {"APPRAISE_ENV"}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port, process, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} stopped with exit code {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listened on port {port} within {seconds} seconds")


def environment(tmp_path, **settings):
    """This process's environment with no Appraise setting but the given
    ones, and no instance config file unless `settings` names one."""
    clean = {name: value for name, value in os.environ.items() if name not in APPRAISE_VARIABLES}
    clean[CONFIG_FILE_VARIABLE] = str(tmp_path / "no-instance-file.cfg")
    clean.update({name: str(value) for name, value in settings.items()})
    return clean


def production_settings(tmp_path):
    """A complete, safe production configuration."""
    return {
        "APPRAISE_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "BASE_URL": "https://appraise.northvale.gov.uk",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'appraise.sqlite3'}",
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "MAIL_SERVER": "smtp.northvale.gov.uk",
        "MAIL_PORT": "587",
        "MAIL_USE_TLS": "true",
        "MAIL_USERNAME": "appraise",
        "MAIL_PASSWORD": "mail-relay-password",
        "MAIL_DEFAULT_SENDER": "Appraise <appraise@northvale.gov.uk>",
    }


def flask(*args, env):
    return subprocess.run([str(FLASK), "--app", "app", *args], cwd=PROJECT, env=env,
                          capture_output=True, text=True, timeout=120)
