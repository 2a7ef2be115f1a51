"""Clear, styled pages for the errors people meet: a page they may not
open, one that is not there, a form that expired."""
from flask import render_template, url_for

from services.access import access

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


def error_page(error):
    title, explanation = PAGES[error.code]
    home = url_for("admin.index") if access().signed_in() else url_for("auth.login")
    return render_template("errors/error.html", title=title, explanation=explanation,
                           home=home), error.code


def init_error_pages(app):
    for code in PAGES:
        app.register_error_handler(code, error_page)
