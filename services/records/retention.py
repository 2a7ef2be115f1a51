"""Records are kept no longer than the law expects: RETENTION_YEARS after
an officer's leaving date, everything held about them is deleted, files
included; an attachment HR deleted goes the same number of years after
its deletion. Each purge is audited, without the person's name."""
from datetime import date, datetime, time
from typing import NamedTuple

from flask import current_app
from peewee import IntegrityError

from models import ALL_MODELS, Agreement, Attachment, Meeting, Officer, OutboxEmail, User, db
from services import clock
from services.access import policy
from services.records.audit import record_event
from services.records.storage import storage


class PurgePlan(NamedTuple):
    cutoff: date
    officers: list
    deleted_attachments: list


def retention_cutoff(today):
    """Leaving dates on or before this are past the retention period."""
    years = current_app.config["RETENTION_YEARS"]
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def plan_purge(today=None):
    cutoff = retention_cutoff(today or clock.today())
    leavers = Officer.select().where(Officer.leaving_date <= cutoff)
    deleted_attachments = Attachment.select().where(
        (Attachment.deleted_at <= datetime.combine(cutoff, time.max))
        & Attachment.officer.not_in(leavers.select(Officer.id))
    )
    return PurgePlan(cutoff, list(leavers.order_by(Officer.leaving_date)),
                     list(deleted_attachments.order_by(Attachment.deleted_at)))


def records_of(officer):
    """How many records of each kind are held about the officer."""
    counts = {}
    for model in ALL_MODELS:
        try:
            counts[model.__name__] = model.select().where(policy.belongs_to(model, [officer.id])).count()
        except LookupError:
            continue
    return counts


def purge(plan):
    """Carry out the plan. Files are removed only once the deletion of
    their rows has committed; one left behind by a crash in between is an
    orphan that `check-files` reports."""
    for officer in plan.officers:
        purge_officer(officer)
    for attachment in plan.deleted_attachments:
        with db.atomic():
            OutboxEmail.delete().where(OutboxEmail.attachment == attachment.id).execute()
            Attachment.delete().where(Attachment.id == attachment.id).execute()
            record_event("purge", model_name="Attachment", record_id=str(attachment.id),
                         changes={"deleted_at": attachment.deleted_at})
        storage().delete(attachment.stored_name)


def purge_officer(officer):
    ids = [officer.id]
    attachments = Attachment.select().where(Attachment.officer == officer)
    files = [attachment.stored_name for attachment in attachments]
    counts = records_of(officer)
    with db.atomic():
        # The emails about their agreements and documents go with them.
        agreements = Agreement.select(Agreement.id).where(policy.belongs_to(Agreement, ids))
        files_sent = attachments.select(Attachment.id)
        OutboxEmail.delete().where(
            OutboxEmail.agreement.in_(agreements) | OutboxEmail.attachment.in_(files_sent)
        ).execute()
        Meeting.update(supersedes=None).where(policy.belongs_to(Meeting, ids)).execute()
        for model in reversed(ALL_MODELS):  # children before their parents
            try:
                condition = policy.belongs_to(model, ids)
            except LookupError:
                continue
            model.delete().where(condition).execute()
        account = retire_account(officer.user_id)
        record_event("purge", model_name="Officer", record_id=str(officer.id), changes={
            "post": officer.post_title, "left_on": officer.leaving_date, "records": counts,
            "files": len(files), "account": account,
        })
    for stored_name in files:
        storage().delete(stored_name)


def retire_account(user_id):
    """Delete the officer's account, or, when the audit log or another
    record still names it, keep it disabled without their name or email."""
    try:
        with db.atomic():
            User.delete().where(User.id == user_id).execute()
        return "deleted"
    except IntegrityError:
        User.update(name=f"Former officer {user_id}", email=f"former-officer-{user_id}@purged.invalid",
                    active=False, password_hash="").where(User.id == user_id).execute()
        return "anonymised"
