"""Every text the forms accept reaches the documents made from it: a formal
record with an action or objective running to pages is agreed and filed
like any other, the Leader's report to Council prints it too, and text
stored before the input rules (control characters) still makes a Word
document, and an email about someone named with a line break is sent. If
the record cannot be filed even so, the parties' agreement stands and HR
is told."""
import io

import pytest
from docx import Document

from models import Action, Agreement, Attachment, AuditEvent, Meeting, Objective, OutboxEmail, User, utcnow
from services.agreement.links import issue_link
from services.agreement.records import MeetingRecord, ObjectivesRecord
from services.agreement.workflow import submit_for_agreement
from services.mail.outbox import send_pending
from services.records.storage import path_of
from services.year.council_report import generate, render_docx
from tests.test_agreement_flow import decide, pdf_text

# (text, a word in it, how often that word is printed)
LONG_TEXTS = {
    "thousands of words": ("Cwmbran " * 900, "Cwmbran", 900),
    "one word wider than the page": ("ŵ" * 6000, "ŵ", 6000),
    "a thousand line breaks": ("Cwmbran\n" * 1000, "Cwmbran", 1000),
}


def every_party_agrees(app, record, hr):
    submit_for_agreement(record, requested_by=hr)
    for agreement in list(Agreement.select()):
        response = decide(app, issue_link(agreement.id, utcnow()))
        assert response.status_code == 200, response.get_data(as_text=True)[-2000:]


def times_in(text, word):
    """How often `word` is in a PDF's text: a one-letter word as long as the
    page is wide is broken by the reader into lines, so count letters."""
    return text.count(word) if len(word) > 1 else text.replace(" ", "").count(word)


def times_filed(word, filed):
    return times_in(pdf_text(path_of(filed.stored_name).read_bytes()), word)


@pytest.mark.parametrize("text,word,count", LONG_TEXTS.values(), ids=LONG_TEXTS.keys())
def test_a_meeting_record_with_an_action_running_to_pages_is_agreed_and_filed(
        app, scenario, annual_meeting, text, word, count):
    Action.update(description=text).where(Action.meeting == annual_meeting).execute()

    every_party_agrees(app, MeetingRecord(annual_meeting), scenario.hr)

    assert Meeting.get_by_id(annual_meeting.id).status == "agreed"
    filed = Attachment.get(Attachment.meeting == annual_meeting)
    assert times_filed(word, filed) == 2 * count  # both actions, every word


@pytest.mark.parametrize("text,word,count", LONG_TEXTS.values(), ids=LONG_TEXTS.keys())
def test_objectives_with_a_description_running_to_pages_are_agreed_and_filed(
        app, scenario, text, word, count):
    Objective.update(description=text).where(Objective.id == scenario.draft_objective.id).execute()

    every_party_agrees(app, ObjectivesRecord(scenario.jce_cycle), scenario.hr)

    assert Objective.get_by_id(scenario.draft_objective.id).status == "agreed"
    assert times_filed(word, Attachment.get(Attachment.officer == scenario.jce)) == count


@pytest.mark.parametrize("text,word,count", LONG_TEXTS.values(), ids=LONG_TEXTS.keys())
def test_the_report_to_council_prints_a_measure_running_to_pages(scenario, text, word, count):
    Objective.update(measure=text).where(Objective.id == scenario.agreed_objective.id).execute()

    report = pdf_text(generate(scenario.north, 2026, "pdf", scenario.hr))

    assert times_in(report, word) == count


def test_the_word_report_leaves_out_control_characters_stored_before_the_rule(scenario):
    # What PostgreSQL stores; a NUL or a lone surrogate it cannot.
    Objective.update(title="Reopen\x01 the\x0b market\x1f hall\ufffe", measure="Open\x0c by September").where(
        Objective.id == scenario.agreed_objective.id).execute()

    document = Document(io.BytesIO(generate(scenario.north, 2026, "docx", scenario.hr)))

    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Reopen the market hall (serves NV1 Thriving town centres)" in cells
    assert "Open by September" in cells


def test_the_word_report_renders_every_character_xml_cannot_hold():
    unreadable = "".join(chr(c) for c in range(0x20) if c not in (9, 10, 13)) + "\ud800\udfff\ufffe\uffff"
    content = {"council": f"North{unreadable}", "year": 2026, "officers": [
        {"name": f"Jo{unreadable}", "post": unreadable, "agreed_on": None, "objectives": [
            {"category": "Personal", "title": f"Learn{unreadable} Welsh", "priority": "",
             "measure": unreadable, "target_date": None}]}]}

    document = Document(io.BytesIO(render_docx(content, utcnow().date())))

    assert "Learn Welsh" in [cell.text for cell in document.tables[0].rows[1].cells]


def test_an_agreement_stands_and_hr_is_told_when_the_record_cannot_be_filed(
        app, scenario, annual_meeting, monkeypatch, caplog):
    def disk_full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("services.agreement.workflow.file_formal_record", disk_full)

    every_party_agrees(app, MeetingRecord(annual_meeting), scenario.hr)

    assert Meeting.get_by_id(annual_meeting.id).status == "agreed"
    assert Agreement.select().where(Agreement.decision == "agreed").count() == 3
    assert not Attachment.select().exists()
    to_hr = OutboxEmail.get(OutboxEmail.subject.startswith("Not filed:"))
    assert to_hr.recipient == scenario.hr.email and "No space left on device" in to_hr.body_text
    told = OutboxEmail.select().where(OutboxEmail.subject.startswith("Agreed:"))
    assert {email.recipient for email in told} == {scenario.hr.email, scenario.jce_user.email,
                                                    scenario.leader_north.email, scenario.leader_south.email}
    assert all("could not be printed and filed" in email.body_text and email.attachment_id is None
               for email in told)
    last_to_agree = Agreement.select().order_by(Agreement.decided_at.desc(), Agreement.id.desc()).first()
    event = AuditEvent.get(AuditEvent.changes.contains("could not be filed"))
    assert (event.action, event.user_id, event.model) == ("update", last_to_agree.party_id, "Meeting")
    assert "No space left on device" in event.changes
    assert [record.name for record in caplog.records if "could not be filed" in record.getMessage()] == [
        "appraise.agreement"]


def test_every_email_about_an_officer_named_with_a_line_break_before_the_rules_is_sent(
        app, scenario, annual_meeting, mail_server):
    User.update(name="Jo\r\nChambers\u2028(JCE)").where(User.id == scenario.jce_user.id).execute()

    submit_for_agreement(MeetingRecord(Meeting.get_by_id(annual_meeting.id)), requested_by=scenario.hr)
    send_pending()

    assert not OutboxEmail.select().where(OutboxEmail.sent_at.is_null()).exists()
    subject = mail_server.only_message_to(scenario.leader_north.email)["Subject"]
    assert subject.endswith("– Jo Chambers (JCE)")
