"""The emails agreement sends, written to the outbox in the caller's
transaction: the request (and its reminders) carrying the party's own link,
and the news when a record is agreed, sent back for changes or withdrawn."""
from models import User
from services.agreement.links import LINK_PLACEHOLDER
from services.mail.outbox import queue_from_template


def _about(record):
    """"Six-month review, 24 Sep 2026 – Jo Chambers", for a subject line."""
    return f"{record.title} – {record.officer.user.name}"


def queue_request(agreement, record, reminder=False):
    subject = f"{'Reminder: please' if reminder else 'Please'} agree: {_about(record)}"
    queue_from_template(
        agreement.party.email, subject, "agreement_request", agreement=agreement,
        person=agreement.party, record=record, requested_by=agreement.requested_by,
        deadline=agreement.expires_at, link=LINK_PLACEHOLDER, reminder=reminder,
    )


def queue_agreed(record, agreements, attachment):
    """Every party, and whoever sent the record, gets the PDF (when it
    could be filed)."""
    requested_by = agreements[0].requested_by if agreements else None
    recipients = _unique([agreement.party for agreement in agreements] + [requested_by])
    for person in recipients:
        queue_from_template(
            person.email, f"Agreed: {_about(record)}", "agreement_complete",
            attachment=attachment, person=person, record=record, agreements=agreements,
            filed=attachment is not None,
        )


def queue_filing_failed(record, version, error, requested_by):
    """HR, and whoever sent the record, hear that an agreed record is not on
    the personal file, and why."""
    hr = User.select().where((User.role == "hr") & (User.active == True))  # noqa: E712
    for person in _unique(list(hr) + [requested_by]):
        queue_from_template(
            person.email, f"Not filed: {_about(record)}", "agreement_not_filed",
            person=person, record=record, version=version, error=error,
        )


def queue_changes_requested(record, agreement, other_parties):
    """Everyone else involved hears what should change: the appraisers
    (who will make the changes), the officer and whoever sent it."""
    recipients = _unique(other_parties + [agreement.requested_by])
    for person in recipients:
        if person == agreement.party:
            continue
        queue_from_template(
            person.email, f"Changes requested: {_about(record)}", "agreement_changes_requested",
            person=person, record=record, asked=agreement,
        )


def queue_withdrawn(record, undecided_parties, withdrawn_by):
    for person in _unique(undecided_parties):
        queue_from_template(
            person.email, f"No longer needed: {_about(record)}", "agreement_withdrawn",
            person=person, record=record, withdrawn_by=withdrawn_by,
        )


def _unique(people):
    seen = []
    for person in people:
        if person is not None and person not in seen:
            seen.append(person)
    return seen
