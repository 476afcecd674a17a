"""`kpi import salaries`: monthly salaries per person, all-or-nothing, idempotent, with its template."""

from __future__ import annotations

from decimal import Decimal

PEOPLE = """\
Mã cán bộ,Họ và tên,Đơn vị
CB01,Trần Thị Bình,HT-VP
CB02,Lê Văn Cường,DS
"""


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_salaries_upserted_and_errors_all_at_once(session, units, tmp_path):
    from app.models import Salary
    from app.services.imports import import_file

    assert import_file("people", _write(tmp_path, "nguoi.csv", PEOPLE)).ok
    text = 'Mã cán bộ,Kỳ,Tiền lương,Ghi chú\nCB01,2026-01,"9360000",\nCB01,02/2026,9360000,\nCB02,2026-01,7020000,\n'
    report = import_file("salaries", _write(tmp_path, "luong.csv", text))
    assert report.ok and len(report.created) == 3, report.render()
    amounts = {(s.person.code, s.period): s.amount for s in session.query(Salary)}
    assert amounts[("CB01", "2026-02")] == Decimal("9360000")
    again = import_file("salaries", _write(tmp_path, "luong.csv", text))
    assert again.ok and again.unchanged == 3 and not again.created
    changed = import_file(
        "salaries", _write(tmp_path, "l2.csv", "Mã cán bộ,Kỳ,Lương\nCB02,2026-01,7500000,5\n")
    )
    assert not changed.ok  # an extra cell without a header is an error of the file
    changed = import_file(
        "salaries", _write(tmp_path, "l3.csv", "Mã cán bộ,Kỳ,Lương\nCB02,2026-01,7500000\n")
    )
    assert changed.ok and changed.updated == ["CB02 2026-01"]
    bad = "Mã cán bộ,Kỳ,Tiền lương\nKHONGCO,2026-01,1\nCB01,2026-Q1,1\nCB01,2026-03,-5\nCB01,2026-03,abc\n"
    report = import_file("salaries", _write(tmp_path, "bad.csv", bad))
    found = {(e.row, e.column) for e in report.errors}
    assert {(2, "Mã cán bộ"), (3, "Kỳ"), (4, "Tiền lương"), (5, "Tiền lương")} <= found, report.render()
    assert session.query(Salary).count() == 3


def test_salaries_template_has_its_columns(tmp_path):
    import openpyxl

    from app.services.templates import template_bytes

    path = tmp_path / "tien-luong.xlsx"
    path.write_bytes(template_bytes("salaries"))
    sheet = openpyxl.load_workbook(path)["Dữ liệu"]
    assert [c.value for c in sheet[1]] == ["Mã cán bộ", "Kỳ", "Tiền lương", "Ghi chú"]
