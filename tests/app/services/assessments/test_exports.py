"""Reports of a stored assessment: the unit's XLSX (decided level and reason beside the computed one) and
the officials' PDF sheets (criteria with their legal basis, explanation re-derived from the snapshot)."""

from __future__ import annotations

import io
from fractions import Fraction

import openpyxl
from ward_data import run_ward

from app.services.scope import Scope

XS, TOT = "Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ"


def _decided(session, tmp_path):
    from app.services.assessments import workflow
    from app.services.users import system_user

    assessment = run_ward(session, tmp_path)
    user = system_user()
    workflow.open_feedback(assessment, user)
    workflow.review(assessment, user)
    workflow.decide(assessment, user, {"P": (XS, "Sáng kiến được công nhận")})
    return assessment


def test_unit_results_sheet(session, units, tmp_path):
    from app.services.assessments import exports, reports_xlsx

    assessment = _decided(session, tmp_path)
    sheet = exports.unit_sheet(assessment, scope=Scope.everything())
    assert [c for c, _ in sheet.criteria][:3] == ["a", "b", "c"]
    p = next(line for line in sheet.lines if line.person == "P")
    assert p.score == Fraction("89.42") and p.criteria["c"] == Fraction("97.5")
    assert (p.level, p.decided_level, p.final_level) == (TOT, XS, XS)
    assert "ND335-2025 phiên bản 1" in sheet.header.rulesets[0] and sheet.header.status == "đã quyết định"
    ws = openpyxl.load_workbook(io.BytesIO(reports_xlsx.results_bytes(sheet))).active
    heads = [c.value for c in ws[8]]
    row = next(r for r in ws.iter_rows(min_row=9, values_only=True) if r[1] == "P")
    got = dict(zip(heads, row, strict=True))
    assert got["Tổng điểm"] == 89.42 and got["Xếp loại theo kết quả tính"] == TOT
    assert (
        got["Xếp loại do cấp có thẩm quyền quyết định"] == XS
        and got["Lý do điều chỉnh xếp loại"] == "Sáng kiến được công nhận"
    )


def test_person_sheets_pdf(session, units, tmp_path):
    from app.services.assessments import exports, reports_pdf

    assessment = _decided(session, tmp_path)
    (sheet,) = exports.person_sheets(assessment, scope=Scope.everything(), codes=["P"])
    assert [c.code for c in sheet.criteria] == ["a", "b", "c"]
    assert all("335/2025" in c.citation for c in sheet.criteria)
    assert any("97,5" in line or "97.5" in line for line in sheet.explanation)
    assert sheet.line.decision_reason == "Sáng kiến được công nhận"
    data = reports_pdf.people_pdf(exports.person_sheets(assessment, scope=Scope.everything()))
    assert data.startswith(b"%PDF") and data.count(b"/Type /Page") - data.count(b"/Type /Pages") >= 6
