"""Journey: the dashboards in Chromium. The demo database with assessments (both wards for 2026-01,
Hạc Thành decided; the province for 2026-02, Hạc Thành's own for 2026-02) is served by `kpi serve`; a
ward's evaluator and the province administrator open the dashboard: the charts are drawn (canvas
rendered by Chart.js), the tables under them hold the figures, the other ward is refused."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from journey import login, shot


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _prepare(url: str) -> dict:
    """Migrate, load the demo, run and decide assessments; the figures the pages must show."""
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db
    from app.models import User
    from app.services import assessments
    from app.services.assessments import dashboards, results_of, workflow
    from app.services.demo import run_demo
    from app.services.scope import Scope

    application = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "browser-tests-dashboards-0123456789"}
    )
    with application.app_context():
        upgrade()
        run_demo()
        for unit, period in (("HT", "2026-01"), ("DS", "2026-01"), ("TH", "2026-02"), ("HT", "2026-02")):
            assessments.run(unit, period, scope=Scope.everything())
        db.session.commit()
        ht = assessments.get("HT", "2026-01", scope=Scope.everything())
        user = db.session.scalar(db.select(User).where(User.username == "hacthanh.danhgia"))
        workflow.open_feedback(ht, user)
        workflow.review(ht, user)
        moved = next(r for r in results_of(ht) if r.level == "Hoàn thành tốt nhiệm vụ")
        workflow.decide(ht, user, {moved.person_code: ("Hoàn thành nhiệm vụ", "Vi phạm quy chế làm việc")})
        db.session.commit()
        expected = {
            name: dashboards.to_json(dashboards.build(Scope.of_user(u), None, "2026-01"))
            for name in ("hacthanh.danhgia", "tinh.quantri")
            for u in [db.session.scalar(db.select(User).where(User.username == name))]
        }
        db.session.remove()
        db.engine.dispose()
    return expected


@pytest.fixture(scope="module")
def dash_server(tmp_path_factory):
    work = tmp_path_factory.mktemp("kpi-dash-live")
    url = f"sqlite:///{work / 'kpi.sqlite3'}"
    expected = _prepare(url)
    port = _port()
    env = dict(os.environ, DATABASE_URL=url, SECRET_KEY="browser-tests-dashboards", KPI_ENV="development")
    kpi = Path(sys.executable).with_name("kpi")
    log = (work / "serve.log").open("w")
    process = subprocess.Popen([str(kpi), "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
                               stdout=log, stderr=subprocess.STDOUT, env=env)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/dang-nhap", timeout=2):
                    break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, "kpi serve did not start"
                time.sleep(0.3)
        yield base, expected
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture
def dash_page(chromium, dash_server):
    base, expected = dash_server
    context = chromium.new_context(base_url=base, viewport={"width": 1366, "height": 900}, locale="vi-VN")
    context.set_default_timeout(15000)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg, expected
    context.close()
    assert not errors, errors


def _charts_drawn(page) -> None:
    for chart in ("chart-levels", "chart-trend", "chart-criteria"):
        canvas = page.locator(f"#{chart}")
        assert canvas.get_attribute("data-rendered") == "1", chart
        box = canvas.bounding_box()
        assert box and box["width"] > 300 and box["height"] > 100, (chart, box)
        # Chart.js drew something: the canvas is not blank
        painted = page.evaluate(
            """id => { const c = document.getElementById(id); const d = c.getContext('2d')
                 .getImageData(0, 0, c.width, c.height).data; let n = 0;
                 for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }""",
            chart,
        )
        assert painted > 1000, (chart, painted)


def _table_matches(page, data) -> None:
    for unit in data["units"]:
        row = page.locator(f"#table-levels tr[data-unit='{unit['code']}']")
        assert row.locator("td[data-col=people]").inner_text() == str(unit["people"])
        for level, n in unit["levels"].items():
            assert row.locator(f"td[data-level='{level}']").inner_text() == str(n)
        score = unit["averages"]["score"]
        shown = page.locator(
            f"#table-criteria tr[data-row^='{unit['code']} '] td[data-col=score]"
        ).inner_text()
        assert shown == score.replace(".", ","), (unit["code"], shown, score)


def test_ward_evaluator_dashboard(dash_page):
    page, expected = dash_page
    login(page, "hacthanh.danhgia", "demo-danhgia-2026")
    page.click("text=Bảng điều khiển")
    page.wait_for_url("**/bang-dieu-khien/**")
    page.fill("#ky", "2026-01")
    page.click("#dash-filter button[type=submit]")
    page.wait_for_load_state("networkidle")
    body = page.inner_text("body")
    assert "Phường Hạc Thành (HT)" in body and "Kỳ đánh giá: tháng 01/2026 (01/01/2026 – 31/01/2026)" in body
    assert not re.search(r"\bDS(-|\d)", body)
    _charts_drawn(page)
    _table_matches(page, expected["hacthanh.danhgia"])
    assert page.locator("[data-progress=not_published]").inner_text() == str(
        len(expected["hacthanh.danhgia"]["units"])
    )
    shot(page, "bang-dieu-khien-hac-thanh")
    response = page.goto("/admin/bang-dieu-khien/?don_vi=DS&ky=2026-01")
    assert response.status == 403 and "Không có quyền truy cập" in page.inner_text("body")


def test_province_admin_dashboard(dash_page):
    page, expected = dash_page
    login(page, "tinh.quantri", "demo-tinh-2026")
    page.goto("/admin/bang-dieu-khien/?ky=2026-01")
    body = page.inner_text("body")
    assert "Tỉnh Thanh Hóa (TH)" in body
    _charts_drawn(page)
    _table_matches(page, expected["tinh.quantri"])
    trend = page.locator("#table-trend tr[data-period='2026-01'] td").all_inner_texts()
    assert trend[-1] == "120"
    shot(page, "bang-dieu-khien-tinh")
    page.click("#table-levels a:text('DS')")
    page.wait_for_url("**don_vi=DS**")
    assert "Phường Đông Sơn (DS)" in page.inner_text("body")
    _charts_drawn(page)
    shot(page, "bang-dieu-khien-tinh-dong-son")


def test_phone_width_dashboard_opens_on_the_latest_period(chromium, dash_server):
    """390 px wide, no period asked: the latest period with results in the province (2026-02, not the
    current month), the charts drawn, nothing wider than the screen but the tables' own scrolling."""
    base, _expected = dash_server
    context = chromium.new_context(base_url=base, viewport={"width": 390, "height": 844}, locale="vi-VN")
    context.set_default_timeout(15000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        login(page, "tinh.quantri", "demo-tinh-2026")
        page.goto("/admin/bang-dieu-khien/")
        body = page.inner_text("body")
        assert "Kỳ đánh giá: tháng 02/2026 (01/02/2026 – 28/02/2026)" in body
        assert page.input_value("#ky") == "2026-02"
        _charts_drawn_at(page, min_width=250)
        assert page.evaluate("document.documentElement.scrollWidth") <= 391
        shot(page, "bang-dieu-khien-tinh-390")
    finally:
        context.close()
    assert not errors, errors


def _charts_drawn_at(page, min_width: int) -> None:
    for chart in ("chart-levels", "chart-trend", "chart-criteria"):
        canvas = page.locator(f"#{chart}")
        assert canvas.get_attribute("data-rendered") == "1", chart
        box = canvas.bounding_box()
        assert box and box["width"] >= min_width and box["height"] > 100, (chart, box)
