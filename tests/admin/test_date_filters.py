"""Date filters of the admin lists are typed and shown dd/mm/yyyy (not Flask-Admin's yyyy-mm-dd picker)."""

from __future__ import annotations

import html
import json
import re

from admin.i18n import parse_vn_date


def _date_filters(text: str) -> dict[str, dict]:
    data = re.search(r'<div id="filter-groups-data" class="d-none">(.*?)</div>', text, re.S).group(1)
    groups = json.loads(html.unescape(data))
    return {f"{name} {item['operation']}": item for name, items in groups.items() for item in items
            if item["type"] == "vn-date"}  # fmt: skip


def test_parse_vn_date():
    import datetime as dt

    assert parse_vn_date("01/07/2026") == dt.date(2026, 7, 1) == parse_vn_date("1/7/2026")
    assert parse_vn_date("2026-07-01") == dt.date(2026, 7, 1) and parse_vn_date(" ") is None
    for bad in ("31/02/2026", "07/2026", "hôm nay"):
        try:
            parse_vn_date(bad)
        except ValueError as exc:
            assert "dd/mm/yyyy" in str(exc)
        else:
            raise AssertionError(bad)


def test_version_list_filters_by_vietnamese_dates(browser):
    b = browser("hacthanh.quantri")
    page = b.get("/admin/bo-quy-tac/").get_data(as_text=True)
    filters = _date_filters(page)
    assert sorted(filters) == ["Hiệu lực từ sau ngày", "Hiệu lực từ trước ngày", "Hiệu lực đến sau ngày",
                               "Hiệu lực đến trước ngày"]  # fmt: skip
    assert "vn-date-filters.js" in page
    url = f"/admin/bo-quy-tac/?flt0_{filters['Hiệu lực từ sau ngày']['arg']}="
    later = b.get(url + "01/06/2026").get_data(as_text=True)
    earlier = b.get(url + "01/12/2025").get_data(as_text=True)
    assert "TH-2026@1" in earlier and "TH-2026@1" not in later
    assert 'value="01/06/2026"' in later or "01/06/2026" in html.unescape(later)  # shown as typed
    bad = b.get(url + "31/02/2026")
    assert bad.status_code == 200 and "TH-2026@1" in bad.get_data(
        as_text=True
    )  # an unreadable date is ignored
