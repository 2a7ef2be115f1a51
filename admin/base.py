"""What every Appraise admin view shares: access through the access object, UK
dates, CSRF-protected forms, business-rule validation shown next to the
field, all-or-nothing saves and deletes that never cascade silently."""
from datetime import date, datetime

from flask import abort, flash, request
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.contrib.peewee import ModelView
from flask_admin.contrib.peewee.form import CustomModelConverter
from flask_admin.contrib.peewee.tools import get_primary_key
from flask_admin.model.fields import AjaxSelectField
from flask_admin.model.form import InlineFormAdmin
from flask_admin.model.typefmt import BASE_FORMATTERS
from flask_login import current_user
from flask_wtf import FlaskForm
from peewee import (
    JOIN,
    SQL,
    AutoField,
    Expression,
    Field,
    ForeignKeyField,
    IntegrityError,
    ModelSelect,
    Node,
    NodeList,
    SelectQuery,
    TextField,
    Value,
)
from wtforms import fields, validators
from wtforms.validators import ValidationError

from admin.guards import record_for, refused
from admin.row_actions import replace_row_actions
from formatting import uk_date, uk_datetime
from models import db
from services.access import access, policy
from services.records.audit import record_event
from services.validation import record_problems
from views.outage import DATABASE_UNAVAILABLE

MAX_TEXT_LENGTH = 20000
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

DATE_FORMATTERS = dict(BASE_FORMATTERS)
DATE_FORMATTERS[date] = lambda view, value, name: uk_date(value)
DATE_FORMATTERS[datetime] = lambda view, value, name: uk_datetime(value)


def the_user():
    """The signed-in user itself, not Flask-Login's proxy: the menu asks the
    policy about every view on every page, and each attribute read through
    the proxy looks the user up again."""
    return current_user._get_current_object()


def refusal_shown(form, problems):
    """Each of `problems` ({field: message}) shown next to its field of
    `form`; returns the ValidationError to raise, which says the rest."""
    for name, message in problems.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = list(field.errors) + [message]
    unplaced = [m for n, m in problems.items() if getattr(form, n, None) is None]
    return ValidationError(" ".join(unplaced) or "Please correct the errors shown below.")


class RuledInlineForm(InlineFormAdmin):
    """A row edited inside another record's form (a meeting's action, an
    officer's appraiser) meets the same record rules as one saved alone."""

    def on_model_change(self, form, model, is_created):
        problems = record_problems(model)
        if problems:
            raise refusal_shown(form.form, problems)  # the row's own fields, inside its FormField


class AppraiseConverter(CustomModelConverter):
    """Dates as native date inputs (the browser shows them the UK way and
    they work from the keyboard); long text capped."""

    def __init__(self, view, additional=None):
        super().__init__(view, additional)
        # Flask-Admin registers its hidden, optional primary-key field for
        # peewee's old PrimaryKeyField only; peewee 4 models use AutoField, and
        # without this a new inline row (no id yet) fails as "required".
        self.converters[AutoField] = self.handle_pk

    def handle_foreign_key(self, model, field, **kwargs):
        """Flask-Admin looks up an inline form's AJAX pickers under the bare
        field name, so they fall back to a full <select>; find them under the
        "model.field" name they are registered by."""
        if model is not self.view.model:
            loader = self.view._form_ajax_refs.get(f"{model.__name__.lower()}.{field.name}")
            if loader:
                if field.null:
                    kwargs["allow_blank"] = True
                return field.name, AjaxSelectField(loader, **kwargs)
        return super().handle_foreign_key(model, field, **kwargs)

    def handle_date(self, model, field, **kwargs):
        return field.name, fields.DateField(**kwargs)

    def convert(self, model, field, field_args):
        if isinstance(field, TextField):
            field_args = dict(field_args or {})
            field_args["validators"] = list(field_args.get("validators", [])) + [
                validators.Length(max=MAX_TEXT_LENGTH)
            ]
        return super().convert(model, field, field_args)


def only_columns_of(model, node):
    """Whether a WHERE condition uses no table but `model`'s (a subquery is
    its own business)."""
    if isinstance(node, Field):
        return node.model is model
    if isinstance(node, Expression):
        return only_columns_of(model, node.lhs) and only_columns_of(model, node.rhs)
    if isinstance(node, NodeList):
        return all(only_columns_of(model, part) for part in node.nodes)
    if isinstance(node, (list, tuple)):
        return all(only_columns_of(model, part) for part in node)
    return isinstance(node, (SelectQuery, Value, SQL)) or not isinstance(node, Node)


class ListQuery(ModelSelect):
    """A view's rows, joined to the related rows they name.

    The pager's count stops at `count_limit` + 1 rows: past a hundred
    records nobody pages, they search or filter, and an exact count of a
    large table (or of a search, which reads every row) would cost more
    than the page itself. It leaves out the page's own limit, offset and
    order. While nothing narrows the query by a related
    row's column (a search or filter on a name), it is counted without
    those joins: one table, not a lookup in every joined table."""

    unjoined = None
    count_limit = None

    def count(self, database=None, clear_limit=False):
        counted = self
        if self.unjoined is not None and only_columns_of(self.model, self._where):
            counted = self.unjoined.clone()
            counted._where = self._where
        counted = counted.limit(None if self.count_limit is None else self.count_limit + 1).offset(None)
        return ModelSelect.count(counted, database)

    def naming_related_rows_only(self):
        """Every column of the listed model, but of each related row only its
        keys and what names it (Model.label_fields): a list shows related
        rows by name, and the rest cost time to select and to build."""
        def wanted(column):
            model = getattr(column, "model", self.model)
            if model is self.model or model.label_fields is None:
                return True
            return (column.primary_key or isinstance(column, ForeignKeyField)
                    or column.name in model.label_fields)
        return self.select(*filter(wanted, self._returning))


class AppraiseModelView(ModelView):
    form_base_class = FlaskForm
    model_form_converter = AppraiseConverter
    column_type_formatters = DATE_FORMATTERS
    column_type_formatters_detail = DATE_FORMATTERS
    column_display_pk = False
    can_view_details = True
    can_set_page_size = True
    page_size = 20
    details_modal = False
    edit_modal = False
    create_modal = False
    # Models the list query joins in one go (in this order, each from the
    # one before), so that related names in a row cost no extra query and
    # searches, filters and sorts on them reuse the join.
    list_join_path = ()
    # Other foreign keys of the model whose rows the list shows by name,
    # each joined on its own (an alias, so a second join to the same table
    # is no trouble).
    list_also_join = ()
    # Lists of more records than this say "more than" and page by next and
    # previous (see ListQuery).
    count_limit = 100
    list_template = "admin/model/appraise_list.html"
    # Flask-Admin counts before it reads the page; get_list reads the page
    # first, and counts only when it is full.
    simple_list_pager = True

    def __init__(self, model, *args, **kwargs):
        # Lists show a choice's label ("Six-month review"), not its stored value.
        self.column_choices = {
            field.name: list(field.choices) for field in model._meta.sorted_fields if field.choices
        } | (self.column_choices or {})
        super().__init__(model, *args, **kwargs)

    def get_list_row_actions(self):
        return replace_row_actions(super().get_list_row_actions())

    def search_placeholder(self):
        return "Search"

    def get_column_name(self, field):
        """The view's own label, else the model field's verbose name."""
        model_field = self.model._meta.fields.get(field) if isinstance(field, str) else None
        if field not in (self.column_labels or {}) and model_field and model_field.verbose_name:
            return model_field.verbose_name
        return super().get_column_name(field)

    # -- which rows -------------------------------------------------------
    def get_query(self):
        query = ListQuery(self.model, [self.model, *self.list_join_path])
        for related in self.list_join_path:
            # Outer joins, even where the link is required: the listed table
            # stays the outer loop, read in its sort index's order and
            # stopped at the page's last row. With inner joins SQLite may
            # start from the officers instead and sort every row (260 ms
            # against 2 ms at 200,000 objectives, once it has statistics).
            query = query.join(related, JOIN.LEFT_OUTER)
        for name in self.list_also_join:
            key = self.model._meta.fields[name]
            related = key.rel_model.alias()
            query = (query.select_extend(related).switch(self.model)
                     .join(related, JOIN.LEFT_OUTER, on=(key == getattr(related, key.rel_field.name))))
        query = access().rows(self.model, query)
        query.unjoined = self.model.select()
        query.count_limit = self.count_limit
        return query

    def get_list(self, page, sort_column, sort_desc, search, filters, execute=True, page_size=None):
        """The page's rows and how many rows there are in all: None past
        count_limit (Flask-Admin then pages by next and previous). A page
        that is not full is the last, so its rows tell the count without a
        query (an appraiser's search is mostly that). A ?sort= that names a
        column that cannot be sorted is ignored: the list's own order."""
        if sort_column not in self._sortable_columns:
            sort_column = None
        _uncounted, query = super().get_list(page, sort_column, sort_desc, search, filters,
                                             execute=False, page_size=page_size)
        query = query.naming_related_rows_only()
        if not execute:
            return None, query
        rows = list(query)
        before = (page or 0) * (query._limit or 0)
        if query._limit and (rows or not before) and len(rows) < query._limit:
            return before + len(rows), rows
        count = query.count()
        return (count if count <= self.count_limit else None), rows

    def _handle_join(self, query, field, joins):
        joins.update(model.__name__ for model in self.list_join_path)
        return super()._handle_join(query, field, joins)

    def get_one(self, record_id):
        """Details, edit and delete go through the same row filter as the list."""
        key = getattr(self.model, get_primary_key(self.model))
        try:
            return self.get_query().where(key == int(record_id)).get()
        except (ValueError, TypeError, self.model.DoesNotExist):
            return None

    # -- access ---------------------------------------------------------
    def _allowed(self, action):
        return access().may(action, self.model)

    @property
    def can_export(self):
        return self._allowed(policy.EXPORT)

    @expose("/details/")
    @record_for(policy.VIEW)
    def details_view(self, record):
        if self.model in policy.CONFIDENTIAL_MODELS:
            record_event("view-confidential", record)
        return super().details_view()

    @expose("/edit/", methods=("GET", "POST"))
    @record_for(policy.EDIT)
    def edit_view(self, record):
        if request.method == "GET" and self.model in policy.CONFIDENTIAL_MODELS:
            record_event("view-confidential", record)
        return super().edit_view()

    def get_export_value(self, model, name):
        """Text that a spreadsheet would run as a formula is exported as text."""
        value = super().get_export_value(model, name)
        if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
            return "'" + value
        return value

    def is_accessible(self):
        return self._allowed(policy.VIEW)

    @property
    def can_create(self):
        return self._allowed(policy.CREATE)

    @property
    def can_edit(self):
        return self._allowed(policy.EDIT)

    @property
    def can_delete(self):
        return self._allowed(policy.DELETE)

    def handle_view_exception(self, exc):
        """A database that is down is an outage page, not a form error."""
        if isinstance(exc, DATABASE_UNAVAILABLE):
            raise exc
        return super().handle_view_exception(exc)

    def inaccessible_callback(self, name, **kwargs):
        return refused()

    # -- saving ---------------------------------------------------------
    def on_model_change(self, form, model, is_created):
        if not access().can(policy.CREATE if is_created else policy.EDIT, model):
            raise ValidationError("You may not save this record as it stands: it would be "
                                  "a record you are not allowed to change.")
        problems = record_problems(model)
        if problems:
            raise refusal_shown(form, problems)

    def create_model(self, form):
        with db.atomic() as transaction:
            model = super().create_model(form)
            if not model:
                transaction.rollback()
            return model

    def update_model(self, form, model):
        with db.atomic() as transaction:
            updated = super().update_model(form, model)
            if not updated:
                transaction.rollback()
            return updated

    def delete_model(self, model):
        """Delete this record only. Anything that depends on it blocks the
        delete, so no confidential record disappears as a side effect."""
        if not access().can(policy.DELETE, model):
            abort(403)
        try:
            with db.atomic():
                self.on_model_delete(model)
                model.delete_instance()
        except IntegrityError:
            flash(
                f"“{model}” cannot be deleted while other records refer to it. "
                "Remove or reassign those first.",
                "error",
            )
            return False
        self.after_model_delete(model)
        return True

    @action("delete", "Delete", "Delete the selected records?")
    def action_delete(self, ids):
        records = [record for record in map(self.get_one, ids) if record is not None]
        if not all(access().can(policy.DELETE, record) for record in records):
            abort(403)
        deleted = sum(1 for record in records if self.delete_model(record))
        if deleted:
            flash(f"{deleted} record(s) deleted.", "success")
