"""Calendar invitations for meetings. A meeting with a start time is
scheduled: each attendee is emailed an iCalendar invitation (REQUEST).
Moving it, or changing its place, sends an update with SEQUENCE one
higher; cancelling it, or taking someone off the attendees, sends a
CANCEL. What each attendee was last sent is kept, so saving a meeting
without changing its time sends nothing. Calendars are for what is still
to come: a meeting recorded after it was held sends no invitation."""
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit

from flask import current_app
from icalendar import Calendar, Event, vCalAddress, vText

from formatting import LONDON
from models import CalendarInvitation, MeetingAttendee, User, utcnow
from services import clock
from services.mail.outbox import queue_from_template

PRODUCT = "-//Appraise//Council senior officer appraisals//EN"


def meeting_uid(meeting):
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "appraise"
    return f"meeting-{meeting.id}@{host}"


def _schedule(meeting):
    """(starts, ends) as naive London times, or None when not scheduled."""
    if meeting.start_time is None or meeting.status == "cancelled":
        return None
    starts = datetime.combine(meeting.held_on, meeting.start_time)
    return starts, starts + timedelta(minutes=meeting.duration_minutes or 60)


def invitation_ics(meeting, invitation, method):
    """The .ics text for one attendee: METHOD REQUEST or CANCEL."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", invitation.sequence)
    event.add("dtstamp", utcnow().replace(tzinfo=UTC))
    event.add("dtstart", invitation.starts_at.replace(tzinfo=LONDON))
    event.add("dtend", invitation.ends_at.replace(tzinfo=LONDON))
    event.add("summary", f"{meeting.kind_label}: {meeting.cycle.officer.user.name}")
    if invitation.location:
        event.add("location", invitation.location)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    organiser_name, organiser_email = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])
    organiser = vCalAddress(f"mailto:{organiser_email}")
    organiser.params["cn"] = vText(organiser_name or "Appraise")
    event.add("organizer", organiser)
    attendee = vCalAddress(f"mailto:{invitation.user.email}")
    attendee.params.update({"cn": vText(invitation.user.name), "role": vText("REQ-PARTICIPANT"),
                            "partstat": vText("NEEDS-ACTION"), "rsvp": vText("TRUE")})
    event.add("attendee", attendee)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()


def _send(meeting, invitation, method, change):
    subject = {"new": "Invitation", "update": "Updated invitation", "cancel": "Cancelled"}[change]
    queue_from_template(
        invitation.user.email, f"{subject}: {meeting.kind_label} – {meeting.cycle.officer.user.name}",
        "calendar_invitation", calendar=invitation_ics(meeting, invitation, method),
        person=invitation.user, meeting=meeting, invitation=invitation, change=change,
    )


def sync_invitations(meeting, now=None):
    """Bring every attendee's calendar up to date with the meeting, inside
    the caller's transaction. Returns how many emails were queued: none
    when the meeting, as it stands and as anyone was last sent it, had
    already started by `now`."""
    schedule = _schedule(meeting)
    sent = {invitation.user_id: invitation for invitation in meeting.invitations}
    now = now or clock.now(LONDON)
    if (schedule is None or schedule[0] <= now) and all(
            invitation.starts_at <= now for invitation in sent.values()):
        return 0
    attendees = [] if schedule is None else list(
        User.select().join(MeetingAttendee).where((MeetingAttendee.meeting == meeting.id)
                                                  & (User.active == True)))  # noqa: E712
    queued = 0
    for user in attendees:
        starts, ends = schedule
        invitation = sent.get(user.id)
        if invitation is None:
            invitation = CalendarInvitation.create(meeting=meeting, user=user, starts_at=starts,
                                                   ends_at=ends, location=meeting.location)
            _send(meeting, invitation, "REQUEST", "new")
        elif invitation.cancelled or (invitation.starts_at, invitation.ends_at, invitation.location) != (
                starts, ends, meeting.location):
            invitation.sequence += 1
            invitation.starts_at, invitation.ends_at, invitation.location = starts, ends, meeting.location
            invitation.cancelled = False
            invitation.save()
            _send(meeting, invitation, "REQUEST", "update")
        else:
            continue
        queued += 1
    invited = {user.id for user in attendees}
    for user_id, invitation in sent.items():
        if user_id not in invited and not invitation.cancelled:
            invitation.sequence += 1
            invitation.cancelled = True
            invitation.save()
            _send(meeting, invitation, "CANCEL", "cancel")
            queued += 1
    return queued


class CancellationError(ValueError):
    pass


def cancel_meeting(meeting):
    """Call off a meeting whose record is still a draft: its status says so
    and everyone invited is sent a cancellation."""
    if meeting.status not in ("draft", "changes requested"):
        raise CancellationError(f"This meeting's record is {meeting.status}: only a meeting whose "
                                "record is still a draft can be cancelled.")
    meeting.status = "cancelled"
    meeting.save()
    return sync_invitations(meeting)
