"""The links in agreement emails. A token is 32 random bytes, made as the
email goes out and put straight into it; the database keeps only its
SHA-256, so neither a copy of the database nor the outbox holds a link
that works. Each new email for an agreement replaces the earlier link."""
import hashlib
import secrets

from flask import current_app

from models import Agreement

# Stands for the link in a queued email's text until the email is sent.
LINK_PLACEHOLDER = "[[confirmation link]]"
TOKEN_BYTES = 32
# token_urlsafe(32) is 43 characters; anything much longer is not ours.
MAX_TOKEN_LENGTH = 100


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def find_agreement(token):
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return Agreement.get_or_none(Agreement.token_hash == token_hash(token))


def confirmation_url(token):
    return f"{current_app.config['BASE_URL'].rstrip('/')}/confirm/{token}"


def issue_link(agreement_id, now):
    """A new link for an agreement that is still open, replacing any earlier
    one; None once it has been decided, closed or has expired."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    issued = Agreement.update(token_hash=token_hash(token), sent_at=now).where(
        (Agreement.id == agreement_id)
        & Agreement.decided_at.is_null()
        & Agreement.closed_at.is_null()
        & (Agreement.expires_at > now)
    ).execute()
    return confirmation_url(token) if issued else None
