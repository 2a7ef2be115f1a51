"""The door of every custom admin page: it loads the row the request names
and asks the access object before the page runs, so no page fetches,
checks and refuses by hand."""
from functools import wraps

from flask import abort, redirect, request, url_for

from services.access import access


def refused():
    """The sign-in page for someone signed out; 403 for anyone else."""
    if not access().signed_in():
        return redirect(url_for("auth.login", next=request.full_path))
    abort(403)


def allowed(check, *record):
    """`check` is an action asked of Access.can, or one of Access's abilities."""
    if callable(check):
        return check(access(), *record)
    return access().can(check, *record)


def mark_checked(checked):
    checked.access_checked = True
    return checked


def requires(ability):
    """A page for those with `ability` (an Access method)."""
    def decorate(page):
        @wraps(page)
        def checked(view, *args, **kwargs):
            if not allowed(ability):
                return refused()
            return page(view, *args, **kwargs)
        return mark_checked(checked)
    return decorate


def record_for(check, model=None, key="id"):
    """A page about one row: the one whose id is under `key` in the address
    or the form, found through the view's row filter (or, with `model`,
    that model's row). 404 when there is none, refused when `check` (an
    action, or an Access method) says no; otherwise the page is given the
    row after the view."""
    def decorate(page):
        @wraps(page)
        def checked(view, *args, **kwargs):
            record = find(view, model, request.values.get(key, ""))
            if record is None:
                abort(404)
            if not allowed(check, record):
                return refused()
            return page(view, record, *args, **kwargs)
        return mark_checked(checked)
    return decorate


def find(view, model, record_id):
    if model is None:
        return view.get_one(record_id)
    try:
        return model.get_or_none(model.id == int(record_id))
    except ValueError:
        return None
