"""The list of ruleset versions the user may read: by owner unit, legal basis, status and effective dates;
each row opens the version's page (admin/views/versions.py)."""

from __future__ import annotations

from flask import has_request_context, url_for
from flask_admin.contrib.sqla.filters import BaseSQLAFilter, FilterEqual
from markupsafe import Markup

from app.extensions import db
from app.models import LegalBasis, Ruleset, RulesetVersion, Unit, VersionLegalBasis
from app.models.rulesets import STATUS_LABELS

from ..filters import DateAfter, DateBefore
from ..readable import legal_basis_filter, owner_ids, ruleset_filter
from ..security import STAFF
from .base import ScopedView


def owner_options():
    if not has_request_context():
        return [("0", "—")]
    ids = owner_ids()
    query = db.select(Unit.id, Unit.code, Unit.name).order_by(Unit.code)
    if ids is not None:
        query = query.where(Unit.id.in_(sorted(ids)))
    return [("quoc-gia", "Cấp quốc gia")] + [
        (str(r.id), f"{r.code} — {r.name}") for r in db.session.execute(query)
    ]


def legal_options():
    if not has_request_context():
        return [("0", "—")]
    query = db.select(LegalBasis.id, LegalBasis.number).where(legal_basis_filter(LegalBasis.id))
    return [(str(r.id), r.number) for r in db.session.execute(query.order_by(LegalBasis.number))]


class OwnerFilter(BaseSQLAFilter):
    def apply(self, query, value, alias=None):
        if value == "quoc-gia":
            owned = db.select(Ruleset.id).where(Ruleset.owner_unit_id.is_(None))
        else:
            try:
                owned = db.select(Ruleset.id).where(Ruleset.owner_unit_id == int(value))
            except ValueError:
                return query.filter(db.false())
        return query.filter(RulesetVersion.ruleset_id.in_(owned))

    def operation(self):
        return "là"


class LegalBasisFilter(BaseSQLAFilter):
    def apply(self, query, value, alias=None):
        try:
            basis = int(value)
        except ValueError:
            return query.filter(db.false())
        cited = db.select(VersionLegalBasis.version_id).where(VersionLegalBasis.legal_basis_id == basis)
        return query.filter(RulesetVersion.id.in_(cited))

    def operation(self):
        return "là"


def _code(view, context, model, name):
    return Markup('<a href="{}">{}</a>').format(
        url_for("ruleset.version", version_id=model.id), f"{model.ruleset.code}@{model.version}"
    )


class VersionListView(ScopedView):
    roles = STAFF
    can_view_details = False
    column_list = ("code", "title", "owner", "status", "effective_from", "effective_to", "published_at")
    column_labels = {"code": "Bộ quy tắc", "title": "Tên", "owner": "Đơn vị sở hữu", "status": "Trạng thái",
                     "effective_from": "Hiệu lực từ", "effective_to": "Hiệu lực đến",
                     "published_at": "Ngày công bố"}  # fmt: skip
    column_sortable_list = ("status", "effective_from", "effective_to", "published_at")
    column_default_sort = ("id", True)
    column_searchable_list = ("title",)
    column_filters = (
        # columns of the version itself (a related column would make Flask-Admin join again)
        OwnerFilter(RulesetVersion.ruleset_id, "Đơn vị sở hữu", options=owner_options),
        LegalBasisFilter(RulesetVersion.id, "Căn cứ pháp lý", options=legal_options),
        FilterEqual(RulesetVersion.status, "Trạng thái", options=list(STATUS_LABELS.items())),
        DateAfter(RulesetVersion.effective_from, "Hiệu lực từ"),
        DateBefore(RulesetVersion.effective_from, "Hiệu lực từ"),
        DateAfter(RulesetVersion.effective_to, "Hiệu lực đến"),
        DateBefore(RulesetVersion.effective_to, "Hiệu lực đến"),
    )
    column_formatters = {
        "code": _code,
        "owner": lambda v, c, m, n: m.ruleset.owner_unit.name if m.ruleset.owner_unit else "Cấp quốc gia",
        "status": lambda v, c, m, n: STATUS_LABELS.get(m.status, m.status),
    }
    list_template = "admin/kpi_versions.html"

    def scope_query(self, query):
        return query.filter(RulesetVersion.ruleset_id.in_(db.select(Ruleset.id).where(ruleset_filter())))
