"""Imports of units, people and period inputs: cross-row checks, moves with history, idempotence."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from app.models import DutyGroup, PeriodInput, Person, Unit
from app.services.imports import import_file


def test_units_tree_twice_and_errors(session, write, snapshot):
    text = (
        "Mã đơn vị,Tên đơn vị,Loại,Đơn vị cấp trên\n"
        "P-VP,Văn phòng,phòng,HT\n"  # parent defined later in the file
        "TH,Tỉnh Thanh Hóa,tỉnh,\n"
        "HT,Phường Hạc Thành,phường,TH\n"
    )
    path = write("don-vi.csv", text)
    report = import_file("units", path)
    assert report.ok and sorted(report.created) == ["HT", "P-VP", "TH"], report.render()
    assert session.query(Unit).filter_by(code="P-VP").one().parent.code == "HT"
    before = snapshot()
    assert import_file("units", path).unchanged == 3 and snapshot() == before
    broken = (
        "Mã đơn vị,Tên đơn vị,Loại,Đơn vị cấp trên\n"
        "A,Phòng A,phòng,B\n"
        "B,Phòng B,phòng,A\n"
        "C,Phòng C,phòng,KHONGCO\n"
        "D,Phòng D,làng,HT\n"
        "HT,Phường Hạc Thành,phường,\n"
    )
    report = import_file("units", write("hong.csv", broken))
    found = {(e.row, e.column) for e in report.errors}
    assert {(2, "Đơn vị cấp trên"), (3, "Đơn vị cấp trên"), (4, "Đơn vị cấp trên"), (5, "Loại")} <= found
    assert (6, "Đơn vị cấp trên") in found  # a ward needs its province
    assert any("vòng lặp" in e.message for e in report.errors)
    assert snapshot() == before


def test_people_twice_unchanged(session, units, write, people_csv, snapshot):
    path = write("nguoi.csv", people_csv)
    first = import_file("people", path)
    assert first.ok and len(first.created) == 4
    cb01 = session.query(Person).filter_by(code="CB01").one()
    assert cb01.manager.code == "LD01" and cb01.unit.code == "HT-VP" and cb01.duty_group.name == "Văn phòng"
    assert session.query(Person).filter_by(code="LD01").one().is_leader is True
    groups = {(g.unit_id, g.name) for g in session.query(DutyGroup)}
    assert len(groups) == 3  # "Văn phòng" of HT (found again for HT-VP under it), of DS, and "Lãnh đạo"
    before = snapshot()
    again = import_file("people", path)
    assert again.ok and again.unchanged == 4 and not again.created and not again.updated
    assert snapshot() == before


def test_people_cross_row_errors_all_at_once(session, units, write, snapshot):
    before = snapshot()
    text = (
        "Mã cán bộ,Họ và tên,Đơn vị,Lãnh đạo,Người quản lý\n"
        "A1,Nguyễn Văn A,HT,có,A2\n"
        "A2,Nguyễn Văn B,HT,có,A1\n"
        "A3,Nguyễn Văn C,XA-LA,không,\n"
        "A4,Nguyễn Văn D,HT,không,KHONGCO\n"
        "A4,Nguyễn Văn E,HT,không,\n"
        "A6,,HT,có lẽ,A6\n"
    )
    report = import_file("people", write("nguoi.csv", text))
    found = {(e.row, e.column) for e in report.errors}
    assert {(2, "Người quản lý"), (3, "Người quản lý"), (4, "Đơn vị"), (5, "Người quản lý")} <= found
    assert {(6, "Mã cán bộ"), (7, "Họ và tên"), (7, "Lãnh đạo"), (7, "Người quản lý")} <= found
    assert snapshot() == before


def test_move_between_units_keeps_history(session, units, write, people_csv):
    import_file("people", write("nguoi.csv", people_csv))
    moved = people_csv.replace("CB03,Phạm Thị Dung,DS,", "CB03,Phạm Thị Dung,HT-VP,")
    text = moved.replace("Người quản lý\n", "Người quản lý,Ngày hiệu lực\n").replace("\n", ",01/03/2026\n")
    text = text.replace("Người quản lý,Ngày hiệu lực,01/03/2026", "Người quản lý,Ngày hiệu lực")
    report = import_file("people", write("nguoi2.csv", text))
    assert report.ok and report.updated == ["CB03"], report.render()
    session.expire_all()
    person = session.query(Person).filter_by(code="CB03").one()
    assert person.unit.code == "HT-VP"
    assert person.unit_on(dt.date(2026, 2, 28)).code == "DS"
    assert person.unit_on(dt.date(2026, 3, 1)).code == "HT-VP"
    assert import_file("people", write("nguoi2.csv", text)).unchanged == 4


def test_inputs_import_twice_and_bounds(session, people, write, snapshot):
    text = 'Mã cán bộ,Kỳ,Điểm tiêu chí chung,Kỷ luật\nCB01,2026-01,"27,5",\nCB02,01/2026,28,khiển trách\n'
    path = write("dau-vao.csv", text)
    report = import_file("inputs", path)
    assert report.ok and len(report.created) == 2, report.render()
    rows = {(r.person.code, r.period): r for r in session.query(PeriodInput)}
    assert rows[("CB01", "2026-01")].general_score == Decimal("27.5")
    assert rows[("CB02", "2026-01")].discipline == "khiển trách"
    before = snapshot()
    assert import_file("inputs", path).unchanged == 2 and snapshot() == before
    bad = (
        "Mã cán bộ,Kỳ,Điểm tiêu chí chung,Kỷ luật\nCB01,2026-01,31,\nCB02,2026-13,20,phạt\nCB01,2026-01,1,\n"
    )
    report = import_file("inputs", write("hong.csv", bad))
    found = {(e.row, e.column) for e in report.errors}
    assert {(2, "Điểm tiêu chí chung"), (3, "Kỳ"), (3, "Kỷ luật"), (4, "Mã cán bộ")} <= found
    assert snapshot() == before


def test_catalog_inputs_are_stored_by_name(session, people, write, admin):
    from app.services.catalog import add_field

    add_field(
        "input", "điểm_khả_năng_tổ_chức", "Điểm khả năng tổ chức", "số", user=admin, low="0", high="100"
    )
    text = "Mã cán bộ,Kỳ,Điểm khả năng tổ chức\nLD01,2026-01,90\n"
    assert import_file("inputs", write("ld.csv", text)).ok
    row = session.query(PeriodInput).one()
    assert row.values == {"điểm_khả_năng_tổ_chức": 90} and row.general_score is None


def test_empty_and_unreadable_files(session, units, write, tmp_path):
    assert not import_file("people", write("rong.csv", "")).ok
    assert not import_file("people", write("x.csv", "Mã cán bộ,Họ và tên,Đơn vị\n")).ok
    report = import_file("people", str(tmp_path / "khong-co.csv"))
    assert report.errors and report.errors[0].row is None
    (tmp_path / "latin.csv").write_bytes(b"Ma can bo,Ho va ten,Don vi\nB\xe9,X,HT\n")
    assert not import_file("people", str(tmp_path / "latin.csv")).ok


def test_move_keeps_attributes_the_file_does_not_name(session, units, write):
    from app.models import Position

    session.add(Position(code="CV", name="Chuyên viên"))
    session.commit()
    first = "Mã cán bộ,Họ và tên,Đơn vị,Vị trí việc làm\nCB09,Ngô Thị Lan,HT,CV\n"
    assert import_file("people", write("a.csv", first)).ok
    moved = "Mã cán bộ,Họ và tên,Đơn vị,Ngày hiệu lực\nCB09,Ngô Thị Lan,DS,01/02/2026\n"
    report = import_file("people", write("b.csv", moved))
    assert report.updated == ["CB09"], report.render()
    session.expire_all()
    person = session.query(Person).filter_by(code="CB09").one()
    assert person.position.code == "CV" and person.unit.code == "DS"
    assert (
        person.unit_on(dt.date(2026, 1, 31)).code == "HT" and person.unit_on(dt.date(2026, 2, 1)).code == "DS"
    )
    assert (
        person.position_on(dt.date(2026, 2, 1)).code == "CV"
        and person.position_on(dt.date(2026, 1, 1)).code == "CV"
    )
    back = "Mã cán bộ,Họ và tên,Đơn vị,Ngày hiệu lực\nCB09,Ngô Thị Lan,HT,01/03/2026\n"
    assert import_file("people", write("c.csv", back)).updated == ["CB09"]
    session.expire_all()
    person = session.query(Person).filter_by(code="CB09").one()
    stretches = [(a.unit.code, a.valid_from, a.valid_to) for a in person.assignments]
    assert stretches[-2:] == [
        ("DS", dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
        ("HT", dt.date(2026, 3, 1), None),
    ]


def test_leader_cycle_through_stored_people(session, people, write, snapshot):
    before = snapshot()
    # stored: CB01 → LD01; making LD01 report to CB01 closes a loop
    text = "Mã cán bộ,Họ và tên,Đơn vị,Người quản lý\nLD01,Nguyễn Văn An,HT,CB01\n"
    report = import_file("people", write("vong.csv", text))
    assert [(e.row, e.column) for e in report.errors] == [(2, "Người quản lý")]
    assert "LD01 → CB01 → LD01" in report.errors[0].message
    assert snapshot() == before
