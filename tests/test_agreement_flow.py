"""Agreement end to end, through a real SMTP server on localhost: HR sends
a record for agreement, each party gets a real email, follows the link in
it, reads exactly the version to agree and agrees; the record is then
locked, printed to a PDF on the officer's personal file, and everyone is
sent a copy."""
import hashlib
import io
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
from pypdf import PdfReader

from models import (
    Action,
    Agreement,
    Assessment,
    Attachment,
    AuditEvent,
    DevelopmentNeed,
    Meeting,
    MeetingAttendee,
    Objective,
    OfficerAppraiser,
    OutboxEmail,
    Step,
    TimetableStep,
    User,
)
from services.agreement.links import LINK_PLACEHOLDER
from services.agreement.records import MeetingRecord
from services.agreement.workflow import (
    AgreementError,
    is_locked,
    start_correction,
    submit_for_agreement,
    withdraw,
)
from services.mail.outbox import send_pending
from services.records.storage import path_of
from tests.conftest import csrf_token_from, sign_in
from tests.mailserver import attachments_of, html_of, link_in, text_of


def pdf_text(data):
    """The PDF's words, in order, one space apart (lines wrap where they will)."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def press(client, token, url, record_id):
    return client.post(url, data={"id": record_id, "csrf_token": token}, follow_redirects=True)


def decide(app, link, decision="agree", comment=""):
    """A party's own browser: open the link, then send the decision."""
    browser = app.test_client()
    path = urlsplit(link).path
    page = browser.get(path)
    assert page.status_code == 200, page.get_data(as_text=True)
    return browser.post(path, data={"decision": decision, "comment": comment,
                                    "csrf_token": csrf_token_from(page)})


def test_parties_agree_a_meeting_record_from_emailed_links_and_it_is_locked_and_filed(
    app, client, scenario, annual_meeting, mail_server
):
    Assessment.create(objective=scenario.agreed_objective, meeting=annual_meeting, rating="on track",
                      evidence="Confidential evidence about the market hall")
    token = sign_in(client, scenario.hr)
    details = client.get(f"/admin/meeting/details/?id={annual_meeting.id}").get_data(as_text=True)
    assert "Submit for agreement" in details

    page = press(client, token, "/admin/meeting/send-for-agreement/", annual_meeting.id)

    assert "Sent for agreement" in page.get_data(as_text=True)
    assert Meeting.get_by_id(annual_meeting.id).status == "awaiting agreement"
    parties = {agreement.party for agreement in Agreement.select()}
    # the officer and both Leaders; the supporting Deputy Leader is not asked
    assert parties == {scenario.jce_user, scenario.leader_north, scenario.leader_south}
    queued = list(OutboxEmail.select())
    assert {email.recipient for email in queued} == {party.email for party in parties}
    assert all(LINK_PLACEHOLDER in email.body_text and "/confirm/" not in email.body_text
               for email in queued), "the outbox never holds a working link"

    assert send_pending().sent == 3

    links = {}
    for party in parties:
        message = mail_server.only_message_to(party.email)
        assert message["Subject"] == "Please agree: Annual performance agreement, 20 Mar 2026 – Jo Chambers"
        body = text_of(message)
        assert f"Dear {party.name}," in body
        assert ("Hannah Reed has asked you to agree the record of the annual performance agreement "
                "held on 20 Mar 2026 for Jo Chambers, Joint Chief Executive.") in body
        agreement = Agreement.get(Agreement.party == party)
        deadline = f"{agreement.expires_at.day} {agreement.expires_at:%b %Y}"
        assert f"by {deadline}" in body and f"by <strong>{deadline}</strong>" in html_of(message)
        links[party] = link_in(message)
        token_in_link = links[party].rsplit("/", 1)[1]
        assert len(token_in_link) >= 43  # 32 random bytes
        assert agreement.token_hash == hashlib.sha256(token_in_link.encode()).hexdigest()

    page = app.test_client().get(urlsplit(links[scenario.leader_north]).path)
    shown = page.get_data(as_text=True)
    for expected in ("1. Role of the officer", "Head of paid service for both councils.",
                     "5. Developmental needs", "Leading through political change: LGA course.",
                     "Reopen the market hall", "Open by 30 Sep 2026", "Publish the joint workforce plan"):
        assert expected in shown
    assert "Confidential evidence" not in shown  # nothing else of the officer's file

    assert "Everyone has now agreed" not in decide(app, links[scenario.jce_user]).get_data(as_text=True)
    decide(app, links[scenario.leader_north])
    assert Meeting.get_by_id(annual_meeting.id).status == "awaiting agreement"
    last = decide(app, links[scenario.leader_south])

    assert last.status_code == 200
    assert "Everyone has now agreed it" in last.get_data(as_text=True)
    meeting = Meeting.get_by_id(annual_meeting.id)
    assert meeting.status == "agreed" and is_locked(meeting)
    assert client.get(f"/admin/meeting/edit/?id={meeting.id}").status_code == 403
    action = Action.get(Action.meeting == meeting)
    assert is_locked(action) and client.get(f"/admin/action/edit/?id={action.id}").status_code == 403

    filed = Attachment.get(Attachment.meeting == meeting)
    assert filed.personal_file and filed.officer_id == scenario.jce.id
    assert filed.original_name == "formal-record-annual-agreement-2026-03-20-v1.pdf"
    stored = path_of(filed.stored_name).read_bytes()
    assert hashlib.sha256(stored).hexdigest() == filed.sha256 and len(stored) == filed.size
    text = pdf_text(stored)
    for expected in ("North Vale District Council and South Downs Borough Council",
                     "Formal record: Annual performance agreement, 20 Mar 2026",
                     "Jo Chambers, Joint Chief Executive", "1. Role of the officer",
                     "Head of paid service for both councils.", "4. Key issues anticipated",
                     "Reopen the market hall", "Open by 30 Sep 2026", "Publish the joint workforce plan",
                     "Cllr Lena North", "Leader (NVDC)", "Cllr Sam South", "Leader (SDBC)", "Officer"):
        assert expected in text, expected
    assert text.count("Agreed") >= 3
    assert "Cllr Dev North" not in text and "Confidential evidence" not in text

    events = list(AuditEvent.select().where(AuditEvent.action == "agree"))
    assert {event.user_id for event in events} == {party.id for party in parties}
    assert all(event.ip == "127.0.0.1" and event.model == "Meeting" for event in events)

    assert send_pending().sent == 4  # the three parties and HR, who sent it
    for person in (*parties, scenario.hr):
        message = mail_server.messages_to(person.email)[-1]
        assert message["Subject"].startswith("Agreed: ")
        assert "Everyone has now agreed" in text_of(message)
        assert "Jo Chambers" in pdf_text(attachments_of(message)[filed.original_name])


def test_a_cycles_objectives_are_agreed_as_one_set(app, client, scenario, mail_server):
    token = sign_in(client, scenario.hr)

    press(client, token, "/admin/cycle/send-for-agreement/", scenario.jce_cycle.id)
    send_pending()

    draft = Objective.get_by_id(scenario.draft_objective.id)
    assert is_locked(draft), "objectives out for agreement cannot be edited"
    assert client.get(f"/admin/objective/edit/?id={draft.id}").status_code == 403
    links = [link_in(mail_server.only_message_to(party.email))
             for party in (scenario.jce_user, scenario.leader_north, scenario.leader_south)]
    shown = app.test_client().get(urlsplit(links[0]).path).get_data(as_text=True)
    assert "Merge the two HR teams" in shown and "Reopen the market hall" in shown
    assert "Role of the officer" not in shown
    for link in links:
        decide(app, link)

    assert Objective.get_by_id(draft.id).status == "agreed"
    assert not is_locked(Objective.get_by_id(draft.id))
    agreed_step = Step.select().join(TimetableStep).where(
        (Step.cycle == scenario.jce_cycle) & (TimetableStep.completed_by == "objectives agreed")).get()
    assert agreed_step.done_on is not None and agreed_step.note == "Objectives agreed by every party."
    filed = Attachment.get(Attachment.officer == scenario.jce)
    assert filed.original_name == "agreed-objectives-2026.pdf" and filed.meeting_id is None
    text = pdf_text(path_of(filed.stored_name).read_bytes())
    assert "Formal record: Objectives for 2026" in text
    assert "Merge the two HR teams" in text and "Collaboration" in text
    cycle_page = client.get(f"/admin/cycle/details/?id={scenario.jce_cycle.id}").get_data(as_text=True)
    assert "They are <strong>agreed</strong>" in cycle_page


def test_meetings_are_sent_for_agreement_from_the_list_too(client, scenario, annual_meeting):
    draft = Meeting.create(cycle=scenario.director_cycle, kind="informal review", held_on="2026-05-01",
                           outcomes="Objectives still relevant.")
    token = sign_in(client, scenario.hr)

    page = client.post("/admin/meeting/action/", data={
        "action": "send_for_agreement", "rowid": [annual_meeting.id, draft.id], "csrf_token": token,
    }, follow_redirects=True)

    assert "2 sent for agreement" in page.get_data(as_text=True)
    assert {meeting.status for meeting in Meeting.select()} == {"awaiting agreement"}
    # the director agrees with their line manager, the Joint Chief Executive
    assert {agreement.party for agreement in draft.agreements} == {scenario.director_user, scenario.jce_user}


def test_a_leader_sends_the_objectives_of_the_officer_they_appraise_for_agreement(client, scenario):
    token = sign_in(client, scenario.leader_north)
    details = client.get(f"/admin/cycle/details/?id={scenario.jce_cycle.id}").get_data(as_text=True)
    assert "Submit objectives for agreement" in details

    press(client, token, "/admin/cycle/send-for-agreement/", scenario.jce_cycle.id)

    assert {agreement.requested_by for agreement in Agreement.select()} == {scenario.leader_north}
    assert Agreement.select().count() == 3


def test_a_record_is_not_sent_while_a_council_served_has_no_leader(client, scenario, annual_meeting):
    OfficerAppraiser.delete().where(OfficerAppraiser.user == scenario.leader_south).execute()
    token = sign_in(client, scenario.hr)

    page = press(client, token, "/admin/meeting/send-for-agreement/", annual_meeting.id)

    assert ("No Leader is recorded for South Downs Borough Council, which Jo Chambers serves."
            in page.get_data(as_text=True))
    assert Meeting.get_by_id(annual_meeting.id).status == "draft"
    assert Agreement.select().count() == 0 and OutboxEmail.select().count() == 0


def test_a_formal_record_needs_all_five_headings_before_it_is_sent(client, scenario, annual_meeting):
    Meeting.update(improvements="  ").where(Meeting.id == annual_meeting.id).execute()
    token = sign_in(client, scenario.hr)

    page = press(client, token, "/admin/meeting/send-for-agreement/", annual_meeting.id)

    assert "Fill in: What could be improved." in page.get_data(as_text=True)
    assert Agreement.select().count() == 0 and OutboxEmail.select().count() == 0


def test_someone_unrelated_to_the_officer_cannot_send_their_record(client, scenario, annual_meeting):
    token = sign_in(client, scenario.other_director_user)

    response = client.post("/admin/meeting/send-for-agreement/",
                           data={"id": annual_meeting.id, "csrf_token": token})

    assert response.status_code in (403, 404)
    assert Agreement.select().count() == 0


def test_taking_a_record_back_stops_its_links_and_tells_those_yet_to_decide(
    app, client, scenario, annual_meeting, mail_server
):
    token = sign_in(client, scenario.hr)
    press(client, token, "/admin/meeting/send-for-agreement/", annual_meeting.id)
    send_pending()
    decide(app, link_in(mail_server.only_message_to(scenario.jce_user.email)))

    page = press(client, token, "/admin/meeting/withdraw-from-agreement/", annual_meeting.id)

    assert "Taken back from agreement" in page.get_data(as_text=True)
    assert Meeting.get_by_id(annual_meeting.id).status == "draft"
    refused = app.test_client().get(urlsplit(link_in(mail_server.only_message_to(
        scenario.leader_north.email))).path)
    assert refused.status_code == 410
    send_pending()
    told = {message["To"] for message in mail_server.messages if message["Subject"].startswith("No longer")}
    assert told == {scenario.leader_north.email, scenario.leader_south.email}


def test_an_agreed_record_is_corrected_by_a_new_version_agreed_again(
    app, client, scenario, annual_meeting, mail_server
):
    token = sign_in(client, scenario.hr)
    press(client, token, "/admin/meeting/send-for-agreement/", annual_meeting.id)
    send_pending()
    for party in (scenario.jce_user, scenario.leader_north, scenario.leader_south):
        decide(app, link_in(mail_server.only_message_to(party.email)))

    press(client, token, "/admin/meeting/correct/", annual_meeting.id)

    correction = Meeting.get(Meeting.supersedes == annual_meeting)
    assert (correction.version, correction.status) == (2, "draft")
    assert correction.key_issues == annual_meeting.key_issues
    assert Action.select().where(Action.meeting == correction).count() == 2
    assert MeetingAttendee.select().where(MeetingAttendee.meeting == correction).count() == 3
    assert not is_locked(correction)
    assert Meeting.get_by_id(annual_meeting.id).status == "agreed"


def test_sending_taking_back_and_deciding_are_recorded_at_the_time_given(scenario, annual_meeting):
    sent_at = datetime(2026, 3, 21, 9, 0)
    agreements = submit_for_agreement(MeetingRecord(annual_meeting), requested_by=scenario.hr, now=sent_at)
    assert {(agreement.sent_at, agreement.expires_at) for agreement in agreements} == {
        (sent_at, sent_at + timedelta(days=14))}

    taken_back_at = datetime(2026, 3, 22, 9, 0)
    withdraw(MeetingRecord(Meeting.get_by_id(annual_meeting.id)), scenario.hr, now=taken_back_at)

    assert {agreement.closed_at for agreement in Agreement.select()} == {taken_back_at}


def test_an_officer_whose_account_is_off_or_who_has_nobody_to_agree_with_is_not_sent_for_agreement(
    scenario, annual_meeting
):
    User.update(active=False).where(User.id == scenario.jce_user.id).execute()
    OfficerAppraiser.delete().where(OfficerAppraiser.officer == scenario.jce).execute()

    with pytest.raises(AgreementError) as refusal:
        submit_for_agreement(MeetingRecord(Meeting.get_by_id(annual_meeting.id)), requested_by=scenario.hr)

    assert str(refusal.value) == ("Jo Chambers's account is switched off, so they cannot agree the record. "
                                  "Nobody is recorded as Jo Chambers's Leader or line manager.")
    assert Agreement.select().count() == 0 and OutboxEmail.select().count() == 0


def test_objectives_changed_after_they_were_agreed_are_agreed_afresh_by_everyone(
    app, client, scenario, mail_server
):
    token = sign_in(client, scenario.hr)
    press(client, token, "/admin/cycle/send-for-agreement/", scenario.jce_cycle.id)
    send_pending()
    for party in (scenario.jce_user, scenario.leader_north, scenario.leader_south):
        decide(app, link_in(mail_server.only_message_to(party.email)))
    Objective.create(cycle=scenario.jce_cycle, category="personal", title="Learn Welsh", status="draft")

    press(client, token, "/admin/cycle/send-for-agreement/", scenario.jce_cycle.id)
    send_pending()
    decide(app, link_in(mail_server.messages_to(scenario.jce_user.email)[-1]))

    assert is_locked(Objective.get(Objective.title == "Learn Welsh")), "still awaiting both Leaders"
    assert Agreement.select().where(Agreement.closed_at.is_null()).count() == 3


def test_a_correction_copies_each_attendee_and_action_and_only_an_agreed_record_is_corrected_once(
    scenario, annual_meeting
):
    Action.update(done=True).where(Action.description == "Book the LGA Leadership Academy").execute()
    with pytest.raises(AgreementError, match="Only an agreed record is corrected"):
        start_correction(annual_meeting)
    Meeting.update(status="agreed").where(Meeting.id == annual_meeting.id).execute()
    agreed = Meeting.get_by_id(annual_meeting.id)

    correction = start_correction(agreed)

    def copied(meeting):
        return (sorted((action.description, action.owner_id, action.due_date, action.done)
                       for action in meeting.actions),
                sorted(link.user_id for link in meeting.attendee_links))
    assert copied(correction) == copied(agreed)
    assert (correction.supersedes_id, correction.version) == (agreed.id, 2)
    with pytest.raises(AgreementError, match="Version 2 of this record has already been started"):
        start_correction(agreed)


def test_a_record_is_sent_and_taken_back_as_it_stands_then_not_as_it_was_when_opened(
    scenario, annual_meeting
):
    opened_before_it_was_sent = MeetingRecord(Meeting.get_by_id(annual_meeting.id))
    submit_for_agreement(MeetingRecord(Meeting.get_by_id(annual_meeting.id)), requested_by=scenario.hr)

    withdraw(opened_before_it_was_sent, scenario.hr)

    assert Meeting.get_by_id(annual_meeting.id).status == "draft"
    opened = MeetingRecord(Meeting.get_by_id(annual_meeting.id))
    # Meanwhile someone else clears a heading.
    Meeting.update(improvements="").where(Meeting.id == annual_meeting.id).execute()
    with pytest.raises(AgreementError, match="Fill in: What could be improved"):
        submit_for_agreement(opened, requested_by=scenario.hr)


def test_a_party_who_agreed_and_then_stopped_being_one_is_on_the_filed_record_without_a_role(
    app, scenario, annual_meeting, links
):
    decide(app, links[scenario.leader_south])
    OfficerAppraiser.delete().where(OfficerAppraiser.user == scenario.leader_south).execute()
    for party in (scenario.jce_user, scenario.leader_north):
        decide(app, links[party])

    filed = Attachment.get(Attachment.meeting == annual_meeting)
    text = pdf_text(path_of(filed.stored_name).read_bytes())
    assert "Jo Chambers Officer Agreed" in text and "Cllr Lena North Leader (NVDC) Agreed" in text
    assert "Cllr Sam South Agreed" in text


def test_each_active_party_is_asked_once_and_a_switched_off_appraiser_not_at_all(scenario):
    switched_off = User.create(name="Former Manager", email="former@northvale.gov.uk", password_hash="!",
                               active=False)
    OfficerAppraiser.create(officer=scenario.director, user=switched_off, capacity="line manager")
    # recorded, by mistake, as their own line manager too
    OfficerAppraiser.create(officer=scenario.director, user=scenario.director_user, capacity="line manager")
    meeting = Meeting.create(cycle=scenario.director_cycle, kind="informal review", held_on="2026-05-01",
                             outcomes="Objectives still relevant.")

    agreements = submit_for_agreement(MeetingRecord(meeting), requested_by=scenario.hr)

    assert sorted(agreement.party.name for agreement in agreements) == ["Dan Morris", "Jo Chambers"]


def test_records_that_agreement_never_locks_are_not_locked(scenario, annual_meeting):
    draft_action = Action.get(Action.meeting == annual_meeting)
    assert is_locked(draft_action) is False, "a draft meeting's actions can be edited"
    Meeting.update(status="agreed").where(Meeting.id == annual_meeting.id).execute()

    for record in (DevelopmentNeed.create(cycle=scenario.jce_cycle, need="Commercial awareness"),
                   Step.select().where(Step.cycle == scenario.jce_cycle).get()):
        assert is_locked(record) is False
