"""Helpers for the import tests: write files, snapshot the whole database."""

from __future__ import annotations

import pytest

PEOPLE_CSV = """\
Mã cán bộ,Họ và tên,Đơn vị,Chức vụ,Lãnh đạo,Nhóm nhiệm vụ,Người quản lý
LD01,Nguyễn Văn An,HT,Chủ tịch,có,Lãnh đạo,
CB01,Trần Thị Bình,HT-VP,Chuyên viên,không,Văn phòng,LD01
CB02,Lê Văn Cường,HT-VP,Chuyên viên,không,Văn phòng,LD01
CB03,Phạm Thị Dung,DS,Chuyên viên,không,Văn phòng,
"""

TASKS_CSV = """\
Mã nhiệm vụ,Mã cán bộ,Kỳ,Tên nhiệm vụ,Ngày giao,Hạn hoàn thành,Ngày hoàn thành,Trạng thái,Khối lượng giao
NV1,CB01,2026-01,Soạn báo cáo tháng,05/01/2026,20/01/2026,19/01/2026,Hoàn thành,1
NV2,CB01,,Tổng hợp số liệu,2026-01-06,2026-01-25,2026-01-27,Hoàn thành,2
NV3,CB02,2026-01,Tiếp công dân,05/01/2026,31/01/2026,,Đang thực hiện,1
"""


@pytest.fixture
def write(tmp_path):
    def _write(name: str, text: str, encoding: str = "utf-8") -> str:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return str(path)

    return _write


def table_contents(session) -> dict:
    """Every row of every table (sorted), to compare the database before and after."""
    from app.extensions import db

    out = {}
    for table in db.metadata.sorted_tables:
        rows = session.execute(table.select()).all()
        out[table.name] = sorted(repr(tuple(r)) for r in rows)
    return out


@pytest.fixture
def snapshot(session):
    return lambda: table_contents(session)


@pytest.fixture
def people(session, units, write):
    from app.services.imports import import_file

    report = import_file("people", write("nguoi.csv", PEOPLE_CSV))
    assert report.ok, report.render()
    session.commit()
    return report


@pytest.fixture
def tasks_csv() -> str:
    return TASKS_CSV


@pytest.fixture
def people_csv() -> str:
    return PEOPLE_CSV
