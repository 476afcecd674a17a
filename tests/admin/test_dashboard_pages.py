"""The dashboards page and its JSON, on the demo data with assessments of both wards: staff of each
ward see their ward only (another ward's code in the URL: 403), the province administrator sees both
wards and may open either, officials are refused, numbers are shown the Vietnamese way."""

from __future__ import annotations

import re

import pytest
from support import WARD_USERS

PAGE = "/admin/bang-dieu-khien/"
JSON = "/admin/bang-dieu-khien/api/du-lieu"
OTHER = {"HT": "DS", "DS": "HT"}


@pytest.fixture(scope="module")
def assessed(web):
    """HT and DS assessed for 2026-01 (HT's decided, one level changed); the province for 2026-02."""
    from app.extensions import db
    from app.models import User
    from app.services import assessments
    from app.services.assessments import results_of, workflow
    from app.services.scope import Scope

    with web.app_context():
        for unit, period in (("HT", "2026-01"), ("DS", "2026-01"), ("TH", "2026-02")):
            assessments.run(unit, period, scope=Scope.everything())
        db.session.commit()
        ht = assessments.get("HT", "2026-01", scope=Scope.everything())
        user = db.session.scalar(db.select(User).where(User.username == "hacthanh.danhgia"))
        workflow.open_feedback(ht, user)
        workflow.review(ht, user)
        moved = next(r for r in results_of(ht) if r.level == "Hoàn thành tốt nhiệm vụ")
        workflow.decide(ht, user, {moved.person_code: ("Hoàn thành nhiệm vụ", "Vi phạm quy chế làm việc")})
        db.session.commit()
        db.session.remove()
    return web


def _codes(web, prefix: str) -> list[str]:
    from app.extensions import db
    from app.models import Person, Unit

    with web.app_context():
        codes = db.session.scalars(db.select(Person.code).where(Person.code.like(f"{prefix}%"))).all()
        codes += db.session.scalars(db.select(Unit.code).where(Unit.code.like(f"{prefix}-%"))).all()
        db.session.remove()
    return codes


@pytest.mark.parametrize("ward", ["HT", "DS"])
def test_ward_staff_see_their_ward_only(assessed, browser, ward):
    leaked = _codes(assessed, OTHER[ward])
    for username in WARD_USERS[ward][:2]:  # administrator and evaluator
        b = browser(username)
        for url in (
            PAGE,
            f"{PAGE}?ky=2026-01",
            f"{PAGE}?ky=2026-02",
            f"{JSON}?ky=2026-01",
            f"{JSON}?ky=2026-02",
        ):
            response = b.get(url)
            assert response.status_code == 200, (username, url, response.status_code)
            found = [c for c in leaked if re.search(rf"\b{re.escape(c)}\b", response.text)]
            assert not found, (username, url, found[:3])
        data = b.get(f"{JSON}?ky=2026-01").get_json()
        assert data["unit"]["code"] == ward and data["unit"]["parent"] is None
        assert {u["code"].split("-")[0] for u in data["units"]} == {ward}
        assert sum(u["people"] for u in data["units"]) == 60
        for url in (f"{PAGE}?don_vi={OTHER[ward]}", f"{JSON}?don_vi={OTHER[ward]}",
                    f"{PAGE}?don_vi={OTHER[ward]}-VP&ky=2026-01", f"{JSON}?don_vi=TH&ky=2026-02"):  # fmt: skip
            response = b.get(url)
            assert response.status_code == 403, (username, url, response.status_code)
            asked = url.split("don_vi=")[1].split("&")[0]  # the message may name the code asked for
            assert not [c for c in leaked if c != asked and re.search(rf"\b{re.escape(c)}\b", response.text)]
        assert b.get(f"{JSON}?don_vi=KHONG-CO").status_code == 404
        assert b.get(f"{JSON}?don_vi={OTHER[ward]}").get_json()["error"] == "Không có quyền truy cập"


@pytest.mark.parametrize("ward", ["HT", "DS"])
def test_officials_and_anonymous_are_refused(assessed, browser, ward):
    official = browser(WARD_USERS[ward][2])
    for url in (PAGE, JSON, f"{PAGE}?don_vi={ward}", f"{JSON}?don_vi={OTHER[ward]}"):
        assert official.get(url).status_code == 403, url
    assert "Bảng điều khiển" not in official.get("/admin/").text  # not in the menu
    anonymous = browser()
    assert anonymous.get(PAGE).status_code == 302
    assert anonymous.get(JSON, headers={"Accept": "application/json"}).status_code in (302, 401)


def test_province_admin_sees_both_wards_and_opens_one(assessed, browser):
    b = browser("tinh.quantri")
    data = b.get(f"{JSON}?ky=2026-01").get_json()
    assert data["unit"]["code"] == "TH" and [u["code"] for u in data["units"]] == ["DS", "HT"]
    assert {u["code"]: u["progress"] for u in data["units"]} == {"DS": "not_decided", "HT": "not_published"}
    ht = next(u for u in data["units"] if u["code"] == "HT")
    assert ht["changed"] == 1 and ht["assessment"] == "HT kỳ 2026-01: đã quyết định"
    page = b.get(f"{PAGE}?ky=2026-01").text
    assert "Phân bố xếp loại theo đơn vị, so với hạn mức" in page and 'id="chart-levels"' in page
    assert "chart.umd.min.js" in page and "dash.js" in page
    assert f'href="{PAGE}?don_vi=HT&amp;ky=2026-01"' in page
    # averages with a decimal comma in the tables, exact text in the JSON
    score = ht["averages"]["score"]
    assert re.fullmatch(r"\d+\.\d\d", score) and score.replace(".", ",") in page
    opened = b.get(f"{JSON}?ky=2026-01&don_vi=DS").get_json()
    assert opened["unit"] == {"code": "DS", "name": "Phường Đông Sơn", "parent": "TH"}
    assert all(u["code"].startswith("DS") for u in opened["units"])
    # the trend: both months
    trend = {t["period"]: sum(t["levels"].values()) for t in b.get(f"{JSON}?ky=2026-02").get_json()["trend"]}
    assert trend["2026-01"] == 120 and trend["2026-02"] == 120
    assert b.get(f"{PAGE}?ky=abc").status_code == 400


def test_empty_period_and_static_assets(assessed, browser):
    b = browser("hacthanh.danhgia")
    page = b.get(f"{PAGE}?ky=2025-06")
    assert page.status_code == 200 and "Chưa có kết quả đánh giá nào được lưu cho tháng 06/2025" in page.text
    assert "Chưa chạy" in page.text
    for asset in ("vendor/chartjs-4.6.1/chart.umd.min.js", "dash/dash.js", "dash/dash.css"):
        response = b.get(f"/static-kpi/{asset}")
        assert response.status_code == 200 and len(response.data) > 500, asset
        response.close()


def test_default_period_and_page_numbers(assessed, browser):
    """No period asked: the latest with results for the caller's unit (2026-02: the province's own and
    HT's), not the current month; a page number past the last, or not a number, gives the last or the
    first page with the same figures."""
    province = browser("tinh.quantri")
    data = province.get(JSON).get_json()
    assert data["period"] == "2026-02" and sum(data["totals"].values()) == 120
    assert 'value="2026-02"' in province.get(PAGE).text
    assert browser("dongson.danhgia").get(JSON).get_json()["period"] == "2026-02"  # the province's covers DS
    first = province.get(f"{JSON}?ky=2026-01").get_json()
    for asked in ("99", "0", "x"):
        again = province.get(f"{JSON}?ky=2026-01&trang={asked}").get_json()
        assert (again["page"], again["pages"]) == (1, 1) and again["units"] == first["units"], asked
        assert again["totals"] == first["totals"] and again["groups"] == first["groups"]
