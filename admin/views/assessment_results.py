"""The results table of an assessment (part of the assessments view): filters by unit, level, duty group
and leader or not, the quota per group (allowed vs used) above it, sorting, and the XLSX export of what
the filters show (the unit's filed sheet: `exports.unit_sheet` rendered by `reports_xlsx`); the PDF of
every official's sheet is `assessment_sheets`'s."""

from __future__ import annotations

import io

from flask import request, send_file, url_for
from flask_admin import expose

from app.services.assessments import exports, reports_xlsx, results_table

from ..security import current_scope
from .assessment_common import period_text, person_url, scoped_assessment
from .assessment_sheets import latest_sheets_job, sheets_status

FILTERS = ("don_vi", "xep_loai", "nhom", "lanh_dao")
PAGE = 500  # rows per page (a province has tens of thousands; the XLSX holds every filtered row)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters(args) -> dict[str, str]:
    return {k: args.get(k, "").strip() for k in FILTERS if args.get(k, "").strip()}


def _table(a, args):
    f = _filters(args)
    return results_table.table(
        a, scope=current_scope(), unit=f.get("don_vi", ""), level=f.get("xep_loai", ""), group=f.get("nhom", ""),
        leader=f.get("lanh_dao", ""), sort=args.get("sap_xep", "ma"), descending=args.get("giam") == "1",
    )  # fmt: skip


class ResultPages:
    """Mixed into `AssessmentPages` (same endpoint and URL prefix)."""

    @expose("/<int:assessment_id>/ket-qua")
    def results(self, assessment_id: int):
        a = scoped_assessment(assessment_id)
        table = _table(a, request.args) if a.current_revision else None
        filters = _filters(request.args)
        pages = max(1, -(-len(table.lines) // PAGE)) if table else 1
        number = min(max(request.args.get("trang", 1, type=int), 1), pages)
        shown = table.lines[(number - 1) * PAGE : number * PAGE] if table else []
        sort, desc = request.args.get("sap_xep", "ma"), request.args.get("giam") == "1"

        def page_url(n: int) -> str:
            return url_for(
                ".results", assessment_id=a.id, sap_xep=sort, giam="1" if desc else "0", trang=n, **filters
            )

        def sort_url(key: str) -> str:
            flip = "0" if key == sort and desc else ("1" if key == sort else ("1" if key == "diem" else "0"))
            return url_for(".results", assessment_id=a.id, sap_xep=key, giam=flip, **filters)

        sheets = latest_sheets_job(a) if table else None
        return self.render(
            "admin/kpi_assess_results.html", a=a, table=table, filters=filters, sort=sort, desc=desc,
            sheets=sheets_status(a, sheets) if sheets else None,
            shown=shown, number=number, pages=pages, page_url=page_url, sort_url=sort_url, person_url=person_url, period_text=period_text,
            export_url=url_for(".results_xlsx", assessment_id=a.id, sap_xep=sort, giam="1" if desc else "0", **filters),
        )  # fmt: skip

    @expose("/<int:assessment_id>/ket-qua.xlsx")
    def results_xlsx(self, assessment_id: int):
        a = scoped_assessment(assessment_id)
        table = _table(a, request.args)
        sheet = exports.unit_sheet(a, scope=current_scope())
        by_code = {line.person: line for line in sheet.lines}
        sheet.lines = [
            by_code[x.code] for x in table.lines if x.code in by_code
        ]  # the filters and the order shown
        data = reports_xlsx.results_bytes(sheet)
        return send_file(io.BytesIO(data), as_attachment=True, mimetype=XLSX,
                         download_name=f"ket-qua-{a.unit.code}-{a.period}.xlsx")  # fmt: skip
