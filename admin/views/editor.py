"""The ruleset editor: the page (CodeMirror, admin/static/editor) and its background JSON calls —
diagnostics from `gate.validate` (as `kpi check`), completion words, format, embedded tests, a trial on
people of the database (`app.services.trial`) — all POST with the CSRF header; saving a draft through
`versions.save_draft` keeps the text whatever happens."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, request, url_for
from flask_admin import expose

from app.extensions import db
from app.models import RulesetVersion, Unit
from app.models.rulesets import DRAFT
from app.services import editor as editor_service
from app.services import trial as trial_service
from app.services.errors import ServiceError
from app.services.impact import latest_period
from app.services.versions import save_draft
from app.transaction import transaction
from dsl.syntax.keywords import FUNCTIONS, KEYWORDS

from ..readable import ruleset_filter
from ..security import ADMINS, current_db_user, current_scope
from .base import ScopedPage

NEW_SOURCE = """bộ quy tắc "{code}" phiên bản 1
  tên "Bộ tiêu chí KPI của {unit}"
  căn cứ "Nghị định 335/2025/NĐ-CP" điều 14
  hiệu lực từ 01/01/2026
  kỳ tháng

"""


def readable_version(version_id: int) -> RulesetVersion:
    """The version if the user may read it, else 404 (another ward's version by URL)."""
    from app.models import Ruleset

    version = db.session.scalar(
        db.select(RulesetVersion)
        .join(Ruleset, RulesetVersion.ruleset_id == Ruleset.id)
        .where(RulesetVersion.id == version_id, ruleset_filter())
    )
    if version is None:
        abort(404)
    return version


def trial_units() -> list[tuple[int, str]]:
    """Units the draft may be tried on: the user's scope, by code (bounded)."""
    rows = db.session.execute(
        db.select(Unit.id, Unit.code, Unit.name)
        .where(current_scope().where_unit(Unit.id))
        .order_by(Unit.code)
        .limit(500)
    )
    return [(r.id, f"{r.code} — {r.name}") for r in rows]


class EditorView(ScopedPage):
    roles = ADMINS

    def _page(self, source: str, version: RulesetVersion | None, error: ServiceError | None = None):
        return self.render(
            "admin/kpi_editor.html",
            source=source,
            version=version,
            error=error,
            keywords=list(KEYWORDS),
            functions=list(FUNCTIONS),
            units=trial_units(),
            period=getattr(latest_period(), "code", ""),
        )

    @expose("/")
    def new(self):
        user = current_db_user()
        unit = user.unit
        code = f"{unit.code}-KPI" if unit is not None else "KPI-MOI"
        return self._page(NEW_SOURCE.format(code=code, unit=unit.name if unit else "đơn vị"), None)

    @expose("/<int:version_id>")
    def edit(self, version_id: int):
        version = readable_version(version_id)
        if version.status != DRAFT or not current_scope().can_manage(version.ruleset.owner_unit):
            return redirect(url_for("ruleset.version", version_id=version.id))
        return self._page(version.source, version)

    @expose("/luu", methods=["POST"])
    def save(self):
        user = current_db_user()
        source = request.form.get("source", "")
        current = request.form.get("version_id", type=int)
        version = readable_version(current) if current else None
        try:
            with transaction():  # the request's one commit
                saved = save_draft(source, user, user.unit)
        except ServiceError as exc:
            db.session.rollback()
            return self._page(source, version, exc), 400  # the text stays in the editor
        problems = [d for d in saved.check.diagnostics if d.is_error]
        note = f" (còn {len(problems)} lỗi: chưa công bố được)" if problems else ""
        flash(
            f"Đã lưu bản nháp {saved.ruleset.code}@{saved.version}{note}.",
            "success" if not problems else "warning",
        )
        return redirect(url_for(".edit", version_id=saved.id))

    # ------------------------------------------------------------ background calls (JSON, CSRF header)

    def _source(self) -> str:
        data = request.get_json(silent=True) or {}
        source = data.get("source")
        if not isinstance(source, str):
            abort(400)
        if len(source) > editor_service.MAX_EDITOR_SOURCE:
            abort(413)
        return source

    @expose("/api/kiem-tra", methods=["POST"])
    def check(self):
        source, unit = self._source(), current_db_user().unit
        data = editor_service.check(source, unit)
        items = editor_service.completions(source, unit, data["result"])  # no second check
        db.session.rollback()
        return jsonify({"ok": data["ok"], "diagnostics": data["diagnostics"], "items": items})

    @expose("/api/goi-y", methods=["POST"])
    def complete(self):
        items = editor_service.completions(self._source(), current_db_user().unit)
        db.session.rollback()
        return jsonify({"items": items})

    @expose("/api/dinh-dang", methods=["POST"])
    def format(self):
        formatted, errors = editor_service.format_text(self._source())
        return jsonify({"ok": formatted is not None, "source": formatted, "diagnostics": errors})

    @expose("/api/kiem-thu", methods=["POST"])
    def tests(self):
        data = editor_service.run_tests(self._source(), current_db_user().unit)
        db.session.rollback()
        return jsonify(data)

    @expose("/api/chay-thu", methods=["POST"])
    def trial(self):
        """Try the unsaved text on a person or a unit sample of the user's scope, for a period."""
        source, data = self._source(), request.get_json(silent=True) or {}
        unit = data.get("unit")
        try:
            got = trial_service.try_draft(
                source,
                scope=current_scope(),
                owner_unit=current_db_user().unit,
                period=str(data.get("period") or ""),
                person_code=str(data.get("person") or ""),
                unit_id=int(unit) if str(unit or "").isdigit() else None,
            )
        except ServiceError as exc:
            db.session.rollback()
            # a refusal is an answer (the panel shows it with its details), the same for a code outside
            # the scope as for one that does not exist
            return jsonify({"ok": False, "code": exc.code, "message": exc.message, "details": exc.details})
        db.session.rollback()
        return jsonify({"ok": True, **got.to_json()})
