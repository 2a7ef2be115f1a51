"""The formal record PDF prints every name and sign as written."""
from models import Agreement, Attachment, Meeting, utcnow
from services.agreement.links import issue_link
from services.agreement.records import MeetingRecord
from services.agreement.workflow import decide, submit_for_agreement
from services.records.storage import path_of
from tests.test_agreement_flow import pdf_text


def test_the_formal_record_prints_welsh_names_pound_signs_and_dashes(scenario, annual_meeting):
    scenario.leader_north.name = "Cllr Siân Llŷr"
    scenario.leader_north.save()
    Meeting.update(achievements="Savings of £2.3m – a year early – and “good” feedback.").where(
        Meeting.id == annual_meeting.id).execute()
    submit_for_agreement(MeetingRecord(Meeting.get_by_id(annual_meeting.id)), requested_by=scenario.hr)

    for agreement in Agreement.select():
        token = issue_link(agreement.id, utcnow()).rsplit("/", 1)[1]
        decide(token, "agree", "", "192.0.2.10")

    text = pdf_text(path_of(Attachment.get().stored_name).read_bytes())
    assert "Savings of £2.3m – a year early – and “good” feedback." in text
    assert "Cllr Siân Llŷr" in text
