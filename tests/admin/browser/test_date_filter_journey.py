"""Journey: a list's date filter is typed and shown dd/mm/yyyy (no yyyy-mm-dd date picker)."""

from __future__ import annotations

from journey import login, shot


def test_version_list_date_filter(page):
    login(page, "tinh.quantri", "demo-tinh-2026")
    page.goto("/admin/bo-quy-tac/")
    assert "TH-2026@1" in page.inner_text("table.model-list")
    page.click("a.dropdown-toggle:has-text('Thêm bộ lọc'), a.dropdown-toggle:has-text('Bộ lọc')")
    page.click(".field-filters a.filter:text-is('Hiệu lực từ')")
    field = page.locator("input.filter-val").last
    field.wait_for()
    assert field.get_attribute("placeholder") == "dd/mm/yyyy"
    assert page.locator(".daterangepicker:visible").count() == 0  # no yyyy-mm-dd picker opens
    field.fill("01/06/2026")
    shot(page, "loc-ngay")
    page.click("#filter_form button[type=submit]")
    page.wait_for_url("**flt*")
    assert "TH-2026@1" not in page.inner_text("body")
    assert page.locator("input.filter-val").last.input_value() == "01/06/2026"
    assert "01%2F06%2F2026" in page.url or "01/06/2026" in page.url
