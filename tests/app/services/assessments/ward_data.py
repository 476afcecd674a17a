"""Test helper: a small ward imported through the import services and run by the assessment service.

P has 10 tasks, one done late once, general score 20: a = b = 100, c = 97.5, KQ = 99.1667 → 69.42 + 20
= 89.42 "tốt" (with no deduction for delays it would be 90.00 "xuất sắc"); T1…T5 have one task done and
general score 10: 80.00 "tốt" (five "tốt" colleagues let one "xuất sắc" pass the 20% quota)."""

from __future__ import annotations

from stored_results import load_national

PEOPLE = "Mã cán bộ,Họ và tên,Đơn vị,Nhóm nhiệm vụ\nP,Nguyễn Văn Phúc,HT,Chuyên viên\n" + "".join(
    f"T{i},Trần Thị Tư {i},HT,Chuyên viên\n" for i in range(1, 6)
)
HEAD = "Mã nhiệm vụ,Mã cán bộ,Kỳ,Trạng thái,Khối lượng giao,Khối lượng hoàn thành,Số lần chậm\n"
TASKS = (
    HEAD
    + "".join(f"P{i},P,2026-01,Hoàn thành,1,1,{1 if i == 9 else 0}\n" for i in range(10))
    + "".join(f"T{i}-1,T{i},2026-01,Hoàn thành,1,1,0\n" for i in range(1, 6))
)
INPUTS = "Mã cán bộ,Kỳ,Điểm tiêu chí chung\nP,2026-01,20\n" + "".join(
    f"T{i},2026-01,10\n" for i in range(1, 6)
)


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def import_ward(session, tmp_path):
    from app.services.imports import import_file

    load_national(session, names=("nd-335-2025.kpi",))
    session.commit()
    for kind, name, text in (("people", "nguoi.csv", PEOPLE), ("tasks", "nhiem-vu.csv", TASKS),
                             ("inputs", "dau-vao.csv", INPUTS)):  # fmt: skip
        report = import_file(kind, _write(tmp_path, name, text))
        assert report.ok, report.render()


def run_ward(session, tmp_path, unit="HT", period="2026-01"):
    """Import the ward and run its assessment (committed); returns the Assessment."""
    from app.services import assessments
    from app.services.scope import Scope

    import_ward(session, tmp_path)
    report = assessments.run(unit, period, scope=Scope.everything())
    session.commit()
    return report.assessment
