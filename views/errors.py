"""Clear, styled pages for the errors people meet: a page they may not
open, one that is not there, a form that expired, an address that cannot
be read."""
from flask import render_template, request, url_for
from werkzeug.exceptions import BadRequest

from services.access import access
from services.text import text_problem

PAGES = {
    400: ("This form has expired",
          "The page was open too long, or the form came from somewhere else, so nothing was saved. "
          "Go back, reload the page and try again."),
    403: ("You do not have access to this page",
          "Your account cannot open this record or page. If you think it should, ask HR."),
    404: ("Page not found",
          "There is no such page or record, or it is not one your account can see."),
    405: ("That cannot be done here", "This address does not accept that kind of request."),
    413: ("This file is too large",
          "Nothing was saved. The upload form says how large a file may be: make the file smaller "
          "(a scan at a lower resolution, say) or split it, and try again."),
}


class UnreadableAddress(BadRequest):
    page = ("This address cannot be read",
            "It holds characters that no search, filter or page of Appraise takes (control characters, "
            "usually pasted from elsewhere), so nothing was looked up or changed. "
            "Go back and type it again.")


def refuse_unreadable_addresses():
    """No search, filter, lookup, sort or page number holds a control
    character: a NUL would fail the query on PostgreSQL with the driver's
    message, the rest match nothing. So an address that holds one is
    refused before any view reads it, whatever it names. Tabs and line
    breaks harm no query, and a mangled ?next= is ignored by the sign-in,
    so they are left to the view. (Forms are checked field by field, to
    say which field is wrong.)"""
    for key, value in request.args.items(multi=True):
        if text_problem(key, one_line=False) or text_problem(value, one_line=False):
            raise UnreadableAddress()


def error_page(error):
    title, explanation = getattr(error, "page", None) or PAGES[error.code]
    home = url_for("admin.index") if access().signed_in() else url_for("auth.login")
    return render_template("errors/error.html", title=title, explanation=explanation,
                           home=home), error.code


def init_error_pages(app):
    for code in PAGES:
        app.register_error_handler(code, error_page)
    app.before_request(refuse_unreadable_addresses)
