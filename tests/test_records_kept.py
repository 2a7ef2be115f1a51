"""Records kept as the law expects: a subject access export of everything
held about one officer, a purge after the retention period that spares
everyone inside it, and a check that the stored files and the attachment
rows agree."""
import io
import json
import zipfile
from datetime import date, datetime

import pytest

from models import (
    Agreement,
    Attachment,
    AuditEvent,
    Cycle,
    Meeting,
    Objective,
    Officer,
    OfficerAppraiser,
    OutboxEmail,
    User,
)
from services.records.attachments import delete_attachment, store_upload
from services.records.storage import path_of, storage

PDF = b"%PDF-1.4\n%%EOF\n"
TODAY = "2026-11-24"


@pytest.fixture
def run(app):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=list(args))


def upload(officer, by, content=PDF, name="record.pdf", **fields):
    return store_upload(io.BytesIO(content), name, officer=officer, uploaded_by=by, **fields)


# -- subject access ---------------------------------------------------------


@pytest.fixture
def jce_file(scenario, annual_meeting):
    Agreement.create(cycle=scenario.jce_cycle, meeting=annual_meeting, party=scenario.jce_user,
                     content_hash="1" * 64, token_hash="secret-token-hash".ljust(64, "0"),
                     expires_at=datetime(2026, 12, 31))
    OutboxEmail.create(recipient=scenario.jce_user.email, subject="Please agree your annual record",
                       body_text="Follow the link to agree.")
    return {
        "record": upload(scenario.jce, scenario.hr, name="Formal record – annual meeting.pdf",
                         meeting=annual_meeting, personal_file=True),
        "certificate": upload(scenario.jce, scenario.leader_north, b"CPD certificate: LGA course\n",
                              "certificate.txt"),
        "director's": upload(scenario.director, scenario.hr, b"%PDF-1.4 director\n", "director.pdf"),
    }


def test_a_subject_access_export_holds_everything_about_the_officer(run, scenario, jce_file, tmp_path):
    out = tmp_path / "sar" / "jo-chambers.zip"
    out.parent.mkdir()

    result = run("export-officer", "--officer", str(scenario.jce.id), "--out", str(out))

    assert result.exit_code == 0, result.output
    assert f"Wrote {out}:" in result.output and "2 files" in result.output
    with zipfile.ZipFile(out) as archive:
        names = set(archive.namelist())
        record = json.loads(archive.read("record.json"))
        html = archive.read("record.html").decode()
        record_file = f"files/{jce_file['record'].id}-Formal record – annual meeting.pdf"
        certificate = f"files/{jce_file['certificate'].id}-certificate.txt"
        assert names == {"record.json", "record.html", record_file, certificate}
        assert archive.read(record_file) == PDF
        assert archive.read(certificate) == b"CPD certificate: LGA course\n"

    sections = record["records"]
    assert record["officer"] == "Jo Chambers, Joint Chief Executive"
    assert [row["title"] for row in sections["Objectives"]] == [
        "Reopen the market hall", "Merge the two HR teams"]
    assert sections["Meetings"][0]["achievements"] == "The market hall business case was approved."
    assert {row["description"] for row in sections["Actions"]} == {
        "Publish the joint workforce plan", "Book the LGA Leadership Academy"}
    assert {row["user"] for row in sections["Officer appraisers"]} == {
        "Cllr Lena North", "Cllr Sam South", "Cllr Dev North"}
    assert sections["Attachments"][0]["file_in_this_export"] == record_file
    assert sections["Account"][0]["email"] == "jo.chambers@northvale.gov.uk"
    assert sections["Emails sent to them"][0]["subject"] == "Please agree your annual record"
    everything = json.dumps(record)
    for secret in ("password_hash", "$argon2", "secret-token-hash", "token_hash", "stored_name",
                   jce_file["record"].stored_name):
        assert secret not in everything
    # nothing about anyone else's file
    assert "director.pdf" not in everything and "Director of Place" not in everything

    assert "<h1>Records held about Jo Chambers, Joint Chief Executive</h1>" in html
    assert "Reopen the market hall" in html and "30 Sep 2026" in html
    assert '<html lang="en-GB">' in html

    event = AuditEvent.get(AuditEvent.action == "export")
    assert (event.model, event.record_id, event.actor) == (
        "Officer", str(scenario.jce.id), "Appraise (system)")


def test_an_export_includes_documents_deleted_but_still_held(run, scenario, jce_file, tmp_path):
    delete_attachment(jce_file["certificate"])
    out = tmp_path / "export.zip"

    run("export-officer", "--officer", str(scenario.jce.id), "--out", str(out))

    with zipfile.ZipFile(out) as archive:
        assert f"files/{jce_file['certificate'].id}-certificate.txt" in archive.namelist()
        rows = json.loads(archive.read("record.json"))["records"]["Attachments"]
    assert [row["deleted_at"] is not None for row in rows] == [False, True]


def test_an_export_of_an_unknown_officer_writes_nothing(run, scenario, tmp_path):
    out = tmp_path / "nobody.zip"

    result = run("export-officer", "--officer", "999999", "--out", str(out))

    assert result.exit_code != 0
    assert "There is no officer with id 999999." in result.output
    assert not out.exists()


# -- retention ----------------------------------------------------------------


@pytest.fixture
def leavers(scenario, annual_meeting):
    """The director left seven years ago, beyond the six kept; the other
    director two years ago, inside them; the JCE has not left."""
    scenario.director.leaving_date = date(2019, 8, 31)
    scenario.director.save()
    scenario.other_director.leaving_date = date(2024, 10, 31)
    scenario.other_director.save()
    meeting = Meeting.create(cycle=scenario.director_cycle, kind="annual agreement", held_on="2019-03-01")
    agreement = Agreement.create(cycle=scenario.director_cycle, meeting=meeting, party=scenario.director_user,
                                 content_hash="1" * 64, expires_at=datetime(2019, 4, 1))
    record = upload(scenario.director, scenario.hr, meeting=meeting, personal_file=True)
    OutboxEmail.create(recipient=scenario.jce_user.email, subject="Agreed", body_text="Agreed.",
                       agreement=agreement, attachment=record)
    Objective.create(cycle=scenario.director_cycle, category="personal", title="Director's goal")
    scenario.files = {
        "director": record,
        "other director": upload(scenario.other_director, scenario.hr, b"%PDF-1.4 other\n"),
        "jce": upload(scenario.jce, scenario.hr, b"%PDF-1.4 jce\n"),
    }
    return scenario


def counts():
    return {model.__name__: model.select().count()
            for model in (Officer, Cycle, Meeting, Objective, Attachment, Agreement, OutboxEmail, User)}


def test_a_dry_run_names_those_due_and_deletes_nothing(run, leavers):
    before = counts()

    result = run("purge", "--dry-run", "--today", TODAY)

    assert result.exit_code == 0, result.output
    assert (f"Would delete officer {leavers.director.id} (Director of Place, left 31 Aug 2019)"
            in result.output)
    assert "Director of Resources" not in result.output and "Joint Chief Executive" not in result.output
    assert ("Left on or before 24 Nov 2020: 1 officer(s) and 0 deleted attachment(s) would be purged; "
            "nothing was deleted.") in result.output
    assert counts() == before
    assert path_of(leavers.files["director"].stored_name).exists()
    assert not AuditEvent.select().where(AuditEvent.action == "purge").exists()


def test_a_purge_deletes_a_leavers_records_and_files_and_spares_those_inside_the_period(run, leavers):
    result = run("purge", "--today", TODAY)

    assert result.exit_code == 0, result.output
    assert "1 officer(s) and 0 deleted attachment(s) purged." in result.output
    assert not Officer.select().where(Officer.id == leavers.director.id).exists()
    assert not Cycle.select().where(Cycle.id == leavers.director_cycle.id).exists()
    assert not Objective.select().where(Objective.title == "Director's goal").exists()
    assert not Attachment.select().where(Attachment.officer == leavers.director.id).exists()
    assert not OutboxEmail.select().where(OutboxEmail.subject == "Agreed").exists()
    assert not path_of(leavers.files["director"].stored_name).exists()
    # their account no longer holds their name or email
    assert not User.select().where((User.name == "Dan Morris") | (User.email == "dan.morris@northvale.gov.uk")
                                   ).exists()
    # the JCE, who line-managed them, keeps their own records and account
    assert OfficerAppraiser.select().where(OfficerAppraiser.user == leavers.jce_user).count() == 0
    assert Officer.get_by_id(leavers.jce.id).user.name == "Jo Chambers"
    # inside the retention period, and not left at all: untouched
    for key, officer in (("other director", leavers.other_director), ("jce", leavers.jce)):
        assert Officer.select().where(Officer.id == officer.id).exists()
        assert path_of(leavers.files[key].stored_name).exists()
    assert Cycle.select().where(Cycle.id == leavers.jce_cycle.id).exists()

    event = AuditEvent.get(AuditEvent.action == "purge")
    assert (event.model, event.record_id, event.actor) == (
        "Officer", str(leavers.director.id), "Appraise (system)")
    changes = json.loads(event.changes)
    assert changes["files"] == 1 and changes["records"]["Objective"] == 1
    assert "Dan Morris" not in event.changes

    assert run("check-files").exit_code == 0
    assert "0 officer(s)" in run("purge", "--today", TODAY).output


def test_the_retention_period_is_configurable(app, run, leavers):
    app.config["RETENTION_YEARS"] = 10

    result = run("purge", "--today", TODAY)

    assert "Left on or before 24 Nov 2016: 0 officer(s)" in result.output
    assert Officer.select().where(Officer.id == leavers.director.id).exists()


def test_a_deleted_attachment_keeps_its_file_until_the_purge_after_the_period(app, run, scenario):
    long_ago = upload(scenario.jce, scenario.hr, b"%PDF-1.4 old\n", "old.pdf")
    recently = upload(scenario.jce, scenario.hr, b"%PDF-1.4 new\n", "new.pdf")
    delete_attachment(long_ago)
    delete_attachment(recently)
    Attachment.update(deleted_at=datetime(2019, 1, 1)).where(Attachment.id == long_ago.id).execute()

    result = run("purge", "--today", TODAY)

    assert f"Deleting attachment {long_ago.id}, deleted 1 Jan 2019." in result.output
    assert not Attachment.select().where(Attachment.id == long_ago.id).exists()
    assert not path_of(long_ago.stored_name).exists()
    assert path_of(recently.stored_name).exists()
    assert Attachment.get_by_id(recently.id).deleted_at is not None


# -- files and rows agree -------------------------------------------------------


def test_check_files_reports_orphans_and_missing_files(run, scenario):
    kept = upload(scenario.jce, scenario.hr)
    lost = upload(scenario.jce, scenario.hr, b"%PDF-1.4 lost\n", "lost.pdf")
    path_of(lost.stored_name).unlink()
    # a crash after the file was written and before its row committed
    orphan = storage().save([b"%PDF-1.4 orphan\n"]).stored_name

    result = run("check-files")

    assert result.exit_code == 1
    assert f"Orphan file (no attachment refers to it): {orphan}" in result.output
    assert f"Missing file for attachment {lost.id} “lost.pdf” (officer {scenario.jce.id})" in result.output
    assert kept.stored_name not in result.output
    assert "1 orphan(s), 1 missing file(s)." in result.output


def test_check_files_is_quiet_when_all_is_well(run, scenario):
    upload(scenario.jce, scenario.hr)

    result = run("check-files")

    assert result.exit_code == 0
    assert result.output.strip() == "0 orphan(s), 0 missing file(s)."
