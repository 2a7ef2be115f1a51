"""Agreement links are made when their email is sent (so the token hash
starts empty), remembered reminders and closed requests; outbox emails
carry their agreement and attachment, and are claimed by one sender at a
time, with a record of when sending was given up."""
import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.drop_not_null("agreement", "token_hash")
    migrator.add_fields(
        "agreement",
        requested_by=pw.ForeignKeyField(
            column_name="requested_by_id", field="id", model=migrator.orm["user"], null=True,
            on_delete="RESTRICT",
        ),
        reminded_at=pw.DateTimeField(null=True),
        closed_at=pw.DateTimeField(null=True, index=True),
    )
    migrator.add_fields(
        "outbox_email",
        agreement=pw.ForeignKeyField(
            column_name="agreement_id", field="id", model=migrator.orm["agreement"], null=True,
            on_delete="RESTRICT",
        ),
        attachment=pw.ForeignKeyField(
            column_name="attachment_id", field="id", model=migrator.orm["attachment"], null=True,
            on_delete="RESTRICT",
        ),
        claimed_at=pw.DateTimeField(null=True),
        claimed_by=pw.CharField(max_length=32, default=""),
        gave_up_at=pw.DateTimeField(null=True, index=True),
    )


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_fields("outbox_email", "agreement", "attachment", "claimed_at", "claimed_by",
                           "gave_up_at")
    migrator.remove_fields("agreement", "requested_by", "reminded_at", "closed_at")
    migrator.add_not_null("agreement", "token_hash")
