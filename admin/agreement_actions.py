"""Sending records for agreement from the admin: the buttons on a
meeting's and a cycle's pages, and a list action, for the meeting and
cycle views to share."""
from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_login import current_user

from models import Agreement
from services.access import policy
from services.agreement.workflow import AgreementError, submit_for_agreement, withdraw

from .base import the_user

SENT = "Sent for agreement: each party has been emailed their own link."
WITHDRAWN = ("Taken back from agreement: the links no longer work, and whoever had not "
             "decided has been told.")


class AgreementActions:
    """Mixed into a view whose rows are (or hold) records to agree. The view
    says which record a row stands for (`agreed_record`), its cycle
    (`cycle_id_of`), and which kind of record one must be able to add to
    that officer's year to manage its agreement (`managed_model`): so HR and
    the officer's appraisers, and for objectives the officer too."""

    managed_model = None

    def agreed_record(self, row):
        raise NotImplementedError

    def cycle_id_of(self, row):
        raise NotImplementedError

    def may_manage_agreement(self, row):
        stand_in = self.managed_model(cycle=self.cycle_id_of(row), status="draft")
        return policy.can(current_user, policy.CREATE, stand_in)

    def agreement_history(self, row):
        return list(self.agreed_record(row).agreements().order_by(Agreement.sent_at.desc(), Agreement.id))

    def is_action_allowed(self, name):
        if name == "send_for_agreement":
            return policy.can_use_admin_model(current_user, self.managed_model, policy.CREATE)
        return super().is_action_allowed(name)

    def carry_out(self, step, success):
        """Run `step` on the row the form names; then show the page whose
        address `step` returns, or the row's own."""
        row = self._record_or_404(request.form.get("id", ""))
        if not self.may_manage_agreement(row):
            abort(403)
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
    def send_for_agreement_view(self):
        return self.carry_out(self._send, SENT)

    @expose("/withdraw-from-agreement/", methods=("POST",))
    def withdraw_from_agreement_view(self):
        return self.carry_out(self._withdraw, WITHDRAWN)

    @action("send_for_agreement", "Submit for agreement", "Send the selected records for agreement?")
    def action_send_for_agreement(self, ids):
        rows = [row for row in map(self.get_one, ids) if row is not None]
        if not all(self.may_manage_agreement(row) for row in rows):
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
