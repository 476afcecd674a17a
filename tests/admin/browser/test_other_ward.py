"""Journey: a Đông Sơn user opens a Hạc Thành version and person by URL and is refused."""

from __future__ import annotations

import re

from journey import login, shot


def _first_link(page, pattern: str) -> str:
    href = page.locator(f"a[href*='{pattern}']").first.get_attribute("href")
    assert href
    return href


def test_other_wards_rows_by_url(page):
    login(page, "hacthanh.quantri", "demo-hacthanh-2026")
    page.goto("/admin/bo-quy-tac/?search=Hạc")
    version_url = _first_link(page, "/admin/quy-tac/phien-ban/")
    page.goto("/admin/can-bo/?search=HT0012")
    person_url = _first_link(page, "/admin/can-bo/details/")
    page.click("text=Đăng xuất")
    login(page, "dongson.quantri", "demo-dongson-2026")
    for url, name in ((version_url, "phien-ban"), (person_url, "can-bo")):
        response = page.goto(url)
        assert response.status == 404
        assert "Không tìm thấy" in page.inner_text("body")
        shot(page, f"phuong-khac-{name}")
    page.goto("/admin/can-bo/")
    assert not re.search(r"\bHT\d{4}\b", page.inner_text("body"))
    shot(page, "can-bo-dong-son")
