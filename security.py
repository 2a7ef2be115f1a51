"""Session cookies, the idle timeout and the security headers every
response carries."""
import secrets
from datetime import timedelta

from flask import g, session
from flask_login import current_user

# Flask-Admin's filter menu items carry onclick="return false;": this hash
# allows exactly that handler and no other inline script.
RETURN_FALSE_HANDLER = "sha256-2rvfFrggTCtyF5WOiTri1gDS8Boibj4Njn0e+VCBmDI="


def csp_nonce():
    """One nonce per response, for the inline scripts Flask-Admin writes."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def content_security_policy():
    return "; ".join((
        "default-src 'self'",
        f"script-src 'self' 'nonce-{csp_nonce()}' 'unsafe-hashes' '{RETURN_FALSE_HANDLER}'",
        # Bootstrap and select2 set style attributes from script.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ))


def init_security(app):
    secure = app.config["BASE_URL"].startswith("https://")
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_SECURE=secure,
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=app.config["IDLE_TIMEOUT_MINUTES"]),
        # Each request pushes the expiry on, so the limit is on idle time.
        SESSION_REFRESH_EACH_REQUEST=True,
    )
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.before_request
    def keep_signed_in_sessions_expiring():
        if current_user.is_authenticated:
            session.permanent = True

    @app.after_request
    def add_security_headers(response):
        response.headers.setdefault("Content-Security-Policy", content_security_policy())
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        if secure:
            response.headers["Strict-Transport-Security"] = "max-age=31536000"
        if current_user.is_authenticated:
            # Confidential pages stay out of shared caches and the back button's memory.
            response.headers.setdefault("Cache-Control", "no-store")
        return response
