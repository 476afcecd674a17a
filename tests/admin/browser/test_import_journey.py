"""Journey: a ward administrator imports tasks: a broken file shows the table of row errors and changes
nothing; the good file is previewed, then imported."""

from __future__ import annotations

from pathlib import Path

from journey import login, shot

DATA = Path(__file__).resolve().parents[1] / "data"


def test_import_tasks(page):
    login(page, "hacthanh.quantri", "demo-hacthanh-2026")
    page.goto("/admin/nhap/")
    page.select_option("#kind", "tasks")
    page.set_input_files("#file", str(DATA / "nhiem-vu-loi.csv"))
    page.click("text=Xem trước")
    table = page.locator("#import-errors")
    table.wait_for()
    rows = table.locator("tbody tr")
    assert rows.count() == 2
    assert "Hạn hoàn thành" in rows.nth(0).inner_text() and "31/02/2026" in rows.nth(0).inner_text()
    assert "Trạng thái" in rows.nth(1).inner_text() and "Xong rồi" in rows.nth(1).inner_text()
    assert page.locator("#import-commit").count() == 0
    shot(page, "nhap-loi")
    page.select_option("#kind", "tasks")
    page.set_input_files("#file", str(DATA / "nhiem-vu.csv"))
    page.click("text=Xem trước")
    assert "Xem trước (chưa ghi gì)" in page.inner_text("#import-report")
    shot(page, "nhap-xem-truoc")
    page.click("#import-commit")
    assert "Đã nhập nhiem-vu.csv" in page.inner_text("#import-report")
    shot(page, "nhap-xong")
    page.goto("/admin/nhiem-vu/?flt3_3=WEB-002")
    assert "Tổng hợp số liệu" in page.inner_text("body")
    shot(page, "nhiem-vu-loc")
