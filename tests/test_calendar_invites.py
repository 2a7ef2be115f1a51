"""Scheduling a meeting emails each attendee an iCalendar invitation;
moving it sends an update with SEQUENCE one higher, cancelling it a
CANCEL. The .ics arrives through a real SMTP server and is read back."""
from datetime import date, datetime, time, timedelta

import pytest
from icalendar import Calendar

from formatting import uk_date
from models import CalendarInvitation, Meeting, MeetingAttendee, OutboxEmail
from services.mail.calendar_invites import CancellationError, cancel_meeting, sync_invitations
from services.mail.outbox import send_pending
from tests.conftest import TODAY, sign_in
from tests.mailserver import text_of

LONDON_TZ = "Europe/London"
# Invitations are for meetings still to come.
COMING = TODAY.date() + timedelta(days=60)


def calendar_in(message):
    """The invitation attached to an email, parsed, and its content type."""
    part = next(part for part in message.iter_attachments() if part.get_content_type() == "text/calendar")
    return Calendar.from_ical(part.get_payload(decode=True)), part


def event_of(calendar):
    return next(iter(calendar.walk("VEVENT")))


@pytest.fixture
def scheduled(scenario, annual_meeting):
    annual_meeting.held_on, annual_meeting.start_time = COMING, time(14, 30)
    annual_meeting.duration_minutes = 90
    annual_meeting.save()
    return annual_meeting


def test_scheduling_a_meeting_invites_every_attendee(scenario, scheduled, mail_server):
    assert sync_invitations(scheduled) == 3
    assert send_pending().sent == 3

    message = mail_server.only_message_to(scenario.leader_north.email)
    assert message["Subject"] == "Invitation: Annual performance agreement – Jo Chambers"
    assert f"{uk_date(COMING)}, 14:30 to 16:00, Council Chamber, North Vale." in text_of(message)
    calendar, part = calendar_in(message)
    assert part.get_param("method") == "REQUEST"
    event = event_of(calendar)
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == f"meeting-{scheduled.id}@127.0.0.1"
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART").replace(tzinfo=None) == datetime.combine(COMING, time(14, 30))
    assert str(event.decoded("DTSTART").tzinfo) == LONDON_TZ
    assert event.decoded("DTEND").hour == 16
    assert str(event["LOCATION"]) == "Council Chamber, North Vale"
    assert str(event["SUMMARY"]) == "Annual performance agreement: Jo Chambers"
    assert str(event["ATTENDEE"]) == f"mailto:{scenario.leader_north.email}"
    assert any(component.name == "VTIMEZONE" for component in calendar.walk())
    # the record's contents are not for calendars
    assert "market hall" not in calendar.to_ical().decode()


def test_saving_without_a_change_sends_nothing(scheduled):
    sync_invitations(scheduled)
    scheduled.outcomes = "Changed outcomes, same time and place"
    scheduled.save()
    assert sync_invitations(scheduled) == 0
    assert OutboxEmail.select().count() == 3


def test_rescheduling_sends_an_update_with_the_next_sequence(scenario, scheduled, mail_server):
    sync_invitations(scheduled)
    scheduled.held_on, scheduled.start_time = COMING + timedelta(days=7), time(10, 0)
    scheduled.save()

    assert sync_invitations(scheduled) == 3
    send_pending()

    update = mail_server.messages_to(scenario.jce_user.email)[-1]
    assert update["Subject"] == "Updated invitation: Annual performance agreement – Jo Chambers"
    event = event_of(calendar_in(update)[0])
    assert event["SEQUENCE"] == 1
    moved_to = datetime.combine(COMING + timedelta(days=7), time(10))
    assert event.decoded("DTSTART").replace(tzinfo=None) == moved_to
    assert str(event["UID"]) == f"meeting-{scheduled.id}@127.0.0.1"


def test_cancelling_sends_a_cancellation_to_everyone_invited(scenario, scheduled, mail_server):
    sync_invitations(scheduled)

    assert cancel_meeting(scheduled) == 3
    send_pending()

    cancellation = mail_server.messages_to(scenario.leader_south.email)[-1]
    calendar, part = calendar_in(cancellation)
    assert part.get_param("method") == "CANCEL"
    assert calendar["METHOD"] == "CANCEL"
    event = event_of(calendar)
    assert event["SEQUENCE"] == 1 and str(event["STATUS"]) == "CANCELLED"
    assert Meeting.get_by_id(scheduled.id).status == "cancelled"
    assert sync_invitations(Meeting.get_by_id(scheduled.id)) == 0  # nothing more to say


def test_someone_taken_off_the_attendees_is_sent_a_cancellation(scenario, scheduled, mail_server):
    sync_invitations(scheduled)
    MeetingAttendee.delete().where(MeetingAttendee.user == scenario.leader_south).execute()

    assert sync_invitations(scheduled) == 1
    send_pending()

    calendar, _part = calendar_in(mail_server.messages_to(scenario.leader_south.email)[-1])
    assert calendar["METHOD"] == "CANCEL"
    assert "you are no longer one of its attendees" in text_of(mail_server.messages_to(
        scenario.leader_south.email)[-1])


def test_a_meeting_without_a_start_time_sends_no_invitation(annual_meeting):
    assert sync_invitations(annual_meeting) == 0
    assert not CalendarInvitation.select().exists()


def test_a_meeting_recorded_after_it_was_held_sends_no_invitation(scheduled):
    scheduled.held_on = date.today() - timedelta(days=7)
    scheduled.save()
    assert sync_invitations(scheduled) == 0
    assert not CalendarInvitation.select().exists() and not OutboxEmail.select().exists()


def test_once_a_meeting_has_been_held_changing_it_sends_nothing(scenario, scheduled):
    assert sync_invitations(scheduled) == 3
    afterwards = datetime.combine(COMING + timedelta(days=1), time(9))
    MeetingAttendee.delete().where(MeetingAttendee.user == scenario.leader_south).execute()
    scheduled.location = "Committee Room 1"
    scheduled.save()
    assert sync_invitations(scheduled, now=afterwards) == 0
    assert OutboxEmail.select().count() == 3


def test_a_past_meeting_moved_to_a_coming_day_is_sent_as_an_update(scenario, scheduled):
    assert sync_invitations(scheduled) == 3
    afterwards = datetime.combine(COMING + timedelta(days=1), time(9))
    scheduled.held_on = COMING + timedelta(days=14)
    scheduled.save()
    assert sync_invitations(scheduled, now=afterwards) == 3
    assert OutboxEmail.select().where(OutboxEmail.subject.startswith("Updated invitation")).count() == 3


def test_an_agreed_meeting_cannot_be_cancelled(scheduled):
    Meeting.update(status="agreed").where(Meeting.id == scheduled.id).execute()
    with pytest.raises(CancellationError, match="only a meeting whose record is still a draft"):
        cancel_meeting(Meeting.get_by_id(scheduled.id))


def test_hr_cancels_a_meeting_from_its_page(client, scenario, scheduled):
    sync_invitations(scheduled)
    token = sign_in(client, scenario.hr)
    details = client.get(f"/admin/meeting/details/?id={scheduled.id}").get_data(as_text=True)
    assert "Cancel the meeting" in details

    page = client.post("/admin/meeting/cancel/", data={"id": scheduled.id, "csrf_token": token},
                       follow_redirects=True)

    assert "everyone invited has been sent a cancellation" in page.get_data(as_text=True)
    assert OutboxEmail.select().where(OutboxEmail.subject.startswith("Cancelled")).count() == 3


def test_the_officer_cannot_cancel_their_own_meeting(client, scenario, scheduled):
    token = sign_in(client, scenario.jce_user)
    response = client.post("/admin/meeting/cancel/", data={"id": scheduled.id, "csrf_token": token})
    assert response.status_code == 403
    assert Meeting.get_by_id(scheduled.id).status == "draft"


def test_hr_schedules_moves_and_deletes_a_meeting_in_the_admin(client, scenario):
    token = sign_in(client, scenario.hr)
    form = {"csrf_token": token, "cycle": scenario.jce_cycle.id, "kind": "informal review",
            "held_on": COMING.isoformat(), "start_time": "09:30", "duration_minutes": "60",
            "location": "Room 2", "attendee_links-0-user": scenario.leader_north.id,
            "attendee_links-1-user": scenario.jce_user.id}

    created = client.post("/admin/meeting/new/", data=form)
    assert created.status_code == 302, created.get_data(as_text=True)[-1500:]
    meeting = Meeting.get(Meeting.held_on == COMING)
    invitations = OutboxEmail.select().where(OutboxEmail.subject.startswith("Invitation"))
    invited = {scenario.leader_north.email, scenario.jce_user.email}
    assert {email.recipient for email in invitations} == invited
    assert all("METHOD:REQUEST" in email.calendar for email in invitations)

    links = {link.user_id: link.id for link in meeting.attendee_links}
    moved = dict(form, start_time="11:00", **{
        "attendee_links-0-id": links[scenario.leader_north.id],
        "attendee_links-1-id": links[scenario.jce_user.id]})
    assert client.post(f"/admin/meeting/edit/?id={meeting.id}", data=moved).status_code == 302
    updates = list(OutboxEmail.select().where(OutboxEmail.subject.startswith("Updated invitation")))
    assert len(updates) == 2 and all("SEQUENCE:1" in email.calendar for email in updates)

    deleted = client.post("/admin/meeting/delete/", data={"id": meeting.id, "csrf_token": token})
    assert deleted.status_code == 302
    assert not Meeting.select().where(Meeting.id == meeting.id).exists()
    cancellations = list(OutboxEmail.select().where(OutboxEmail.subject.startswith("Cancelled")))
    assert len(cancellations) == 2 and all("METHOD:CANCEL" in email.calendar for email in cancellations)
