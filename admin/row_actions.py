"""A list row's view, edit and delete buttons, written out in Python.

A page of twenty rows has sixty of them; as Flask-Admin's Jinja macros
(three nested macro calls, a url_for and a WTForms form each) they were a
quarter of a list page's time. The URLs and the CSRF token are worked out
once per page here. The markup is that of templates/admin/model/row_actions.html:
no inline script, a data-confirm that static/js/appraise-admin.js asks."""
from urllib.parse import urlencode

from flask_admin.model import template
from markupsafe import Markup, escape

# Plain strings filled with escaped values: Markup.format escapes through
# string.Formatter, which cost more than the Jinja macros it replaces.
LINK = ('<a class="icon" href="{url}" title="{title}" aria-label="{title}">'
        '<span class="fa {icon}" aria-hidden="true"></span></a>')
DELETE = (
    '<form class="icon" method="POST" action="{url}">'
    '<input type="hidden" name="id" value="{row_id}">'
    '<input type="hidden" name="url" value="{return_url}">'
    '<input type="hidden" name="csrf_token" value="{csrf_token}">'
    '<button data-confirm="Are you sure you want to delete this record?"'
    ' title="{title}" aria-label="{title}">'
    '<span class="fa fa-trash" aria-hidden="true"></span></button></form>'
)


def fill(html, **values):
    return Markup(html.format(**{name: escape(value) for name, value in values.items()}))


class RowLink(template.BaseListRowAction):
    """A link to one of the view's pages for the row (details or edit)."""

    def __init__(self, endpoint, icon, title):
        super().__init__(title)
        self.endpoint, self.icon = endpoint, icon
        self.page_url = None

    def render(self, context, row_id, row):
        if self.page_url is None:
            self.page_url = context.resolve("get_url")(self.endpoint)
            self.return_arg = urlencode({"url": context.resolve("return_url")})
        url = f"{self.page_url}?id={row_id}&{self.return_arg}"
        return fill(LINK, url=url, title=self.title, icon=self.icon)


class RowDelete(template.BaseListRowAction):
    """The row's delete button: a POST form, confirmed first."""

    def __init__(self):
        super().__init__("Delete record")
        self.fields = None

    def render(self, context, row_id, row):
        if self.fields is None:
            self.fields = {"url": context.resolve("get_url")(".delete_view"),
                           "return_url": context.resolve("return_url"),
                           "csrf_token": context.resolve("delete_form").csrf_token.current_token}
        return fill(DELETE, row_id=row_id, title=self.title, **self.fields)


def replace_row_actions(actions):
    """Flask-Admin's standard row actions swapped for these; others kept."""
    replacements = {
        template.ViewRowAction: lambda: RowLink(".details_view", "fa-eye", "View record"),
        template.EditRowAction: lambda: RowLink(".edit_view", "fa-pencil", "Edit record"),
        template.DeleteRowAction: RowDelete,
    }
    return [replacements[type(action)]() if type(action) in replacements else action for action in actions]
