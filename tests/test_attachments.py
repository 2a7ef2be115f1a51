"""Documents on an officer's file: uploaded through the admin by HR and the
officer's appraisers, checked by size, content and name before anything is
kept, downloaded only through an audited view, listed on the personal file
for exactly the people DESIGN.md allows, and deleted by HR only."""
import io
import os
import stat
import zipfile
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import pytest

from demo.seeding import DEMO_PASSWORD
from models import Attachment, AuditEvent, Meeting, Officer, User
from services.records.attachments import UploadRefused, init_uploads, sanitised_name, store_upload
from services.records.storage import path_of, storage
from tests.conftest import sign_in

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64 + b"This program"


def zip_package(parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, content in parts.items():
            package.writestr(name, content)
    return buffer.getvalue()


def ooxml(main_part_type):
    return zip_package({
        "[Content_Types].xml": f'<?xml version="1.0"?><Types><Override PartName="/main.xml" '
                               f'ContentType="{main_part_type}"/></Types>',
        "main.xml": "<document/>",
    })


def ole2(stream_name):
    directory_entry = stream_name.encode("utf-16-le").ljust(64, b"\x00")
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + directory_entry + b"\x00" * 448


def stored_files(app):
    folder = Path(app.config["UPLOAD_DIR"])
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def upload(client, token, officer, content, name, **fields):
    return client.post("/admin/attachment/new/", data={
        "csrf_token": token, "officer": officer.id, "file": (io.BytesIO(content), name), **fields,
    }, content_type="multipart/form-data")


def page(response):
    return response.get_data(as_text=True)


@pytest.fixture
def hr(client, scenario):
    return sign_in(client, scenario.hr)


# -- uploading ---------------------------------------------------------------


def test_hr_uploads_a_pdf_which_is_kept_under_a_random_name_with_its_details(app, client, scenario, hr):
    response = upload(client, hr, scenario.jce, PDF, "Signed record 2026.pdf", personal_file="y")

    assert response.status_code == 302, page(response)
    attachment = Attachment.get()
    assert (attachment.officer_id, attachment.original_name, attachment.content_type) == (
        scenario.jce.id, "Signed record 2026.pdf", "application/pdf")
    assert attachment.size == len(PDF) and attachment.personal_file
    assert attachment.uploaded_by_id == scenario.hr.id
    assert stored_files(app) == [attachment.stored_name]
    assert "Signed" not in attachment.stored_name and len(attachment.stored_name) == 40
    stored = path_of(attachment.stored_name)
    assert stored.read_bytes() == PDF
    assert stat.S_IMODE(os.stat(stored).st_mode) == 0o600
    # outside the web root: no static route serves it
    assert client.get(f"/static/{attachment.stored_name}").status_code == 404


def test_an_appraiser_uploads_onto_the_file_of_the_officer_they_appraise(client, scenario):
    meeting = Meeting.create(cycle=scenario.jce_cycle, kind="informal review", held_on="2026-06-01")
    token = sign_in(client, scenario.leader_north)

    response = upload(client, token, scenario.jce, PDF, "notes.pdf", meeting=meeting.id,
                      objective=scenario.agreed_objective.id)

    assert response.status_code == 302, page(response)
    attachment = Attachment.get()
    assert (attachment.meeting_id, attachment.objective_id) == (meeting.id, scenario.agreed_objective.id)
    assert attachment.uploaded_by_id == scenario.leader_north.id


@pytest.mark.parametrize("who,officer", [
    ("leader_north", "director"),  # appraises the JCE, not the director
    ("jce_user", "jce"),  # an officer views their own file but adds nothing to it
    ("councillor", "jce"),
])
def test_nobody_else_can_upload_and_nothing_is_kept(app, client, scenario, who, officer):
    token = sign_in(client, getattr(scenario, who))

    upload(client, token, getattr(scenario, officer), PDF, "notes.pdf")

    assert Attachment.select().count() == 0
    assert stored_files(app) == []


def test_a_meeting_of_another_officer_cannot_be_linked(app, client, scenario, hr):
    directors_meeting = Meeting.create(cycle=scenario.director_cycle, kind="informal review",
                                       held_on="2026-06-01")

    response = upload(client, hr, scenario.jce, PDF, "notes.pdf", meeting=directors_meeting.id)

    assert "not one of this officer&#39;s meetings" in page(response)
    assert Attachment.select().count() == 0 and stored_files(app) == []


@pytest.mark.parametrize("name,kept_as", [
    ("../../../etc/passwd.pdf", "passwd.pdf"),
    ("/var/www/html/shell.pdf", "shell.pdf"),
    ("C:\\Users\\hannah\\Documents\\minutes.pdf", "minutes.pdf"),
    ("minutes\x00.exe", "minutes.exe.pdf"),
    ("invoice\u202efdp.exe", "invoicefdp.exe.pdf"),  # a right-to-left override hiding ".exe"
    ("Évaluation annuelle – Zoë Ørsted.pdf", "Évaluation annuelle – Zoë Ørsted.pdf"),
    ("E\u0301valuation.pdf", "Évaluation.pdf"),  # decomposed accents are composed
    ("...", "document.pdf"),
    ("report<1>|final?.PDF", "report_1__final_.PDF"),
])
def test_file_names_are_sanitised(name, kept_as):
    from services.records.attachments import download_name
    from services.records.file_types import PDF as PDF_TYPE

    assert download_name(name, PDF_TYPE) == kept_as


def test_a_very_long_name_is_shortened_keeping_its_extension():
    from services.records.attachments import download_name
    from services.records.file_types import PDF as PDF_TYPE

    shortened = download_name("a" * 400 + ".pdf", PDF_TYPE)
    assert len(shortened) == 255 and shortened.endswith("a.pdf")


@pytest.mark.parametrize("name,kept_as", [
    ("../../secret.pdf", "secret.pdf"),
    ("/etc/cron.d/job.pdf", "job.pdf"),
    ("Zoë’s CPD certificate.pdf", "Zoë’s CPD certificate.pdf"),
])
def test_an_uploaded_files_path_is_dropped_and_nothing_lands_outside_the_upload_folder(
        app, client, scenario, hr, tmp_path, name, kept_as):
    upload(client, hr, scenario.jce, PDF, name)

    assert Attachment.get().original_name == kept_as
    assert stored_files(app) == [Attachment.get().stored_name]
    assert not (tmp_path / "secret.pdf").exists()


def test_control_characters_are_removed_from_names():
    assert sanitised_name("a\x00b\x07c\td\n.pdf") == "abcd.pdf"


ACCEPTED = [
    (PDF, "record.pdf", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "scan.png", "image/png"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40, "photo.jpg", "image/jpeg"),
    ("Notes from the review, in plain text – with a dash.\r\n".encode(), "notes.txt", "text/plain"),
    (ooxml("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
     "record.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (ooxml("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
     "figures.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (zip_package({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"}),
     "record.odt", "application/vnd.oasis.opendocument.text"),
    (zip_package({"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"}),
     "figures.ods", "application/vnd.oasis.opendocument.spreadsheet"),
    (ole2("WordDocument"), "old record.doc", "application/msword"),
    (ole2("Workbook"), "old figures.xls", "application/vnd.ms-excel"),
]


@pytest.mark.parametrize("content,name,content_type", ACCEPTED, ids=[case[1] for case in ACCEPTED])
def test_each_allowed_kind_is_recognised_by_its_content(client, scenario, hr, content, name, content_type):
    response = upload(client, hr, scenario.jce, content, name)

    assert response.status_code == 302, page(response)
    assert (Attachment.get().content_type, Attachment.get().original_name) == (content_type, name)


def test_the_type_comes_from_the_content_not_the_name(client, scenario, hr):
    upload(client, hr, scenario.jce, PDF, "minutes.docx")

    attachment = Attachment.get()
    assert attachment.content_type == "application/pdf"
    assert attachment.original_name == "minutes.docx.pdf"


REFUSED = [
    (WINDOWS_PROGRAM, "record.pdf"),
    (b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 40, "record.pdf"),
    (b"#!/bin/sh\nrm -rf /\x00\n", "notes.txt"),
    (ooxml("application/vnd.ms-word.document.macroEnabled.main+xml"), "record.docx"),
    (zip_package({"payload.exe": WINDOWS_PROGRAM}), "record.docx"),
    (ole2("MsiPatchMetadata"), "record.doc"),
    ("plain text in Latin-1: café".encode("latin-1"), "notes.txt"),
    (b"PK\x03\x04 not really a zip", "record.xlsx"),
]


@pytest.mark.parametrize("content,name", REFUSED)
def test_other_kinds_of_file_are_refused_and_nothing_is_kept(app, client, scenario, hr, content, name):
    response = upload(client, hr, scenario.jce, content, name)

    assert response.status_code == 200
    assert "This kind of file is not accepted" in page(response)
    assert Attachment.select().count() == 0
    assert stored_files(app) == []


def test_an_executable_renamed_pdf_is_refused(app, client, scenario, hr):
    response = upload(client, hr, scenario.jce, WINDOWS_PROGRAM, "minutes.pdf")

    assert "This kind of file is not accepted. Upload a PDF, Word" in page(response)
    assert Attachment.select().count() == 0 and stored_files(app) == []


def test_an_empty_file_is_refused(app, client, scenario, hr):
    response = upload(client, hr, scenario.jce, b"", "empty.pdf")

    assert "The file is empty." in page(response)
    assert Attachment.select().count() == 0 and stored_files(app) == []


def test_a_missing_file_is_asked_for(app, client, scenario, hr):
    response = client.post("/admin/attachment/new/", data={"csrf_token": hr, "officer": scenario.jce.id})

    assert "Choose the file to upload." in page(response)
    assert Attachment.select().count() == 0


class CountingBody(io.RawIOBase):
    """A request body of `size` bytes that counts how much is read of it."""

    def __init__(self, size):
        self.size, self.position, self.read_so_far = size, 0, 0

    def readable(self):
        return True

    def seekable(self):
        return True

    def seek(self, offset, whence=io.SEEK_SET):
        self.position = self.size + offset if whence == io.SEEK_END else offset
        return self.position

    def tell(self):
        return self.position

    def readinto(self, buffer):
        count = min(len(buffer), self.size - self.position)
        buffer[:count] = b"x" * count
        self.position += count
        self.read_so_far += count
        return count


def test_an_over_size_body_is_refused_before_it_is_read(app, client, scenario, hr):
    app.config["MAX_UPLOAD_MB"] = 1
    init_uploads(app)
    body = CountingBody(50 * 1024 * 1024)

    response = client.post("/admin/attachment/new/", input_stream=body,
                           content_type="multipart/form-data; boundary=xyz")

    assert response.status_code == 413
    assert "This file is too large" in page(response)
    assert body.read_so_far == 0
    assert Attachment.select().count() == 0 and stored_files(app) == []


def test_the_upload_limit_is_twenty_megabytes_unless_configured(app):
    assert app.config["MAX_UPLOAD_MB"] == 20
    assert 20 * 1024 * 1024 < app.config["MAX_CONTENT_LENGTH"] < 21 * 1024 * 1024


def test_a_file_just_over_the_limit_is_refused_with_the_limit_named(app, client, scenario, hr):
    app.config["MAX_UPLOAD_MB"] = 1
    init_uploads(app)

    response = upload(client, hr, scenario.jce, PDF + b"0" * (1024 * 1024), "big.pdf")

    assert "The file is larger than the limit of 1 MB." in page(response)
    assert Attachment.select().count() == 0 and stored_files(app) == []
    # a file of exactly the limit is fine
    exactly = PDF + b"0" * (1024 * 1024 - len(PDF))
    assert upload(client, hr, scenario.jce, exactly, "just.pdf").status_code == 302


def test_the_upload_form_states_the_limit_and_the_kinds_allowed(client, scenario, hr):
    form = page(client.get("/admin/attachment/new/"))

    assert "PDF, Word, Excel, OpenDocument text or spreadsheet, PNG, JPEG or plain text; up to 20 MB" in form
    assert 'enctype="multipart/form-data"' in form


def test_the_same_file_twice_on_one_officer_is_reported(app, client, scenario, hr):
    upload(client, hr, scenario.jce, PDF, "record.pdf")

    response = upload(client, hr, scenario.jce, PDF, "copy of record.pdf")

    assert "This file is already on Jo Chambers&#39;s file as “record.pdf”" in page(response)
    assert Attachment.select().count() == 1 and len(stored_files(app)) == 1
    # the same file on another officer's file is another document
    assert upload(client, hr, scenario.director, PDF, "record.pdf").status_code == 302
    assert Attachment.select().count() == 2


def test_a_crash_between_writing_the_file_and_committing_the_row_leaves_no_orphan(app, scenario, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Attachment, "create", crash)

    with pytest.raises(RuntimeError):
        store_upload(io.BytesIO(PDF), "record.pdf", officer=scenario.jce, uploaded_by=scenario.hr)

    assert stored_files(app) == []


def test_a_refused_upload_raises_before_anything_is_written(app, scenario):
    with pytest.raises(UploadRefused):
        store_upload(io.BytesIO(WINDOWS_PROGRAM), "x.pdf", officer=scenario.jce, uploaded_by=scenario.hr)

    assert stored_files(app) == [] and Attachment.select().count() == 0


# -- downloading --------------------------------------------------------------


@pytest.fixture
def jce_document(app, scenario):
    return store_upload(io.BytesIO(PDF), "Évaluation 2026.pdf", officer=scenario.jce,
                        uploaded_by=scenario.hr, personal_file=True)


# Who may download the JCE's document: HR, both Leaders (and the Deputy who
# supports one), the JCE themself; never the director they manage, another
# officer, a councillor or anyone not signed in.
DOWNLOADERS = {
    "hr": 200, "leader_north": 200, "leader_south": 200, "deputy_north": 200, "jce_user": 200,
    "director_user": 404, "other_director_user": 404, "councillor": 403, "anonymous": 302,
}


@pytest.mark.parametrize("who,status", DOWNLOADERS.items())
def test_a_download_by_every_role(client, scenario, jce_document, who, status):
    if who != "anonymous":
        sign_in(client, getattr(scenario, who))
    before = AuditEvent.select().where(AuditEvent.action == "view-confidential").count()

    response = client.get(f"/admin/attachment/download/?id={jce_document.id}")

    assert response.status_code == status
    downloads = AuditEvent.select().where(AuditEvent.action == "view-confidential")
    if status != 200:
        assert downloads.count() == before
        assert response.data != PDF
        return
    assert response.data == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote('Évaluation 2026.pdf')}" in disposition
    assert "no-store" in response.headers["Cache-Control"]
    event = downloads.order_by(AuditEvent.id.desc()).first()
    assert (event.model, event.record_id, event.user_id) == (
        "Attachment", str(jce_document.id), getattr(scenario, who).id)


def test_a_text_file_is_downloaded_as_text_never_shown_as_a_page(client, scenario, hr):
    upload(client, hr, scenario.jce, b"<script>alert(1)</script>\n", "notes.html")

    response = client.get(f"/admin/attachment/download/?id={Attachment.get().id}")

    assert response.headers["Content-Type"].startswith("text/plain")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Content-Disposition"] == "attachment; filename=notes.html.txt"


def test_a_document_whose_file_is_missing_is_not_found_and_not_audited(client, scenario, jce_document, hr):
    path_of(jce_document.stored_name).unlink()

    response = client.get(f"/admin/attachment/download/?id={jce_document.id}")

    assert response.status_code == 404
    assert not AuditEvent.select().where(AuditEvent.action == "view-confidential").exists()


def test_the_attachment_list_links_to_the_download(client, scenario, jce_document, hr):
    listing = page(client.get("/admin/attachment/"))

    assert f"/admin/attachment/download/?id={jce_document.id}" in listing


# -- the personal file --------------------------------------------------------


@pytest.fixture
def personal_file(app, scenario, jce_document):
    meeting = Meeting.create(cycle=scenario.jce_cycle, kind="annual agreement", held_on="2026-03-20")
    documents = {
        "agreed record": Attachment.create(
            officer=scenario.jce, meeting=meeting, original_name="Formal record, annual meeting.pdf",
            stored_name="a" * 40, content_type="application/pdf", size=2048, sha256="1" * 64,
            personal_file=True, uploaded_at=datetime(2026, 3, 27, 10)),
        "older": Attachment.create(
            officer=scenario.jce, original_name="Appointment letter.pdf", stored_name="b" * 40,
            content_type="application/pdf", size=2048, sha256="2" * 64, personal_file=True,
            uploaded_at=datetime(2024, 1, 5)),
        "not on the file": Attachment.create(
            officer=scenario.jce, original_name="Working notes.txt", stored_name="c" * 40,
            content_type="text/plain", size=20, sha256="3" * 64, uploaded_at=datetime(2026, 2, 1)),
        "deleted": Attachment.create(
            officer=scenario.jce, original_name="Withdrawn letter.pdf", stored_name="d" * 40,
            content_type="application/pdf", size=20, sha256="4" * 64, personal_file=True,
            uploaded_at=datetime(2025, 1, 1), deleted_at=datetime(2025, 2, 1)),
        "another officer's": Attachment.create(
            officer=scenario.director, original_name="Director's letter.pdf", stored_name="e" * 40,
            content_type="application/pdf", size=20, sha256="5" * 64, personal_file=True),
    }
    return documents


def test_the_personal_file_lists_its_documents_in_date_order(client, scenario, personal_file, hr):
    response = client.get(f"/admin/officer/personal-file/?id={scenario.jce.id}")

    html = page(response)
    assert response.status_code == 200
    assert "<h1 class=\"h3 mb-2\">Personal file of Jo Chambers</h1>" in html
    names = ["Appointment letter.pdf", "Formal record, annual meeting.pdf", "Évaluation 2026.pdf"]
    positions = [html.index(name) for name in names]
    assert positions == sorted(positions)
    assert "Annual agreement meeting, 20 Mar 2026" in html or "20 Mar 2026" in html
    for absent in ("Working notes.txt", "Withdrawn letter.pdf", "Director&#39;s letter.pdf"):
        assert absent not in html
    assert f"/admin/attachment/download/?id={personal_file['agreed record'].id}" in html


@pytest.mark.parametrize("who,status", DOWNLOADERS.items())
def test_the_personal_file_by_every_role(client, scenario, personal_file, who, status):
    if who != "anonymous":
        sign_in(client, getattr(scenario, who))

    response = client.get(f"/admin/officer/personal-file/?id={scenario.jce.id}")

    assert response.status_code == status
    assert ("Formal record, annual meeting.pdf" in page(response)) == (status == 200)


def test_the_officer_page_links_to_the_personal_file(client, scenario, hr):
    html = page(client.get(f"/admin/officer/details/?id={scenario.jce.id}"))

    assert f"/admin/officer/personal-file/?id={scenario.jce.id}" in html


def test_the_upload_button_shows_only_to_those_who_may_upload(client, scenario, personal_file):
    token = sign_in(client, scenario.jce_user)
    assert "Upload a document" not in page(client.get(f"/admin/officer/personal-file/?id={scenario.jce.id}"))
    client.post("/logout", data={"csrf_token": token})
    sign_in(client, scenario.leader_south)
    assert "Upload a document" in page(client.get(f"/admin/officer/personal-file/?id={scenario.jce.id}"))


# -- deleting -----------------------------------------------------------------


def test_hr_deletes_an_attachment_which_is_hidden_audited_and_kept_until_the_purge(
        app, client, scenario, jce_document, hr):
    response = client.post("/admin/attachment/delete/", data={"id": jce_document.id, "csrf_token": hr})

    assert response.status_code == 302
    kept = Attachment.get_by_id(jce_document.id)
    assert kept.deleted_at is not None
    assert path_of(kept.stored_name).read_bytes() == PDF
    assert "Évaluation 2026.pdf" not in page(client.get("/admin/attachment/"))
    assert client.get(f"/admin/attachment/download/?id={jce_document.id}").status_code == 404
    assert client.get(f"/admin/attachment/details/?id={jce_document.id}").status_code == 404
    event = AuditEvent.get((AuditEvent.action == "delete") & (AuditEvent.model == "Attachment"))
    assert (event.record_id, event.user_id) == (str(jce_document.id), scenario.hr.id)


@pytest.mark.parametrize("who", ["leader_north", "jce_user"])
def test_nobody_but_hr_may_delete_an_attachment(client, scenario, jce_document, who):
    token = sign_in(client, getattr(scenario, who))

    client.post("/admin/attachment/delete/", data={"id": jce_document.id, "csrf_token": token})

    assert Attachment.get_by_id(jce_document.id).deleted_at is None
    assert storage().open(jce_document.stored_name).read() == PDF


# -- the demonstration ----------------------------------------------------------


def test_in_the_demo_each_agreed_meeting_has_its_pdf_on_the_personal_file(demo, client):
    agreed = list(Meeting.select().where(Meeting.status == "agreed"))
    assert {meeting.kind for meeting in agreed} >= {"annual agreement"}
    for meeting in agreed:
        filed = Attachment.get((Attachment.meeting == meeting) & (Attachment.personal_file == True))  # noqa: E712
        assert filed.content_type == "application/pdf"
        assert path_of(filed.stored_name).read_bytes().startswith(b"%PDF-")
    hr = User.get(User.role == "hr")
    jce = Officer.get(Officer.statutory_role == "head of paid service")

    sign_in(client, hr, DEMO_PASSWORD)
    listing = page(client.get(f"/admin/officer/personal-file/?id={jce.id}"))
    assert "formal-record-annual-agreement-2026-03-19" in listing
