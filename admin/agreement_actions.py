"""Sending records for agreement from the admin: the buttons on a
meeting's and a cycle's pages, and a list action, for the meeting and
cycle views to share."""
from flask import abort, flash, redirect, url_for
from flask_admin import expose
from flask_admin.actions import action

from models import Agreement
from services.access import Access, access, policy
from services.agreement.workflow import AgreementError, submit_for_agreement, withdraw

from .base import the_user
from .guards import record_for

SENT = "Sent for agreement: each party has been emailed their own link."
WITHDRAWN = ("Taken back from agreement: the links no longer work, and whoever had not "
             "decided has been told.")


class AgreementActions:
    """Mixed into a view whose rows are (or hold) records to agree. The view
    says which record a row stands for (`agreed_record`), and which kind of
    record one must be able to add to an officer's year to send many for
    agreement from the list (`managed_model`); who manages one row's
    agreement is the access object's may_manage_agreement."""

    managed_model = None

    def agreed_record(self, row):
        raise NotImplementedError

    def agreement_history(self, row):
        return list(self.agreed_record(row).agreements().order_by(Agreement.sent_at.desc(), Agreement.id))

    def is_action_allowed(self, name):
        if name == "send_for_agreement":
            return access().may(policy.CREATE, self.managed_model)
        return super().is_action_allowed(name)

    def carry_out(self, step, row, success):
        """Run `step` on the row; then show the page whose address `step`
        returns, or the row's own."""
        destination = None
        try:
            destination = step(row)
        except AgreementError as error:
            flash(str(error), "error")
        else:
            flash(success, "success")
        return redirect(destination or url_for(".details_view", id=row.id))

    def _send(self, row):
        submit_for_agreement(self.agreed_record(row), the_user())

    def _withdraw(self, row):
        withdraw(self.agreed_record(row), the_user())

    @expose("/send-for-agreement/", methods=("POST",))
    @record_for(Access.may_manage_agreement)
    def send_for_agreement_view(self, row):
        return self.carry_out(self._send, row, SENT)

    @expose("/withdraw-from-agreement/", methods=("POST",))
    @record_for(Access.may_manage_agreement)
    def withdraw_from_agreement_view(self, row):
        return self.carry_out(self._withdraw, row, WITHDRAWN)

    @action("send_for_agreement", "Submit for agreement", "Send the selected records for agreement?")
    def action_send_for_agreement(self, ids):
        rows = [row for row in map(self.get_one, ids) if row is not None]
        if not all(access().may_manage_agreement(row) for row in rows):
            abort(403)
        sent = 0
        for row in rows:
            try:
                self._send(row)
                sent += 1
            except AgreementError as error:
                flash(f"{row}: {error}", "error")
        if sent:
            flash(f"{sent} sent for agreement: each party has been emailed their own link.", "success")
