"""The Appraise application factory."""
from pathlib import Path

from flask import Flask, jsonify
from flask_login import LoginManager
from flask_mail import Mail
from flask_wtf.csrf import CSRFProtect

import cli
from admin import init_admin
from config import config_from_environment
from models import User, db
from models.base import bind_database
from templating import init_templating
from views import auth

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to continue."
login_manager.login_message_category = "info"
csrf = CSRFProtect()
mail = Mail()


@login_manager.user_loader
def load_user(user_id):
    # An account that HR deactivates is signed out on its next request.
    return User.get_or_none((User.id == int(user_id)) & (User.active == True))  # noqa: E712


def create_app(config=None, overrides=None):
    """Build the app from a config class (default: chosen by APPRAISE_ENV)
    and optional overrides, as tests and tools need."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(config or config_from_environment())
    if overrides:
        app.config.update(overrides)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    bind_database(app.config["DATABASE_URL"])

    @app.before_request
    def open_connection():
        db.connect(reuse_if_open=True)

    @app.teardown_request
    def close_connection(exc):
        if not db.is_closed():
            db.close()

    login_manager.init_app(app)
    csrf.init_app(app)
    mail.init_app(app)
    init_templating(app)
    app.register_blueprint(auth.bp)
    init_admin(app)
    cli.register(app)

    @app.route("/")
    def home():
        from flask import redirect, url_for

        return redirect(url_for("admin.index"))

    @app.route("/healthz")
    def healthz():
        try:
            db.execute_sql("SELECT 1")
        except Exception:
            return jsonify(status="error", database="unreachable"), 503
        return jsonify(status="ok", database="ok")

    return app
