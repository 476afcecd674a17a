"""The grid of the manual period inputs of an assessment's people (part of the assessments view): who
lacks what for a run, the cells checked against the rulesets' bounds as they are typed (in the browser,
from the bounds the page carries) and again on saving (`inputs_grid.save`: the rulesets' bounds, then
the inputs import, all or nothing, errors per row and column)."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose

from app.services.assessments import inputs_grid
from app.services.errors import Forbidden, ServiceError
from app.transaction import transaction

from ..security import current_db_user, current_scope
from .assessment_common import period_text, scoped_assessment

CELL = "o"  # form field of a cell: o|<person code>|<input name>
LIMIT = 500  # rows in one grid (a province: choose a unit, or only the people lacking an input)


def submitted_cells(form) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for key, value in form.items():
        parts = key.split("|", 2)
        if len(parts) == 3 and parts[0] == CELL:
            out.setdefault(parts[1], {})[parts[2]] = value
    return out


class InputPages:
    """Mixed into `AssessmentPages` (same endpoint and URL prefix)."""

    @expose("/<int:assessment_id>/dau-vao", methods=["GET", "POST"])
    def inputs(self, assessment_id: int):
        a = scoped_assessment(assessment_id)
        scope, errors, typed = current_scope(), [], {}
        if request.method == "POST":
            typed = submitted_cells(request.form)
            try:
                with transaction():
                    report, errors = inputs_grid.save(a, typed, scope=scope, user=current_db_user())
                    if errors:
                        raise _Refused()
            except _Refused:
                pass
            except Forbidden:
                abort(403)
            except ServiceError as exc:
                flash(exc.message, "error")
            else:
                if report is None:
                    flash("Không có ô nào thay đổi.", "info")
                else:
                    flash(
                        f"Đã lưu đầu vào của {len(report.created) + len(report.updated)} cán bộ.", "success"
                    )
                return redirect(url_for(".inputs", assessment_id=a.id, **_only(request.form)))
        g = inputs_grid.grid(a, scope=scope)
        only, unit = request.values.get("chi", ""), request.values.get("don_vi", "")
        rows = [r for r in (g.lacking if only == "thieu" else g.rows) if not unit or r.unit == unit]
        units = sorted({r.unit for r in g.rows})
        by_cell = {}
        for e in errors:
            by_cell.setdefault((e.person, e.column), []).append(e.message)
        return self.render(
            "admin/kpi_assess_inputs.html", a=a, grid=g, rows=rows, only=only, errors=errors, by_cell=by_cell,
            typed=typed, period_text=period_text, cell=CELL, units=units, unit=unit, limit=LIMIT,
        )  # fmt: skip


class _Refused(Exception):
    """Some cell was refused: roll the transaction back, show the grid with the errors."""


def _only(form) -> dict:
    return {k: form[k] for k in ("chi", "don_vi") if form.get(k)}
