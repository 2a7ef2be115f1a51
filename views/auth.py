"""Signing in and out."""
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from services.people import sign_in
from services.people.accounts import MAX_PASSWORD_LENGTH, SignInProblem, SignInRefused, authenticate
from views.forms import StorableText

bp = Blueprint("auth", __name__)

# The login page's status for each reason a sign-in is refused.
REFUSAL_STATUSES = {
    SignInProblem.DIRECTORY_UNAVAILABLE: 503,
    SignInProblem.NO_APPRAISE_ACCOUNT: 403,
}


class LoginForm(FlaskForm):
    email = EmailField("Email address",
                       validators=[DataRequired(), Length(max=254), StorableText(one_line=True)])
    password = PasswordField(
        "Password", validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)]
    )


def safe_next(target):
    """Only a path on this site: no scheme, no host, no protocol-relative
    `//evil.example` and no backslash tricks that browsers read as `//`."""
    if not target:
        return None
    target = target.strip()
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/"):
        return None
    if target.startswith("//") or "\\" in target:
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")) or url_for("admin.index"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        if sign_in.is_throttled(form.email.data):
            flash(f"Too many failed attempts to sign in. Please wait "
                  f"{current_app.config['LOGIN_THROTTLE_MINUTES']} minutes and try again.", "error")
            return render_template("auth/login.html", form=form), 429
        try:
            user = authenticate(form.email.data, form.password.data)
        except SignInRefused as refusal:
            flash(str(refusal), "error")
            return render_template("auth/login.html", form=form), REFUSAL_STATUSES[refusal.reason]
        if user is not None:
            login_user(user)
            sign_in.record_success(user)
            return redirect(safe_next(request.args.get("next")) or url_for("admin.index"))
        sign_in.record_failure(form.email.data)
        flash("The email address or password is not right.", "error")
        status = 401
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["GET", "POST"])
@login_required
def logout():
    """GET asks; only a POST (with its CSRF token) signs out, so a link
    planted elsewhere cannot sign anyone out."""
    if request.method == "GET":
        return render_template("auth/logout.html")
    logout_user()
    flash("You have signed out.", "info")
    return redirect(url_for("auth.login"))
