"""Hostile cell values at import: codes that read as formulas and values longer than their column are
row/column errors on both databases, nothing changes, and messages never carry a value whole."""

from __future__ import annotations

import pytest

from app.services.imports import import_file


@pytest.mark.parametrize("code", ["=HYPERLINK(1)", "+1", "-5", "@SUM(A1)", "\t=1"])
def test_formula_like_codes_are_refused(session, units, write, snapshot, code):
    before = snapshot()
    text = f'Mã cán bộ,Họ và tên,Đơn vị\n"{code}",Nguyễn Văn A,HT\nCB9,Lê B,"{code}"\n'
    report = import_file("people", write("nguoi.csv", text))
    assert {(e.row, e.column) for e in report.errors} == {(2, "Mã cán bộ"), (3, "Đơn vị")}
    assert all("bắt đầu bằng" in e.message for e in report.errors)
    assert not report.applied and snapshot() == before


def test_formula_like_task_code_is_refused_but_text_is_data(session, people, write, snapshot):
    before = snapshot()
    text = "Mã nhiệm vụ,Mã cán bộ,Kỳ,Tên nhiệm vụ,Trạng thái\n=1+1,CB01,2026-01,-giảm chi phí,Hoàn thành\n"
    report = import_file("tasks", write("nhiem-vu.csv", text))
    assert [(e.row, e.column) for e in report.errors] == [(2, "Mã nhiệm vụ")]
    assert snapshot() == before


def test_values_longer_than_their_column_are_row_errors(session, units, write, snapshot):
    before = snapshot()
    long_code, long_name = "C" * 65, "Tên " * 2000
    text = f"Mã cán bộ,Họ và tên,Đơn vị,Chức vụ\n{long_code},Nguyễn A,HT,\nCB8,{long_name},HT,{'x' * 129}\n"
    report = import_file("people", write("nguoi.csv", text))
    assert {(e.row, e.column) for e in report.errors} == {(2, "Mã cán bộ"), (3, "Họ và tên"), (3, "Chức vụ")}
    assert any("tối đa 64 ký tự" in e.message for e in report.errors)
    assert not report.applied and snapshot() == before
    rendered = report.render()
    assert len(rendered) < 2000 and "…" in rendered  # the 8,000-character name is cut


def test_value_longer_than_a_column_at_the_limit_is_stored(session, units, write):
    text = f"Mã cán bộ,Họ và tên,Đơn vị\n{'C' * 64},{'N' * 255},HT\n"
    report = import_file("people", write("nguoi.csv", text))
    assert report.applied, report.render()


def test_source_system_longer_than_its_column_is_refused(session, people, write, snapshot):
    from app.services.errors import ServiceError

    before = snapshot()
    text = "Mã nhiệm vụ,Mã cán bộ,Kỳ,Trạng thái\nNV1,CB01,2026-01,Hoàn thành\n"
    with pytest.raises(ServiceError, match="tối đa 64 ký tự"):
        import_file("tasks", write("nhiem-vu.csv", text), source_system="s" * 65)
    assert snapshot() == before
