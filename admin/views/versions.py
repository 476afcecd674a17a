"""A ruleset version's page (source, legal citations, author, publisher, adopting wards and whether their
adoption is outdated) and what can be done with it: publish, retire, new draft, delete a draft, adopt in
a ward, compare two versions, bundles. Every action calls `app.services`; the scope is checked first."""

from __future__ import annotations

import datetime as dt
import difflib

from flask import Response, abort, flash, redirect, request, url_for
from flask_admin import expose
from markupsafe import Markup

from app.extensions import db
from app.models import Adoption, Ruleset, RulesetVersion
from app.models.rulesets import DRAFT, PUBLISHED, STATUS_LABELS
from app.services import adoption, bundles, impact, versions
from app.services.errors import ServiceError
from app.services.rulesets import diff as semantic_diff
from app.services.rulesets import effective
from app.transaction import transaction

from ..i18n import vn_date
from ..readable import ruleset_filter
from ..security import STAFF, current_db_user, current_scope
from .base import ScopedPage
from .editor import readable_version
from .publishing import PublishMixin, preset_bases


def adopters(version: RulesetVersion) -> list[dict]:
    """Wards (in the user's scope) whose versions adopt this ruleset, and whether that is outdated."""
    outdated = {item.version.id for item in adoption.needs_review()}
    rows = db.session.scalars(
        db.select(Adoption)
        .join(RulesetVersion, Adoption.adopted_version_id == RulesetVersion.id)
        .where(RulesetVersion.ruleset_id == version.ruleset_id)
    )
    scope = current_scope()
    return [
        {"adoption": a, "outdated": a.version_id in outdated}
        for a in rows
        if a.unit_id is None or scope.sees_unit(a.unit_id)
    ]


def expr_text(expr) -> str:
    """A parameter's literal as the user writes it (25%, 0,5 → as in the source, đúng, 01/07/2026)."""
    if expr is None:
        return ""
    if hasattr(expr, "text"):
        return expr.text
    value = expr.value
    if isinstance(value, bool):
        return "đúng" if value else "sai"
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def allowed_parameters(version: RulesetVersion) -> list:
    """The parameters the province lets a ward change (`cho phép`), with bounds and default."""
    return [p for p in effective(version).params if not p.locked]


class VersionPages(PublishMixin, ScopedPage):
    roles = STAFF

    @expose("/")
    def index(self):
        return redirect(url_for(".compare"))

    @expose("/phien-ban/<int:version_id>")
    def version(self, version_id: int):
        version = readable_version(version_id)
        user = current_db_user()
        others = db.session.scalars(
            db.select(RulesetVersion)
            .join(Ruleset, RulesetVersion.ruleset_id == Ruleset.id)
            .where(ruleset_filter(), RulesetVersion.id != version.id)
            .order_by(Ruleset.code, RulesetVersion.version)
            .limit(500)
        ).all()
        can_adopt = (
            user.role == "ward_admin"
            and version.status == PUBLISHED
            and user.unit is not None
            and version.ruleset.owner_unit_id != user.unit_id
        )
        return self.render(
            "admin/kpi_version.html",
            version=version,
            status_label=STATUS_LABELS.get(version.status, version.status),
            can_manage=current_scope().can_manage(version.ruleset.owner_unit),
            can_adopt=can_adopt,
            adopters=adopters(version),
            others=others,
            today=vn_date(dt.date.today()),
            bases=preset_bases(version) if version.status == DRAFT else [],
        )

    def _managed(self, version_id: int) -> RulesetVersion:
        version = readable_version(version_id)
        if not current_scope().can_manage(version.ruleset.owner_unit):
            abort(403)
        return version

    @expose("/phien-ban/<int:version_id>/ngung", methods=["POST"])
    def retire(self, version_id: int):
        version = self._managed(version_id)
        with transaction():
            versions.retire(version.id, current_db_user())
        flash(f"Đã ngừng áp dụng {version.ruleset.code}@{version.version}.", "success")
        return redirect(url_for(".version", version_id=version.id))

    @expose("/phien-ban/<int:version_id>/ban-nhap-moi", methods=["POST"])
    def new_draft(self, version_id: int):
        version = self._managed(version_id)
        with transaction():
            draft = versions.new_draft_from(version.id, current_db_user())
        flash(f"Đã tạo bản nháp {draft.ruleset.code}@{draft.version}.", "success")
        return redirect(url_for("editor.edit", version_id=draft.id))

    @expose("/phien-ban/<int:version_id>/xoa", methods=["POST"])
    def delete(self, version_id: int):
        version = self._managed(version_id)
        label = f"{version.ruleset.code}@{version.version}"
        with transaction():
            versions.delete_draft(version.id, current_db_user())
        flash(f"Đã xóa bản nháp {label}.", "success")
        return redirect(url_for("rulesets.index_view"))

    @expose("/phien-ban/<int:version_id>/ap-dung", methods=["GET", "POST"])
    def adopt(self, version_id: int):
        version = readable_version(version_id)
        user = current_db_user()
        if user.role != "ward_admin" or user.unit is None or version.status != PUBLISHED:
            abort(403)
        params = allowed_parameters(version)
        defaults = {p.name: expr_text(p.value) for p in params}
        values = {p.name: request.form.get(f"p_{p.name}", defaults[p.name]) for p in params}
        error, found = None, None
        overrides = {k: v.strip() for k, v in values.items() if v.strip() and v.strip() != defaults[k]}
        if request.method == "POST" and request.form.get("action") == "preview":
            try:
                found = impact.of_adoption(user.unit, version, overrides, scope=current_scope())
            except ServiceError as exc:
                error = exc
            db.session.rollback()  # a preview writes nothing
        elif request.method == "POST":
            try:
                with transaction():
                    draft = adoption.adopt(user.unit, version, overrides, user)
            except ServiceError as exc:
                db.session.rollback()
                error = exc
            else:
                flash(
                    f"Đã tạo bản nháp {draft.ruleset.code}@{draft.version} áp dụng {version.ruleset.code}@"
                    f"{version.version}. Kiểm tra rồi công bố.",
                    "success",
                )
                return redirect(url_for(".version", version_id=draft.id))
        return self.render(
            "admin/kpi_adopt.html", version=version, params=params, values=values, error=error, text=expr_text,
            impact=found, overrides=overrides,
        ), (400 if error else 200)  # fmt: skip

    @expose("/so-sanh")
    def compare(self):
        old_id, new_id = request.args.get("cu", type=int), request.args.get("moi", type=int)
        readable = db.session.scalars(
            db.select(RulesetVersion)
            .join(Ruleset, RulesetVersion.ruleset_id == Ruleset.id)
            .where(ruleset_filter())
            .order_by(Ruleset.code, RulesetVersion.version)
            .limit(1000)
        ).all()
        old = readable_version(old_id) if old_id else None
        new = readable_version(new_id) if new_id else None
        changes, table, error = [], None, None
        if old is not None and new is not None:
            try:
                changes = semantic_diff(old, new)
            except ServiceError as exc:
                error = exc
            table = Markup(
                difflib.HtmlDiff(tabsize=2, wrapcolumn=70).make_table(
                    old.source.splitlines(), new.source.splitlines(),
                    f"{old.ruleset.code}@{old.version}", f"{new.ruleset.code}@{new.version}",
                    context=True, numlines=3,
                )
            )  # fmt: skip
            db.session.rollback()
        return self.render(
            "admin/kpi_compare.html",
            versions=readable,
            old=old,
            new=new,
            changes=changes,
            table=table,
            error=error,
        )

    @expose("/goi", methods=["GET", "POST"])
    def bundles(self):
        user = current_db_user()
        added, error = None, None
        if request.method == "POST":
            if user.role != "province_admin":
                abort(403)
            upload = request.files.get("file")
            try:
                text = upload.read().decode("utf-8") if upload else ""
                if not text.strip():
                    raise ServiceError("chọn một tệp gói bộ quy tắc (.yaml) để nhập")
                with transaction():
                    added = bundles.import_bundle(text, user)
            except UnicodeDecodeError:
                error = ServiceError("tệp gói không phải văn bản UTF-8")
            except ServiceError as exc:
                db.session.rollback()
                error = exc
        return self.render("admin/kpi_bundles.html", added=added, error=error)

    @expose("/goi/xuat")
    def export(self):
        published = db.select(RulesetVersion.ruleset_id).where(RulesetVersion.status != DRAFT)
        codes = db.session.scalars(
            db.select(Ruleset.code).where(ruleset_filter(), Ruleset.id.in_(published)).order_by(Ruleset.code)
        ).all()
        text = bundles.export_bundle(list(codes)) if codes else ""
        db.session.rollback()
        return Response(
            text,
            mimetype="application/x-yaml",
            headers={"Content-Disposition": "attachment; filename=bo-quy-tac.yaml"},
        )
