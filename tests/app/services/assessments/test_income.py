"""Thu nhập tăng thêm (Đà Nẵng): coefficient × salary with floors, from stored monthly results and
imported salaries; the quarterly payment sheet opened back with openpyxl. Hand-computed amounts."""

from __future__ import annotations

import io
from decimal import Decimal
from fractions import Fraction

import openpyxl
import pytest
from stored_results import add_people, load_national, store_period, version_of

from app.models import Salary
from app.services.scope import Scope

XS, TOT, HT, KHT = (
    "Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ", "Không hoàn thành nhiệm vụ",
)  # fmt: skip
OUT = {
    XS: {"hệ_số_thu_nhập": "0.5", "mức_sàn_thu_nhập": "1500000"},
    TOT: {"hệ_số_thu_nhập": "0.3", "mức_sàn_thu_nhập": "1500000"},
    HT: {"hệ_số_thu_nhập": "0.1", "mức_sàn_thu_nhập": "500000"},
    KHT: {"hệ_số_thu_nhập": "0", "mức_sàn_thu_nhập": "0"},
}


@pytest.fixture
def quarter(session, units):
    load_national(session)
    people = add_people(session, units, [
        ("A", "Nguyễn Văn An", "HT", False, ""), ("B", "Lê Thị Bình", "HT", False, ""),
        ("C", "Trần Văn Cường", "HT", False, ""), ("D", "Phạm Thị Dung", "HT", False, ""),
    ])  # fmt: skip
    version = version_of(session, "ND335-2025")
    levels = {"A": XS, "B": TOT, "C": HT, "D": KHT}
    for month in ("2026-01", "2026-02", "2026-03"):
        rows = [(people[c], "80", lvl, {}, OUT[lvl]) for c, lvl in levels.items()]
        store_period(session, units["HT"], month, version, rows)
    salaries = {"A": "9360000", "B": "4000000", "C": "3000000", "D": "5000000"}
    for code, amount in salaries.items():
        for month in ("2026-01", "2026-02", "2026-03"):
            if code == "C" and month == "2026-03":
                continue  # March salary of C not imported
            session.add(Salary(person_id=people[code].id, period=month, amount=Decimal(amount), note=""))
    session.flush()
    return people


def test_amounts_with_floors_and_missing_salaries(session, units, quarter):
    from app.services.assessments import income

    sheet = income.payment_sheet("HT", "2026-Q1", scope=Scope.everything())
    lines = {line.person: line for line in sheet.lines}
    a = lines["A"].months
    assert a["2026-01"].amount == 4_680_000  # 0.5 × 9,360,000
    assert lines["A"].total == 3 * 4_680_000
    assert lines["B"].months["2026-01"].amount == 1_500_000  # 0.3 × 4,000,000 = 1,200,000 < floor
    assert lines["C"].months["2026-01"].amount == 500_000  # 0.1 × 3,000,000 = 300,000 < floor
    assert (
        lines["C"].months["2026-03"].amount is None and "tiền lương" in lines["C"].months["2026-03"].problem
    )
    assert lines["D"].total == 0
    assert any(p.startswith("C ") for p in sheet.problems)
    assert sheet.total == lines["A"].total + 3 * 1_500_000 + 2 * 500_000


def test_a_decided_level_re_evaluates_the_coefficient_with_the_pinned_version(
    session, units, tmp_path, admin
):
    """A real Đà Nẵng run (DN-2026 owned by the province above Hạc Thành): P computes 89,42 "tốt"
    (0,3), T1…T5 80 "tốt". The leader decides P "xuất sắc" and T1 "hoàn thành": nobody in the month has
    those levels computed, and the coefficients follow the decisions (0,5 and 0,1, floor 500.000)."""
    from pathlib import Path

    from ward_data import import_ward

    from app.models import Person
    from app.services import assessments, rulesets
    from app.services.assessments import income, workflow

    import_ward(session, tmp_path)
    source = (Path(__file__).resolve().parents[4] / "rulesets" / "da-nang" / "dn-2026.kpi").read_text("utf-8")
    rulesets.publish(rulesets.save_draft(source, admin, units["TH"]).id, admin)
    session.commit()
    a = assessments.run("HT", "2026-01", scope=Scope.everything()).assessment
    by_code = {r.person_code: r for r in assessments.results_of(a)}
    assert (by_code["P"].score_text, by_code["P"].level, by_code["P"].outputs["hệ_số_thu_nhập"]) == (
        "89.42", TOT, "0.3",
    )  # fmt: skip
    workflow.open_feedback(a, admin)
    workflow.review(a, admin)
    workflow.decide(a, admin, {"P": (XS, "Hoàn thành xuất sắc nhiệm vụ đột xuất (biên bản 30/01/2026)"),
                               "T1": (HT, "Chậm báo cáo tháng (biên bản 30/01/2026)")})  # fmt: skip
    for code, amount in (("P", "5000000"), ("T1", "4000000"), ("T2", "6000000")):
        person = session.query(Person).filter_by(code=code).one()
        session.add(Salary(person_id=person.id, period="2026-01", amount=Decimal(amount), note=""))
    session.flush()
    sheet = income.payment_sheet("HT", "2026-Q1", scope=Scope.everything())
    lines = {line.person: line.months["2026-01"] for line in sheet.lines}
    p, t1, t2 = lines["P"], lines["T1"], lines["T2"]
    assert (p.level, p.coefficient, p.floor, p.amount) == (
        XS,
        Fraction(1, 2),
        1_500_000,
        2_500_000,
    )  # 0,5 × 5 tr
    assert (t1.level, t1.coefficient, t1.floor, t1.amount) == (
        HT,
        Fraction(1, 10),
        500_000,
        500_000,
    )  # 400.000 < sàn
    assert (t2.level, t2.coefficient, t2.amount) == (TOT, Fraction(3, 10), 1_800_000)  # 0,3 × 6 tr, unchanged
    ws = openpyxl.load_workbook(io.BytesIO(income.sheet_bytes(sheet))).active
    heads = [c.value for c in ws[8]]
    row = next(
        dict(zip(heads, [c.value for c in r], strict=True))
        for r in ws.iter_rows(min_row=9)
        if r[1].value == "P"
    )
    assert row["Tháng 01/2026: xếp loại"] == XS and float(row["Tháng 01/2026: hệ số"]) == 0.5
    assert row["Tháng 01/2026: thu nhập tăng thêm (đồng)"] == 2_500_000


def test_a_decision_on_a_result_that_cannot_be_re_derived_is_flagged(session, units, quarter):
    from app.models import AssessmentResult
    from app.services.assessments import income

    # the fixture's results carry no real snapshot: the decided level's coefficient is not guessed
    feb = session.query(AssessmentResult).filter_by(person_code="A").order_by(AssessmentResult.id).all()[1]
    feb.decided_level, feb.decided_reason = TOT, "Chưa hoàn thành nhiệm vụ đột xuất"
    session.flush()
    sheet = income.payment_sheet("HT", "2026-Q1", scope=Scope.everything())
    month = next(line for line in sheet.lines if line.person == "A").months["2026-02"]
    assert month.amount is None and "mức đã quyết định" in month.problem


def test_payment_sheet_xlsx(session, units, quarter):
    from app.services.assessments import income

    sheet = income.payment_sheet("HT", "2026-Q1", scope=Scope.everything())
    ws = openpyxl.load_workbook(io.BytesIO(income.sheet_bytes(sheet, place="Đà Nẵng"))).active
    heads = [c.value for c in ws[8]]
    assert heads[:4] == ["STT", "Mã cán bộ", "Họ và tên", "Đơn vị"] and heads[-2:] == [
        "Tổng quý (đồng)",
        "Ghi chú",
    ]
    first = dict(zip(heads, [c for c in ws[9]], strict=True))
    assert first["Mã cán bộ"].value == "A"
    assert first["Tháng 01/2026: thu nhập tăng thêm (đồng)"].value == 4_680_000
    assert first["Tháng 01/2026: thu nhập tăng thêm (đồng)"].number_format == "#,##0"
    assert first["Tổng quý (đồng)"].value == 14_040_000
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert "KẾ TOÁN" in values and "THỦ TRƯỞNG ĐƠN VỊ" in values


def test_quarter_only_and_scope(session, units, quarter):
    from app.services.assessments import income
    from app.services.errors import ServiceError
    from app.services.users import create_user

    with pytest.raises(ServiceError, match="theo quý"):
        income.payment_sheet("HT", "2026-01", scope=Scope.everything())
    other = create_user("ds-ketoan", "mat-khau-ds-2", "evaluator", "DS")
    with pytest.raises(ServiceError, match="không được phép"):
        income.payment_sheet("HT", "2026-Q1", scope=Scope.of_user(other))
