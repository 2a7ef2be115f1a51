"""The landing page at /admin/: what needs attention, for the person
signed in — records awaiting their agreement, their own timetable steps,
and, for HR and appraisers, every officer's year at a glance, a page of
20 at a time with those needing attention first."""
from urllib.parse import urlencode

from flask import redirect, request, url_for
from flask_admin import AdminIndexView, expose
from peewee import JOIN

from models import Agreement, Cycle, Meeting, Officer, OutboxEmail, Step, TimetableStep, User
from services import clock
from services.access import Access, access, policy
from services.agreement.records import record_of
from services.year.overview import active_officers_page, step_state

from .guards import refused, requires


def awaiting_my_agreement(rights):
    """The records this user has been asked to agree and has not yet decided."""
    user = rights.user
    agreements = rights.rows(
        Agreement,
        Agreement.select(Agreement, Meeting, Cycle, Officer, User)
        .join(Meeting, JOIN.LEFT_OUTER).switch(Agreement).join(Cycle).join(Officer).join(User)
        .where((Agreement.party == user.id) & Agreement.awaiting_decision()).order_by(Agreement.sent_at),
    )
    awaiting = []
    for agreement in agreements:
        if agreement.meeting_id:
            agreement.meeting.cycle = agreement.cycle  # the same row, already here
        awaiting.append((agreement, record_of(agreement)))
    return awaiting


def my_open_steps(rights):
    """The timetable steps this user owns that are not yet done, soonest first."""
    user = rights.user
    return list(rights.rows(
        Step,
        Step.select(Step, TimetableStep, Cycle, Officer, User)
        .join(TimetableStep).switch(Step).join(Cycle).join(Officer).join(User)
        .where((Step.owner == user.id) & Step.done_on.is_null() & (Cycle.status == "open"))
        .order_by(Step.due_date.is_null(), Step.due_date, TimetableStep.number),
    ))


class DashboardView(AdminIndexView):
    @staticmethod
    def page_url(number):
        """This page's URL at another page of officers, keeping the other arguments."""
        args = request.args.to_dict(flat=False)
        args["page"] = [number]
        return f"{url_for('.index')}?{urlencode(args, doseq=True)}#cycles"

    def is_accessible(self):
        return access().signed_in()

    def inaccessible_callback(self, name, **kwargs):
        return refused()

    @expose("/")
    @requires(Access.signed_in)
    def index(self):
        rights = access()
        officer_page = None
        if rights.may(policy.VIEW, Cycle):
            officers = rights.rows(Officer, Officer.select(Officer, User).join(User))
            officer_page = active_officers_page(officers, request.args.get("page"))
            if officer_page.past_the_end:
                return redirect(self.page_url(officer_page.number))
        awaiting_agreement = rights.rows(
            Meeting, Meeting.select().where(Meeting.status == "awaiting agreement")
        ).count()
        outbox_waiting = rights.rows(
            OutboxEmail,
            OutboxEmail.select().where(OutboxEmail.sent_at.is_null() & OutboxEmail.gave_up_at.is_null())
        ).count() if rights.may_see_outbox() else 0
        return self.render(
            "admin/dashboard.html",
            officer_page=officer_page,
            page_url=lambda index: self.page_url(index + 1),  # the pager counts from 0
            step_state=step_state,
            awaiting_me=awaiting_my_agreement(rights),
            my_steps=my_open_steps(rights),
            awaiting_agreement=awaiting_agreement,
            outbox_waiting=outbox_waiting,
            next_year=clock.today().year + 1,
        )
