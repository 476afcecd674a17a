"""Tasks imports: preview, all-or-nothing, every error at once, idempotence, standard products."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from app.models import Task
from app.services.imports import import_file


def test_import_then_same_file_changes_nothing(session, people, write, snapshot, tasks_csv):
    path = write("nhiem-vu.csv", tasks_csv)
    preview = import_file("tasks", path, dry_run=True)
    assert preview.ok and len(preview.created) == 3 and not preview.applied
    assert session.query(Task).count() == 0
    report = import_file("tasks", path)
    assert report.applied and sorted(report.created) == ["NV1", "NV2", "NV3"]
    nv2 = session.query(Task).filter_by(external_id="NV2").one()
    assert nv2.period == "2026-01" and nv2.delays == 1 and nv2.quantity_completed == Decimal(2)
    nv3 = session.query(Task).filter_by(external_id="NV3").one()
    assert nv3.quantity_completed == 0 and nv3.delays == 0 and nv3.completed_on is None
    before = snapshot()
    again = import_file("tasks", path)
    assert again.ok and not again.created and not again.updated and again.unchanged == 3
    assert "không thay đổi" in again.summary()
    assert snapshot() == before


def test_messy_file_bom_semicolons_nfd_decimal_commas(session, people, write):
    import unicodedata

    text = (
        "MA NHIEM VU;ma_can_bo;Kỳ;Tên nhiệm vụ;Ngày giao;HAN_HOAN_THANH;Ngày hoàn thành;Trạng thái;"
        "Khối lượng giao;Hệ số quy đổi;Miễn trừ\n"
        "X1;CB01;01/2026;Báo cáo quý;05/01/2026;20/01/2026;19/01/2026;hoàn thành;2,5;1,5;không\n"
        "X2;CB02;2026-01;Văn bản;2026-01-05;2026-01-20;;Huỷ;1;1;có\n"
    )
    path = write("nhiem-vu.csv", "\ufeff" + unicodedata.normalize("NFD", text))
    report = import_file("tasks", path)
    assert report.ok, report.render()
    x1 = session.query(Task).filter_by(external_id="X1").one()
    assert x1.quantity_assigned == Decimal("2.5") and x1.conversion_factor == Decimal("1.5")
    assert x1.status == "Hoàn thành" and x1.title == "Báo cáo quý" and x1.assigned_on == dt.date(2026, 1, 5)
    x2 = session.query(Task).filter_by(external_id="X2").one()
    assert x2.status == "Hủy" and x2.exempt is True


def test_xlsx_and_json_files(session, people, tmp_path):
    import json

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Mã nhiệm vụ", "Mã cán bộ", "Hạn hoàn thành", "Trạng thái", "Khối lượng giao"])
    ws.append(["E1", "CB01", dt.datetime(2026, 2, 10), "Hoàn thành", 3])
    wb.save(tmp_path / "nv.xlsx")
    (tmp_path / "nv.json").write_text(
        json.dumps([{"mã_nhiệm_vụ": "J1", "mã_cán_bộ": "CB02", "kỳ": "2026-02", "trạng_thái": "Hoàn thành"}]),
        encoding="utf-8",
    )
    assert import_file("tasks", tmp_path / "nv.xlsx").ok
    assert import_file("tasks", tmp_path / "nv.json").ok
    e1 = session.query(Task).filter_by(external_id="E1").one()
    assert e1.period == "2026-02" and e1.quantity_completed == 3


def test_broken_file_reports_every_error_and_changes_nothing(session, people, write, snapshot, tasks_csv):
    import_file("tasks", write("ok.csv", tasks_csv))
    before = snapshot()
    text = (
        "Mã nhiệm vụ,Mã cán bộ,Kỳ,Hạn hoàn thành,Trạng thái,Khối lượng giao,Số lần sai sót lớn\n"
        "NV1,CB01,2026-01,20/01/2026,Hoàn thành,5,0\n"  # a valid update: must not be applied
        "B1,KHONGCO,2026-01,20/01/2026,Hoàn thành,1,0\n"
        "B2,CB01,2026-01,31/02/2026,Hoàn thành,1,0\n"
        "B3,CB01,2026-01,20/01/2026,Xong,1,0\n"
        'B4,CB01,2026-01,20/01/2026,Hoàn thành,"1.234",0\n'
        "B4,CB02,2026-01,20/01/2026,Hoàn thành,1,1.5\n"
        "B6,CB01,,,Hoàn thành,1,0\n"
    )
    report = import_file("tasks", write("hong.csv", text))
    assert not report.ok and not report.applied
    found = {(e.row, e.column) for e in report.errors}
    assert {(3, "Mã cán bộ"), (4, "Hạn hoàn thành"), (5, "Trạng thái"), (6, "Khối lượng giao")} <= found
    assert {(7, "Mã nhiệm vụ"), (7, "Số lần sai sót lớn"), (8, "Kỳ")} <= found
    assert all(e.message for e in report.errors)
    assert snapshot() == before


def test_unknown_column_is_an_error_unless_in_the_catalog(session, people, write, admin):
    from app.services.catalog import add_field

    text = "Mã nhiệm vụ,Mã cán bộ,Kỳ,Trạng thái,Số hồ sơ đúng hạn\nH1,CB01,2026-01,Hoàn thành,7\n"
    report = import_file("tasks", write("nv.csv", text))
    assert [(e.row, e.column) for e in report.errors] == [(1, "Số hồ sơ đúng hạn")]
    add_field("task", "số_hồ_sơ_đúng_hạn", "Số hồ sơ đúng hạn", "số", user=admin)
    report = import_file("tasks", write("nv.csv", text))
    assert report.ok, report.render()
    assert session.query(Task).filter_by(external_id="H1").one().extra == {"số_hồ_sơ_đúng_hạn": 7}


def test_changed_row_is_updated(session, people, write, tasks_csv):
    import_file("tasks", write("a.csv", tasks_csv))
    report = import_file("tasks", write("b.csv", tasks_csv.replace("Tiếp công dân", "Tiếp dân")))
    assert report.updated == ["NV3"] and report.unchanged == 2
    assert session.query(Task).filter_by(external_id="NV3").one().title == "Tiếp dân"


def test_standard_product_coefficient_from_position_catalog(session, people, write):
    from app.models import Person, Position, StandardProduct

    position = Position(code="CV-VP", name="Chuyên viên văn phòng")
    position.products += [
        StandardProduct(
            code="BC", name="Báo cáo", coefficient=Decimal("2"), effective_to=dt.date(2026, 1, 31)
        ),
        StandardProduct(
            code="BC", name="Báo cáo", coefficient=Decimal("2.5"), effective_from=dt.date(2026, 2, 1)
        ),
    ]
    session.add(position)
    session.query(Person).filter_by(code="CB01").one().position = position
    session.commit()
    text = (
        "Mã nhiệm vụ,Mã cán bộ,Ngày giao,Hạn hoàn thành,Trạng thái,Sản phẩm chuẩn,Hệ số quy đổi\n"
        "P1,CB01,10/01/2026,20/01/2026,Hoàn thành,BC,\n"
        "P2,CB01,10/02/2026,20/02/2026,Hoàn thành,bc,\n"
        "P3,CB01,10/02/2026,20/02/2026,Hoàn thành,BC,4\n"
        "P4,CB01,10/02/2026,20/02/2026,Hoàn thành,TT,\n"
        "P5,CB02,10/02/2026,20/02/2026,Hoàn thành,BC,\n"
    )
    report = import_file("tasks", write("sp.csv", text))
    assert [(e.row, e.column) for e in report.errors] == [(5, "Sản phẩm chuẩn"), (6, "Sản phẩm chuẩn")]
    report = import_file("tasks", write("sp.csv", "\n".join(text.splitlines()[:4]) + "\n"))
    assert report.ok, report.render()
    factor = {t.external_id: t.conversion_factor for t in session.query(Task)}
    assert factor == {"P1": Decimal(2), "P2": Decimal("2.5"), "P3": Decimal(4)}
    assert all(t.standard_product_id for t in session.query(Task))


def test_same_external_id_in_another_source_system_is_another_task(session, people, write, tasks_csv):
    path = write("a.csv", tasks_csv)
    import_file("tasks", path)
    report = import_file("tasks", path, source_system="phan-mem-giao-viec")
    assert len(report.created) == 3 and session.query(Task).count() == 6


def test_broken_xlsx_and_json_change_nothing(session, people, tmp_path, snapshot):
    import openpyxl

    before = snapshot()
    (tmp_path / "hong.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    report = import_file("tasks", tmp_path / "hong.xlsx")
    assert not report.ok and report.errors[0].row is None
    (tmp_path / "hong.json").write_text('[{"Mã nhiệm vụ": "J1",', encoding="utf-8")
    assert not import_file("tasks", tmp_path / "hong.json").ok
    wb = openpyxl.Workbook()
    wb.active.append(["Mã nhiệm vụ", "Mã cán bộ", "Kỳ", "Trạng thái", "Khối lượng giao"])
    wb.active.append(["X1", "CB01", "2026-01", "Hoàn thành", -1])
    wb.active.append(["X2", "CB01", "2026-01", "Hoàn thành", dt.datetime(2026, 1, 1)])
    wb.save(tmp_path / "am.xlsx")
    report = import_file("tasks", tmp_path / "am.xlsx")
    assert {(e.row, e.column) for e in report.errors} == {(2, "Khối lượng giao"), (3, "Khối lượng giao")}
    assert snapshot() == before


def test_audit_entry_with_counts(session, people, write, tasks_csv):
    from app.models import AuditLog

    import_file("tasks", write("nv.csv", tasks_csv))
    entry = session.query(AuditLog).filter_by(action="import.tasks").one()
    assert entry.after["created"] == 3 and entry.after["rows"] == 3 and entry.actor == "system"
