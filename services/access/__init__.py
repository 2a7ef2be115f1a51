"""Who may see and do what: the one place that decides it.

The rules are the policy's (services/access/policy.py, the rights tables);
views and templates ask them only through the access object of the request,
`access()` (in templates, `access`)."""
from flask import g, has_request_context
from flask_login import current_user

from models import Cycle, OutboxEmail
from services.agreement.workflow import is_locked

from . import policy
from .policy import CREATE, VIEW


class Access:
    """What one user may see and do."""

    def __init__(self, user):
        self.user = user

    def signed_in(self):
        return policy.signed_in(self.user)

    # -- the general questions ---------------------------------------------
    def may(self, action, model):
        """Might the user `action` some record of `model` (menus, whether a view opens)?"""
        return policy.can_use_admin_model(self.user, model, action)

    def can(self, action, record):
        """May the user `action` this record as it stands (locked records included)?"""
        return policy.can(self.user, action, record)

    def rows(self, model, query):
        """The rows of `query` the user may see."""
        return policy.visible_rows(self.user, model, query)

    @staticmethod
    def is_locked(record):
        """Out for agreement or agreed: nobody may change it."""
        return is_locked(record)

    # -- named abilities -----------------------------------------------------
    def may_start_year(self):
        return self.may(CREATE, Cycle)

    def may_see_outbox(self):
        return self.may(VIEW, OutboxEmail)

    def may_send_again(self):
        """Whoever keeps the outbox may send its emails again."""
        return self.may_see_outbox()

    def sees_published_objectives_only(self):
        return policy.sees_published_objectives_only(self.user)

    def may_report_to_council(self, council=None):
        return policy.may_report_to_council(self.user, council)

    def may_upload_to(self, officer):
        return policy.may_upload_to(self.user, officer)

    def may_mark_done(self, step):
        return policy.may_mark_done(self.user, step)

    def may_manage_agreement(self, record):
        return policy.may_manage_agreement(self.user, record)

    def may_send_for_agreement(self, record):
        return policy.may_send_for_agreement(self.user, record)

    def may_withdraw_from_agreement(self, record):
        return policy.may_withdraw_from_agreement(self.user, record)

    def may_correct(self, meeting):
        return policy.may_correct(self.user, meeting)

    def may_cancel_meeting(self, meeting):
        return policy.may_cancel_meeting(self.user, meeting)


def access():
    """The signed-in user's access, made once for the request."""
    user = current_user._get_current_object() if has_request_context() else None
    if g.get("access") is None or g.access.user is not user:
        g.access = Access(user)
    return g.access


def init_access(app):
    app.context_processor(lambda: {"access": access()})
