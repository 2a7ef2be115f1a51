"""The links in agreement emails. A token is 32 random bytes, made as the
email goes out and put straight into it; the database keeps only its
SHA-256, so neither a copy of the database nor the outbox holds a link
that works. Each new email for an agreement replaces the earlier link."""
import hashlib
import secrets

from flask import current_app
from peewee import JOIN, fn

from models import Agreement, Cycle, Meeting, Officer, User

# Stands for the link in a queued email's text until the email is sent.
LINK_PLACEHOLDER = "[[confirmation link]]"
TOKEN_BYTES = 32
# token_urlsafe(32) is 43 characters; anything much longer is not ours.
MAX_TOKEN_LENGTH = 100


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def find_agreement(token):
    """The agreement a token stands for, or None. It comes in one query with
    what its page and its checks read: the meeting (if it is a meeting's
    record), the record's cycle, its officer and their account, the party
    and whoever asked for the agreement."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    officer_user, party, requested_by = User.alias(), User.alias(), User.alias()
    # Of the people, what is shown and checked: not their password hashes.
    people = [column for person in (officer_user, party, requested_by)
              for column in (person.id, person.name, person.email, person.role, person.active)]
    agreement = (
        Agreement.select(Agreement, Meeting, Cycle, Officer, *people)
        .join(Meeting, JOIN.LEFT_OUTER, on=(Agreement.meeting == Meeting.id), attr="meeting")
        # The record's cycle: the meeting's, or for a set of objectives the agreement's.
        .switch(Agreement)
        .join(Cycle, on=(Cycle.id == fn.COALESCE(Meeting.cycle, Agreement.cycle)), attr="record_cycle")
        .join(Officer, on=(Cycle.officer == Officer.id), attr="officer")
        .join(officer_user, on=(Officer.user == officer_user.id), attr="user")
        .switch(Agreement)
        .join(party, on=(Agreement.party == party.id), attr="party")
        .switch(Agreement)
        .join(requested_by, JOIN.LEFT_OUTER, on=(Agreement.requested_by == requested_by.id),
              attr="requested_by")
        .where(Agreement.token_hash == token_hash(token))
        .first()
    )
    if agreement is not None:
        cycle = agreement.__dict__.pop("record_cycle")
        holder = agreement.meeting if agreement.meeting_id else agreement
        if holder.cycle_id == cycle.id:
            holder.cycle = cycle
            holder._dirty.discard("cycle")
    return agreement


def confirmation_url(token):
    return f"{current_app.config['BASE_URL'].rstrip('/')}/confirm/{token}"


def issue_link(agreement_id, now):
    """A new link for an agreement that is still open, replacing any earlier
    one; None once it has been decided, closed or has expired."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    issued = Agreement.update(token_hash=token_hash(token), sent_at=now).where(
        (Agreement.id == agreement_id)
        & Agreement.awaiting_decision()
        & (Agreement.expires_at > now)
    ).execute()
    return confirmation_url(token) if issued else None
