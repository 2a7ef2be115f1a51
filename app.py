"""The Appraise application factory."""
from pathlib import Path

from flask import Flask
from flask_login import LoginManager
from flask_mail import Mail
from flask_wtf.csrf import CSRFProtect

import commands
from admin import init_admin
from config import config_from_environment
from config.checks import refuse_unsafe_production
from config.settings import load_settings
from models import User
from models.base import init_database
from security import init_security
from server import trust_proxy_headers
from services.access import init_access
from services.mail.sender import init_outbox_sender
from services.records.attachments import init_uploads
from services.records.audit import init_audit
from templating import init_templating
from views import auth, confirm, health
from views.errors import init_error_pages
from views.outage import init_outage_handling

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
    load_settings(app)
    if overrides:
        app.config.update(overrides)
    refuse_unsafe_production(app)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    init_database(app)
    login_manager.init_app(app)
    init_security(app)
    init_audit()
    init_uploads(app)
    csrf.init_app(app)
    mail.init_app(app)
    init_templating(app)
    init_access(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(confirm.bp)
    init_outbox_sender(app)
    init_outage_handling(app)
    init_error_pages(app)
    trust_proxy_headers(app)
    init_admin(app)
    commands.register(app)

    @app.route("/")
    def home():
        from flask import redirect, url_for

        return redirect(url_for("admin.index"))

    return app
