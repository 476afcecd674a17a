"""The base of every admin screen: role checks (`is_accessible`), the unit scope in the queries
(`get_query`, `get_count_query`, `get_one`), bounded pagination without counts, Vietnamese formats."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask import abort, redirect, request, url_for
from flask_admin import BaseView
from flask_admin.contrib.sqla import ModelView
from flask_admin.model import typefmt
from flask_login import current_user
from markupsafe import Markup

from app.extensions import db

from ..i18n import vn_bool, vn_date, vn_number
from ..security import STAFF, current_db_user, current_scope, has_role

TYPE_FORMATTERS = dict(typefmt.BASE_FORMATTERS)
TYPE_FORMATTERS.update(
    {
        dt.date: lambda view, value, name=None: vn_date(value),
        dt.datetime: lambda view, value, name=None: vn_date(value),
        Decimal: lambda view, value, name=None: vn_number(value),
        bool: lambda view, value, name=None: vn_bool(value),
        type(None): lambda view, value, name=None: "",
    }
)


def deny(name=None, **kwargs):
    """Anonymous: to the sign-in page; signed in without the role: 403."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path))
    abort(403)


class RoleMixin:
    roles: tuple[str, ...] = STAFF

    def is_accessible(self) -> bool:
        return has_role(*self.roles)

    def inaccessible_callback(self, name, **kwargs):
        return deny(name, **kwargs)


class ScopedPage(RoleMixin, BaseView):
    """A custom admin page (not a model list) limited to `roles`."""


class LinkedPage(ScopedPage):
    """A page reached from another page's links (the pages under an assessment), not from the menu."""

    def is_visible(self) -> bool:
        return False


class ScopedView(RoleMixin, ModelView):
    """A read-only model list limited to the user's unit subtree. Subclasses name `unit_column` (the
    model's unit id) or override `scope_query`; officials see only their own rows (`own_column`)."""

    unit_column = None  # e.g. Task.unit_id
    own_column = None  # e.g. Task.person_id: what an official may see of their own
    can_create = False
    can_edit = False
    can_delete = False
    can_view_details = True
    can_export = False
    simple_list_pager = True  # never count the whole table
    page_size = 50
    can_set_page_size = False
    column_type_formatters = TYPE_FORMATTERS
    column_type_formatters_detail = TYPE_FORMATTERS
    column_display_actions = True
    action_disallowed_list = ["delete"]

    def __init__(self, model, name=None, category=None, endpoint=None, url=None, **kwargs):
        super().__init__(model, db, name=name, category=category, endpoint=endpoint, url=url, **kwargs)

    def scope_query(self, query):
        # read through the class: a mapped column on an instance would act as a descriptor
        unit_column, own_column = type(self).unit_column, type(self).own_column
        user = current_db_user()
        if user is not None and user.role == "official":
            if own_column is None:
                return query.filter(db.false())
            return query.filter(own_column == user.person_id)
        if unit_column is None:
            return query
        return query.filter(current_scope().where_unit(unit_column))

    def _get_filter_groups(self):
        """Filter choices computed per request (Flask-Admin caches them at start-up): a unit filter
        offers only the user's units."""
        groups = super()._get_filter_groups()
        for items in (groups or {}).values():
            for item in items:
                flt = self._filters[item["index"]]
                if callable(flt.options):
                    item["options"] = [(str(k), str(v)) for k, v in flt.options()] or None
        return groups

    def get_query(self):
        return self.scope_query(super().get_query())

    def get_count_query(self):
        return self.scope_query(super().get_count_query())

    def get_one(self, id):
        """The row only if the scope shows it; otherwise 404 (another ward's id in the URL)."""
        try:
            key = int(id)
        except (TypeError, ValueError):
            abort(404)
        pk = getattr(self.model, self.model.__mapper__.primary_key[0].key)
        found = self.get_query().filter(pk == key).one_or_none()
        if found is None:
            abort(404)
        return found


def link(endpoint: str, text: str, **values) -> Markup:
    return Markup('<a href="{}">{}</a>').format(url_for(endpoint, **values), text)
