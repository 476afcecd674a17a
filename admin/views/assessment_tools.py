"""Evaluators' tools around assessments, all read-only (nothing stored):

- simulation of another ruleset version (a draft of the editor or a published one) or of proposed
  parameter values on an assessment's stored data (`/admin/danh-gia/<id>/mo-phong/`), shown per unit:
  who moves between levels, the distribution before and after, the quota (`assessments.simulate`);
- roll-ups of a quarter or a year from the stored results (`/admin/danh-gia/tong-hop/`, `rollup`);
- the supplementary income sheet of a quarter where the ruleset has the output
  (`/admin/danh-gia/thu-nhap/`, `income`).
Each checks the user's scope through the services; another ward's id or unit → 404."""

from __future__ import annotations

import io

from flask import abort, request
from flask_admin import expose

from app.extensions import db
from app.models import Person, Ruleset, RulesetVersion, Unit
from app.services import assessments
from app.services.assessments import engine, income, rollup_run, simulate, workflow
from app.services.assessments.queries import default_month, pinned_versions
from app.services.errors import Forbidden, NotFound, ServiceError
from app.services.param_values import parse_params
from app.tabular import writers

from ..readable import ruleset_filter
from ..security import STAFF, current_scope
from .assessment_person import attachment, refusal, scoped_assessment
from .base import LinkedPage, ScopedPage
from .versions import expr_text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _units() -> list[Unit]:
    return list(
        db.session.scalars(db.select(Unit).where(current_scope().where_unit(Unit.id)).order_by(Unit.code))
    )


class AssessmentSimulationView(LinkedPage):
    """Mounted at /admin/danh-gia/<int:assessment_id>/mo-phong."""

    roles = STAFF

    @expose("/")
    def index(self, assessment_id: int):
        assessment = scoped_assessment(assessment_id)
        pinned = pinned_versions(assessment)
        readable = db.session.scalars(
            db.select(RulesetVersion).join(Ruleset, RulesetVersion.ruleset_id == Ruleset.id)
            .where(ruleset_filter(), RulesetVersion.rollup_from.is_(None))
            .order_by(Ruleset.code, RulesetVersion.version).limit(500)
        ).all()  # fmt: skip
        chosen_id = request.args.get("phien_ban", type=int)
        chosen = next((v for v in readable if v.id == chosen_id), None)
        if chosen_id and chosen is None:
            abort(404)
        base = chosen or (pinned[0] if pinned else None)
        params = list(engine.program_of(base).ruleset.params) if base is not None else []
        values = {p.name: request.args.get(f"p_{p.name}", "").strip() for p in params}
        sim, error = None, None
        if request.args.get("chay"):
            try:
                candidate = (
                    simulate.candidate_from_version(chosen.ruleset.code, chosen.version) if chosen else None
                )
                options = [
                    f"{k}={v}" for k, v in values.items() if v and v != expr_text(_param(params, k).value)
                ]
                typed = parse_params(options, engine.program_of(base).ruleset) if options else {}
                sim = simulate.simulate(assessment, scope=current_scope(), candidate=candidate, params=typed)
            except ServiceError as exc:
                error = refusal(exc)
        page = self.render("admin/kpi_assessment_simulate.html", assessment=assessment, pinned=pinned,
                           readable=readable, chosen=chosen, params=params, values=values, text=expr_text,
                           sim=sim, error=error)  # fmt: skip
        db.session.rollback()
        return page


def _stored(unit: str, period: str):
    """The stored assessment of this unit and period (a roll-up stored by `kpi assess rollup`), if any."""
    try:
        return assessments.get(unit, period, scope=current_scope())
    except ServiceError:
        return None


def _suggested_quarter() -> str:
    """The quarter a roll-up or income form offers first: that of the latest month with tasks in scope."""
    month = default_month(scope=current_scope())
    return f"{month.year}-Q{(month.month + 2) // 3}"


def _param(params, name: str):
    return next(p for p in params if p.name == name)


class RollupView(ScopedPage):
    """Roll-ups of a quarter or a year: /admin/danh-gia/tong-hop/?don_vi=HT&ky=2026."""

    roles = STAFF

    def _compute(self):
        unit, period = request.args.get("don_vi", "").strip(), request.args.get("ky", "").strip()
        if not unit or not period:
            return unit, period, None, None
        try:
            return unit, period, rollup_run.preview(unit, period, scope=current_scope()), None
        except (NotFound, Forbidden):
            abort(404)
        except ServiceError as exc:
            return unit, period, None, refusal(exc)

    @expose("/")
    def index(self):
        unit, period, computed, error = self._compute()
        tables = []
        if computed is not None:
            groups, uncovered = computed
            codes = {r.person for _v, result in groups for r in result.results}
            names = dict(db.session.execute(db.select(Person.code, Person.full_name).where(Person.code.in_(codes))).all()) if codes else {}  # fmt: skip
            for version, result in groups:
                layout = writers.layout_of(engine.program_of(version).ruleset)
                rows = [
                    [writers.vietnamese_number(c) for c in row]
                    for row in writers.rows(result, layout, compact=True)
                ]
                tables.append((version, writers.headers(layout), rows))
        else:
            uncovered, names = [], {}
        page = self.render("admin/kpi_rollup.html", units=_units(), unit=unit, period=period, tables=tables,
                           uncovered=uncovered if computed else [], names=names, error=error,
                           stored=_stored(unit, period) if computed else None, label=workflow.label,
                           suggested=period or _suggested_quarter())  # fmt: skip
        db.session.rollback()
        return page

    @expose("/tai.xlsx")
    def download(self):
        unit, period, computed, error = self._compute()
        if computed is None or not computed[0]:
            abort(404)
        wanted = request.args.get("phien_ban", type=int)
        version, result = next(((v, r) for v, r in computed[0] if wanted in (None, v.id)), (None, None))
        if version is None:
            abort(404)
        buffer = io.BytesIO()
        writers.write_xlsx(result, writers.layout_of(engine.program_of(version).ruleset), buffer)
        db.session.rollback()
        return attachment(buffer.getvalue(), f"tong-hop-{unit}-{period}.xlsx", XLSX)


class IncomeView(ScopedPage):
    """The quarterly supplementary income sheet: /admin/danh-gia/thu-nhap/?don_vi=DN&quy=2026-Q1."""

    roles = STAFF

    def _sheet(self):
        unit, quarter = request.args.get("don_vi", "").strip(), request.args.get("quy", "").strip()
        if not unit or not quarter:
            return unit, quarter, None, None
        try:
            return unit, quarter, income.payment_sheet(unit, quarter, scope=current_scope()), None
        except (NotFound, Forbidden):
            abort(404)
        except ServiceError as exc:
            return unit, quarter, None, refusal(exc)

    @expose("/")
    def index(self):
        unit, quarter, sheet, error = self._sheet()
        page = self.render("admin/kpi_income.html", units=_units(), unit=unit, quarter=quarter, sheet=sheet,
                           error=error, suggested=quarter or _suggested_quarter())  # fmt: skip
        db.session.rollback()
        return page

    @expose("/tai.xlsx")
    def download(self):
        unit, quarter, sheet, _error = self._sheet()
        if sheet is None:
            abort(404)
        data = income.sheet_bytes(sheet)
        db.session.rollback()
        return attachment(data, f"thu-nhap-{unit}-{quarter}.xlsx", XLSX)
