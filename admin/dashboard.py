"""The landing page at /admin/: what needs attention, for the person
signed in — records awaiting their agreement, their own timetable steps,
and, for HR and appraisers, every officer's year at a glance, a page of
20 at a time with those needing attention first."""
from urllib.parse import urlencode

from flask import redirect, request, url_for
from flask_admin import AdminIndexView, expose
from flask_login import current_user
from peewee import JOIN

from models import Agreement, Cycle, Meeting, Officer, OutboxEmail, Step, TimetableStep, User
from services import clock
from services.access import policy
from services.agreement.records import record_of
from services.year.overview import active_officers_page, step_state

from .base import the_user


def awaiting_my_agreement(user):
    """The records this user has been asked to agree and has not yet decided."""
    agreements = policy.visible_rows(
        user, Agreement,
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


def my_open_steps(user):
    """The timetable steps this user owns that are not yet done, soonest first."""
    return list(policy.visible_rows(
        user, Step,
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
        return current_user.is_authenticated and current_user.active

    def inaccessible_callback(self, name, **kwargs):
        return redirect(url_for("auth.login", next=request.full_path))

    @expose("/")
    def index(self):
        user = the_user()
        officer_page = None
        if policy.can_use_admin_model(user, Cycle, policy.VIEW):
            officers = policy.visible_rows(user, Officer, Officer.select(Officer, User).join(User))
            officer_page = active_officers_page(officers, request.args.get("page"))
            if officer_page.past_the_end:
                return redirect(self.page_url(officer_page.number))
        awaiting_agreement = policy.visible_rows(
            user, Meeting, Meeting.select().where(Meeting.status == "awaiting agreement")
        ).count()
        outbox_waiting = policy.visible_rows(
            user, OutboxEmail,
            OutboxEmail.select().where(OutboxEmail.sent_at.is_null() & OutboxEmail.gave_up_at.is_null())
        ).count() if policy.can_use_admin_model(user, OutboxEmail, policy.VIEW) else 0
        return self.render(
            "admin/dashboard.html",
            officer_page=officer_page,
            page_url=lambda index: self.page_url(index + 1),  # the pager counts from 0
            step_state=step_state,
            awaiting_me=awaiting_my_agreement(user),
            my_steps=my_open_steps(user),
            awaiting_agreement=awaiting_agreement,
            outbox_waiting=outbox_waiting,
            may_start_year=policy.can_use_admin_model(user, Cycle, policy.CREATE),
            may_report_to_council=policy.may_report_to_council(user),
            next_year=clock.today().year + 1,
            sees_published_objectives=user.role == "councillor",
        )
