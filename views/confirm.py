"""The page an emailed agreement link opens, /confirm/<token>: it shows
exactly the version to be agreed and takes the party's decision. No
sign-in is needed by default (the link is the proof); with
CONFIRM_REQUIRES_LOGIN the party must also be signed in as themselves."""
from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from wtforms import RadioField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from models import Agreement, User
from services.agreement.workflow import LinkProblem, LinkRefused, decide, open_link
from services.records.audit import client_address, record_event
from views.forms import StorableText

bp = Blueprint("confirm", __name__)

MAX_COMMENT_LENGTH = 5000

# How each reason a link cannot be used is shown: the HTTP status and the
# page's title (the service explains the particulars).
REFUSAL_PAGES = {
    LinkProblem.NOT_RECOGNISED: (404, "This link is not recognised"),
    LinkProblem.USED: (409, "This link has been used"),
    LinkProblem.CLOSED: (410, "This request has closed"),
    LinkProblem.EXPIRED: (410, "This link has expired"),
    LinkProblem.NO_LONGER_A_PARTY: (403, "You are no longer asked to agree this record"),
    LinkProblem.RECORD_CHANGED: (409, "The record has changed"),
    LinkProblem.REPLACED: (409, "This link has been replaced"),
}


class DecisionForm(FlaskForm):
    decision = RadioField(
        "Your decision",
        choices=[("agree", "I agree this record"), ("changes", "I want changes before I agree it")],
        validators=[InputRequired("Choose whether you agree the record or want changes.")],
    )
    comment = TextAreaField(
        "Comment",
        filters=[lambda text: (text or "").strip()],
        validators=[Length(max=MAX_COMMENT_LENGTH), StorableText(one_line=False)],
        description="If you want changes, say what should change. Optional when you agree.",
    )

    def validate_comment(self, field):
        if self.decision.data == "changes" and not field.data:
            raise ValidationError("Say what should change, so that the record can be put right.")


@bp.after_request
def keep_links_private(response):
    # The token is in the address: keep the page out of caches and search
    # engines (the app's referrer policy keeps it from other sites).
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.errorhandler(CSRFError)
def form_not_from_this_page(error):
    return refused(
        400, "Your decision was not recorded",
        "The form had expired or did not come from this page, so nothing has been recorded. "
        "Open the link in your email again and give your decision once more.",
    )


def refused(status, title, message):
    return render_template("confirm/refused.html", title=title, message=message), status


def link_refused(refusal):
    status, title = REFUSAL_PAGES[refusal.reason]
    return refused(status, title, refusal.message)


@bp.route("/confirm/<token>", methods=["GET", "POST"])
def confirm(token):
    try:
        opened = open_link(token)
    except LinkRefused as refusal:
        return link_refused(refusal)
    agreement = opened.agreement
    if current_app.config["CONFIRM_REQUIRES_LOGIN"]:
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.path))
        if current_user.id != agreement.party_id:
            return refused(
                403, "This link is for someone else",
                f"This link was sent to {agreement.party.name}. Sign in as them to use it.",
            )
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            decision = decide(token, form.decision.data, form.comment.data, client_address())
        except LinkRefused as refusal:
            return link_refused(refusal)
        return render_template("confirm/decided.html", decision=decision)
    # The record and its version as they were read to check the link: the
    # version shown is the one whose hash was just compared with the link's.
    record = opened.record
    if request.method == "GET" and record.meeting is not None:
        record_event("view-confidential", record.meeting, user=agreement.party,
                     changes="Opened from an agreement link")
    agreements = (record.open_agreements().select_extend(User)
                  .join(User, on=(Agreement.party == User.id), attr="party")
                  .order_by(Agreement.id))
    return render_template(
        "confirm/record.html", agreement=agreement, record=record, version=opened.version,
        form=form, agreements=agreements, role=opened.role,
    ), (400 if request.method == "POST" else 200)
