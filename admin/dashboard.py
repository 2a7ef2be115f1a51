"""The landing page at /admin/: what needs attention, for the person
signed in."""
from flask import redirect, request, url_for
from flask_admin import AdminIndexView, expose
from flask_login import current_user

from models import Agreement, Cycle, Meeting, Officer, OutboxEmail, User
from services import policy
from services.overview import active_officers_overview, step_state


class DashboardView(AdminIndexView):
    def is_accessible(self):
        return current_user.is_authenticated and current_user.active

    def inaccessible_callback(self, name, **kwargs):
        return redirect(url_for("auth.login", next=request.full_path))

    @expose("/")
    def index(self):
        overviews = []
        if policy.can_use_admin_model(current_user, Cycle, policy.VIEW):
            officers = policy.visible_rows(
                current_user, Officer, Officer.select(Officer, User).join(User)
            )
            overviews = active_officers_overview(officers)
        awaiting_me = (
            Agreement.select()
            .where((Agreement.party == current_user.id) & Agreement.decided_at.is_null()
                   & Agreement.closed_at.is_null())
            .count()
        )
        awaiting_agreement = policy.visible_rows(
            current_user, Meeting, Meeting.select().where(Meeting.status == "awaiting agreement")
        ).count()
        outbox_waiting = policy.visible_rows(
            current_user, OutboxEmail,
            OutboxEmail.select().where(OutboxEmail.sent_at.is_null() & OutboxEmail.gave_up_at.is_null())
        ).count()
        return self.render(
            "admin/dashboard.html",
            overviews=overviews,
            step_state=step_state,
            awaiting_me=awaiting_me,
            awaiting_agreement=awaiting_agreement,
            outbox_waiting=outbox_waiting,
            sees_published_objectives=current_user.role == "councillor",
        )
