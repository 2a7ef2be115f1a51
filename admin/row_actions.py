"""A list row's view, edit and delete buttons, written out in Python.

A page of twenty rows has sixty of them; as Flask-Admin's Jinja macros
(three nested macro calls, a url_for and a WTForms form each) they were a
quarter of a list page's time. Here one action writes all three: the
markup around the row's id is built and escaped once per page, and only
the id changes from row to row. The markup is that of
templates/admin/model/row_actions.html: no inline script, and a
data-confirm that static/js/appraise-admin.js asks."""
from urllib.parse import urlencode

from flask_admin.model import template
from markupsafe import Markup, escape

LINK = ('<a class="icon" href="{url}?id={{row_id}}&amp;{back}" title="{title}" aria-label="{title}">'
        '<span class="fa {icon}" aria-hidden="true"></span></a>')
DELETE = (
    '<form class="icon" method="POST" action="{url}">'
    '<input type="hidden" name="id" value="{{row_id}}">'
    '<input type="hidden" name="url" value="{return_url}">'
    '<input type="hidden" name="csrf_token" value="{csrf_token}">'
    '<button data-confirm="Are you sure you want to delete this record?"'
    ' title="Delete record" aria-label="Delete record">'
    '<span class="fa fa-trash" aria-hidden="true"></span></button></form>'
)
LINKS = {template.ViewRowAction: (".details_view", "fa-eye", "View record"),
         template.EditRowAction: (".edit_view", "fa-pencil", "Edit record")}


def filled(html, **values):
    return html.format(**{name: escape(value) for name, value in values.items()})


class RowButtons(template.BaseListRowAction):
    """Flask-Admin's standard row actions (view, edit, delete), as one."""

    def __init__(self, kinds):
        super().__init__()
        self.kinds = kinds
        self.html = None

    def render(self, context, row_id, row):
        if self.html is None:
            self.html = "".join(self.markup(context, kind) for kind in self.kinds)
        # replace, not format: the escaped URLs and token filled in once must
        # not be read as format fields again.
        return Markup(self.html.replace("{row_id}", escape(row_id)))

    @staticmethod
    def markup(context, kind):
        get_url, return_url = context.resolve("get_url"), context.resolve("return_url")
        if kind is template.DeleteRowAction:
            return filled(DELETE, url=get_url(".delete_view"), return_url=return_url,
                          csrf_token=context.resolve("delete_form").csrf_token.current_token)
        endpoint, icon, title = LINKS[kind]
        return filled(LINK, url=get_url(endpoint), back=urlencode({"url": return_url}),
                      title=title, icon=icon)


def replace_row_actions(actions):
    """Flask-Admin's standard row actions made one RowButtons; others kept, after it."""
    standard = (*LINKS, template.DeleteRowAction)
    kinds = [type(action) for action in actions if type(action) in standard]
    others = [action for action in actions if type(action) not in standard]
    return ([RowButtons(kinds)] if kinds else []) + others
