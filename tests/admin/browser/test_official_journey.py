"""Journey: an official signs in, lands on their own page, reads the provisional score, why and what
would raise it, and submits a self-assessment; at desktop and phone width (390 × 844, no horizontal
scroll). The task-assignment software first sends three unfinished tasks through the REST API (the
provisional score follows at once) and the evaluator opens February for self-assessments (`kpi assess`
on the served database)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

from journey import login, shot

TOKEN = "kpi_demo_hac_thanh_chi_dung_thu_nghiem"  # the demo's public token (app/services/demo.py)
PHONE = {"width": 390, "height": 844}


def _send_tasks(server: str) -> None:
    items = [
        {"mã_nhiệm_vụ": f"HANH-TRINH-{i}", "mã_cán_bộ": "HT0012", "kỳ": "2026-03", "trạng_thái": "Đang thực hiện",
         "tên_nhiệm_vụ": title, "hạn_hoàn_thành": "31/12/2026", "khối_lượng_giao": 1, "hệ_số_quy_đổi": 2.5}
        for i, title in enumerate(("Rà soát hồ sơ đất đai", "Báo cáo cải cách hành chính", "Tổng hợp ý kiến cử tri"))
    ]  # fmt: skip
    request = urllib.request.Request(
        server + "/api/v1/tasks", data=json.dumps({"items": items}).encode(), method="POST",
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.status == 200, response.read()[:300]


def _kpi(database: str, *args: str) -> None:
    kpi = Path(sys.executable).with_name("kpi")
    env = dict(os.environ, DATABASE_URL=database, KPI_ENV="development")
    done = subprocess.run([str(kpi), *args], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


def _no_horizontal_scroll(page) -> None:
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], width


def _codes(text: str) -> set[str]:
    return set(re.findall(r"\b(?:HT|DS)\d{4}\b", text))


def test_official_reads_the_advice_and_self_assesses(page, server, live_database):
    _send_tasks(server)
    _kpi(live_database, "assess", "run", "HT", "2026-02")
    _kpi(live_database, "assess", "open", "HT", "2026-02", "--user", "hacthanh.danhgia")

    login(page, "HT0012", "demo-canbo-2026")
    page.wait_for_url("**/admin/cua-toi/")
    body = page.inner_text("body")
    assert "Cán bộ, công chức" in body and "Điểm tạm tính tháng 03/2026" in body
    assert _codes(body) == {"HT0012"}  # their own record only
    score = page.inner_text("#diem")
    assert re.fullmatch(r"\d{1,3}(,\d{1,2})?", score), score  # decimal comma
    assert page.inner_text("#vi-sao").startswith("Đạt ")
    advice = page.inner_text("#nang-xep-loai")
    assert "Chưa đạt" in advice and "nhiệm vụ còn lại" in advice and "để đạt" in advice
    assert "Rà soát hồ sơ đất đai" in page.inner_text("#nhiem-vu")
    _no_horizontal_scroll(page)
    shot(page, "cua-toi-may-tinh")

    page.fill("#tu-danh-gia textarea", "Tháng 02 tôi hoàn thành đủ nhiệm vụ được giao, đúng hạn.")
    page.click("#tu-danh-gia button[type=submit]")
    page.wait_for_url("**/admin/cua-toi/**")
    assert "Đã gửi tự đánh giá" in page.inner_text("body")
    assert "đúng hạn." in page.inner_text("#tu-danh-gia")
    shot(page, "cua-toi-da-tu-danh-gia")

    page.set_viewport_size(PHONE)
    page.goto("/admin/cua-toi/")
    _no_horizontal_scroll(page)
    assert page.is_visible("#diem") and page.is_visible("#con-thieu")
    shot(page, "cua-toi-dien-thoai")
    page.locator("#tu-danh-gia").scroll_into_view_if_needed()
    shot(page, "cua-toi-dien-thoai-tu-danh-gia")

    response = page.goto("/admin/cua-toi/ket-qua/999999")
    assert response.status == 404 and "Không tìm thấy" in page.inner_text("body")


def test_the_other_wards_official_reads_a_published_result(page, server, live_database):
    """Đông Sơn publishes January (decided with a written reason for DS0012); DS0012 reads it and its
    explanation on a phone; nobody else's record appears; the other ward's evaluator sees only their own."""
    _kpi(live_database, "assess", "run", "DS", "2026-01")
    for step in ("open", "review"):
        _kpi(live_database, "assess", step, "DS", "2026-01", "--user", "dongson.danhgia")
    _kpi(live_database, "assess", "decide", "DS", "2026-01", "--user", "dongson.danhgia", "--person", "DS0012",
         "--level", "Hoàn thành nhiệm vụ", "--reason", "Chưa nộp báo cáo tổng kết đúng hạn")  # fmt: skip
    _kpi(live_database, "assess", "publish", "DS", "2026-01", "--user", "dongson.danhgia")

    login(page, "DS0012", "demo-canbo-2026")
    page.wait_for_url("**/admin/cua-toi/")
    assert _codes(page.inner_text("body")) == {"DS0012"}
    published = page.inner_text("#ket-qua")
    assert "tháng 01/2026" in published and "Chưa nộp báo cáo tổng kết đúng hạn" in published
    page.set_viewport_size(PHONE)
    page.reload()
    _no_horizontal_scroll(page)
    shot(page, "cua-toi-dong-son-dien-thoai")
    page.click("#ket-qua >> text=Xem giải thích")
    page.wait_for_url("**/admin/cua-toi/ket-qua/**")
    body = page.inner_text("body")
    assert "Kết quả tháng 01/2026" in body and "Vì sao được mức này" in body and "Lịch sử" in body
    assert _codes(body) == {"DS0012"}
    _no_horizontal_scroll(page)
    shot(page, "cua-toi-ket-qua-dien-thoai")
    page.context.clear_cookies()  # signed out
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, "dongson.danhgia", "demo-danhgia-2026")
    page.goto("/admin/cua-toi/")
    assert _codes(page.inner_text("body")) <= {"DS0001"}
