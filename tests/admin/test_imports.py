"""Imports from the browser: preview with the table of row errors, nothing written; a good file imported
all at once; another ward's people refused; template downloads."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl

DATA = Path(__file__).parent / "data"


def _upload(b, kind: str, name: str):
    return b.post(
        "/admin/nhap/xem-truoc",
        data={"csrf_token": b.token("/admin/nhap/"), "kind": kind,
              "file": (io.BytesIO((DATA / name).read_bytes()), name)},
        content_type="multipart/form-data",
    )  # fmt: skip


def _count_web_tasks(web) -> int:
    from app.extensions import db
    from app.models import Task

    with web.app_context():
        return db.session.scalar(db.select(db.func.count(Task.id)).where(Task.external_id.like("WEB-%")))


def test_broken_file_shows_every_row_error_and_writes_nothing(web, browser):
    b = browser("hacthanh.quantri")
    response = _upload(b, "tasks", "nhiem-vu-loi.csv")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert 'id="import-errors"' in text and 'id="import-commit"' not in text
    assert "31/02/2026" in text and "Xong rồi" in text  # the wrong values, with their rows
    assert "<td>3</td><td>Hạn hoàn thành</td>" in text and "<td>4</td><td>Trạng thái</td>" in text
    assert _count_web_tasks(web) == 0


def test_good_file_preview_then_import(web, browser):
    b = browser("hacthanh.quantri")
    preview = _upload(b, "tasks", "nhiem-vu.csv")
    text = preview.get_data(as_text=True)
    assert 'id="import-commit"' in text and "WEB-001" in text
    assert _count_web_tasks(web) == 0  # a preview writes nothing
    token = text.split('name="token" value="')[1].split('"')[0]
    done = b.post("/admin/nhap/nhap", data={"csrf_token": b.token("/admin/nhap/"), "token": token})
    assert done.status_code == 200 and "Đã nhập" in done.get_data(as_text=True)
    assert _count_web_tasks(web) == 3
    again = b.post(
        "/admin/nhap/nhap",
        data={"csrf_token": b.token("/admin/nhap/"), "token": token},
        follow_redirects=True,
    )
    assert "không còn" in again.get_data(as_text=True)  # the same upload is not imported twice
    # someone else cannot use the token (it lives in the uploader's session)
    other = browser("hacthanh.danhgia")
    response = other.post(
        "/admin/nhap/nhap",
        data={"csrf_token": other.token("/admin/nhap/"), "token": token},
        follow_redirects=True,
    )
    assert "không còn" in response.get_data(as_text=True)


def test_other_wards_people_are_refused(web, browser):
    b = browser("hacthanh.danhgia")
    text = _upload(b, "tasks", "nhiem-vu-dong-son.csv").get_data(as_text=True)
    assert 'id="import-errors"' in text and "phạm vi" in text and "DS0012" in text


def test_roles_and_kinds(web, browser):
    assert browser("HT0012").get("/admin/nhap/").status_code == 403
    evaluator = browser("hacthanh.danhgia")
    assert evaluator.get("/admin/nhap/mau/units").status_code == 403
    response = evaluator.get("/admin/nhap/mau/tasks")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    assert sheet.cell(1, 1).value == "Mã nhiệm vụ"
    assert browser("hacthanh.quantri").get("/admin/nhap/mau/khac").status_code == 404


def test_upload_needs_csrf_and_a_csv_or_xlsx(web, browser):
    b = browser("hacthanh.quantri")
    response = b.post("/admin/nhap/xem-truoc", data={"kind": "tasks"})
    assert response.status_code == 400
    response = b.post(
        "/admin/nhap/xem-truoc",
        data={"csrf_token": b.token("/admin/nhap/"), "kind": "tasks", "file": (io.BytesIO(b"x"), "a.exe")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "chỉ nhận tệp .csv hoặc .xlsx" in response.get_data(as_text=True)
