"""A subject access request (UK GDPR, article 15): everything held about
one officer in one zip file: their records as JSON and as a readable HTML
page, with every document on their file."""
import json
import os
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

from flask import render_template
from peewee import ForeignKeyField

from formatting import uk_date, uk_datetime
from models import ALL_MODELS, Attachment, AuditEvent, Officer, OutboxEmail, User, utcnow
from services.access import policy
from services.records.audit import record_event
from services.records.storage import chunks_of, storage

# Internal names and keys, which say nothing about the person.
HIDDEN_FIELDS = {"stored_name", "token_hash", "claimed_by"}


def title_of(model):
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", model.__name__).lower()
    return words[0].upper() + words[1:] + "s"


def row_values(row):
    """A row's fields by name, a related record given by what it is called."""
    values = {}
    for field in type(row)._meta.sorted_fields:
        if field.name in HIDDEN_FIELDS or field.name in row.secret_fields:
            continue
        if isinstance(field, ForeignKeyField):
            related = getattr(row, field.name) if getattr(row, field.column_name) is not None else None
            values[field.name] = None if related is None else str(related)
        else:
            values[field.name] = getattr(row, field.name)
    return values


def file_path_in_export(attachment):
    return f"files/{attachment.id}-{attachment.original_name}"


def officer_records(officer):
    """{section title: [row values]} for every kind of record the access
    policy counts as this officer's, then their account, the emails sent to
    them and what they did in Appraise."""
    sections = {}
    for model in ALL_MODELS:
        try:
            condition = policy.belongs_to(model, [officer.id])
        except LookupError:
            continue
        rows = []
        for row in model.select().where(condition).order_by(model._meta.primary_key):
            values = row_values(row)
            if isinstance(row, Attachment):
                values["file_in_this_export"] = file_path_in_export(row)
            rows.append(values)
        sections[title_of(model)] = rows
    user = User.get_by_id(officer.user_id)
    sections["Account"] = [row_values(user)]
    sections["Emails sent to them"] = [
        row_values(email) for email in
        OutboxEmail.select().where(OutboxEmail.recipient == user.email).order_by(OutboxEmail.created_at)
    ]
    sections["What they did in Appraise (audit log)"] = [
        row_values(event) for event in
        AuditEvent.select().where(AuditEvent.user == user).order_by(AuditEvent.at)
    ]
    return sections


def as_json_value(value):
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def readable(value):
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return uk_datetime(value)
    if isinstance(value, date):
        return uk_date(value)
    return str(value)


def readable_sections(sections):
    """The sections as (title, [[(label, text)]]) for the HTML page."""
    return [(title, [[(name.replace("_", " ").capitalize(), readable(value))
                      for name, value in values.items()] for values in rows])
            for title, rows in sections.items()]


def export_officer(officer_id, out_path):
    """Write the zip to `out_path` (whole or not at all) and audit it.
    Returns how many records and files it holds."""
    officer = Officer.get_by_id(officer_id)
    exported_at = utcnow()
    sections = officer_records(officer)
    attachments = Attachment.select().where(Attachment.officer == officer).order_by(Attachment.id)
    out_path = Path(out_path)
    partial = out_path.with_name(f".{out_path.name}.partial")
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("record.json", json.dumps(
                {"officer": str(officer), "exported_at": exported_at, "records": sections},
                default=as_json_value, ensure_ascii=False, indent=2,
            ))
            archive.writestr("record.html", render_template(
                "subject_access/record.html", officer=officer, exported_at=exported_at,
                sections=readable_sections(sections),
            ))
            for attachment in attachments:
                with storage().open(attachment.stored_name) as source, \
                        archive.open(file_path_in_export(attachment), "w") as target:
                    for chunk in chunks_of(source):
                        target.write(chunk)
        os.replace(partial, out_path)
    finally:
        partial.unlink(missing_ok=True)
    records = sum(len(rows) for rows in sections.values())
    record_event("export", officer, changes={"records": records, "files": len(attachments)})
    return records, len(attachments)
