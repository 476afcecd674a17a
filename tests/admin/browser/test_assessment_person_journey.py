"""Journey: an evaluator of Hạc Thành takes a computed month through the workflow in the browser (confirm
pages), reads a person's explanation (criteria, formula, why not the level above), decides a level with a
written reason, publishes, and downloads the unit's XLSX and the person's PDF sheet (opened and checked;
a PDF page rendered to PNG). The evaluator of Đông Sơn is refused every one of those URLs. The assessment
itself is run with `kpi assess run` on the served database (the run page is another journey's)."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pypdf
import pypdfium2
from journey import SCREENSHOTS, login, shot

TOT, HT = "Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ"
REASON = "Hoàn thành xuất sắc nhiệm vụ đột xuất phòng chống bão số 3 (Văn bản 120/UBND)"


def _kpi(database: str, *args: str) -> str:
    kpi = Path(sys.executable).with_name("kpi")
    env = dict(os.environ, DATABASE_URL=database, KPI_ENV="development")
    done = subprocess.run([str(kpi), *args], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return done.stdout


def _assessment_id(database: str) -> int:
    _kpi(database, "assess", "run", "HT", "2026-01", "--quiet", "--user", "hacthanh.danhgia")
    listing = _kpi(database, "assess", "list", "--unit", "HT", "--user", "hacthanh.danhgia")
    return int(re.search(r"^\s*(\d+)\s+HT\s+2026-01\b", listing, re.M).group(1))


def _step(page, button_text: str, note: str = "") -> None:
    page.click("#btn-next")
    assert button_text in page.inner_text("h1")
    if note:
        page.fill("#note", note)
    page.click("#btn-confirm")
    page.wait_for_selector(".alert-success")


def test_evaluator_decides_publishes_and_downloads(page, chromium, server, live_database):
    a = _assessment_id(live_database)
    login(page, "hacthanh.danhgia", "demo-danhgia-2026")
    flow = f"/admin/danh-gia/{a}/quy-trinh/"
    page.goto(flow)
    assert page.inner_text("#status") == "đã tính"
    _step(page, "Mở lấy tự đánh giá và ý kiến")
    shot(page, "danh-gia-quy-trinh-may-tinh")
    _step(page, "Rà soát", note="Họp rà soát ngày 05/02/2026")
    assert page.inner_text("#status") == "đã rà soát"

    # a person's explanation: criteria with formula and values, the score, why not the level above
    person = f"/admin/danh-gia/{a}/nguoi/HT0001"
    page.goto(person)
    assert page.inner_text("#score") == "69,16"
    assert 'xếp loại "Hoàn thành nhiệm vụ"' in page.inner_text("#summary")
    assert "còn thiếu 0,84 điểm" in page.inner_text("#gap")
    criteria = page.inner_text("#criteria")
    assert "tỷ_lệ(tổng(đạt), tổng_giao" in criteria and "47,37" in criteria and "điểm a Điều 14" in criteria
    assert page.locator("#tasks tbody tr").count() == 10
    assert "Nghị định 335/2025/NĐ-CP" in page.inner_text("#citations")
    shot(page, "danh-gia-nguoi-may-tinh")

    # decide a level with a written reason: the form, the confirm page, the result beside the computed one
    page.click("#btn-decide")
    page.select_option("#level", TOT)
    page.click("#btn-review-decision")  # no reason: refused, the form comes back with the level chosen
    assert "phải nêu lý do bằng văn bản" in page.inner_text("#decide-error")
    assert page.input_value("#level") == TOT
    page.fill("#reason", REASON)
    page.click("#btn-review-decision")
    assert page.inner_text("#confirm-level") == f'"{TOT}"' and page.inner_text("#confirm-reason") == REASON
    shot(page, "danh-gia-quyet-dinh-xac-nhan")
    page.click("#btn-confirm")
    page.wait_for_selector(".alert-success")
    decided = page.inner_text("#decided-level")
    assert TOT in decided and REASON in decided and page.inner_text("#computed-level") == HT
    assert REASON in page.inner_text("#trail")

    # publish; the audit trail names who did what
    page.goto(flow)
    assert page.inner_text("#status") == "đã quyết định"  # deciding one person decided the assessment
    _step(page, "Công bố")
    assert page.inner_text("#status") == "đã công bố"
    trail = page.inner_text("#trail")
    assert "hacthanh.danhgia" in trail and "công bố" in trail and REASON in trail
    assert "HT0001" in page.inner_text("#decided")
    shot(page, "danh-gia-cong-bo")

    # a what-if on this period (nothing stored) and the year's roll-up
    page.click("#link-simulate")
    page.fill("#p_mức_trừ_chậm", "35%")
    page.click("#btn-simulate")
    assert "mức_trừ_chậm = 35%" in page.inner_text("#simulation")
    shot(page, "danh-gia-mo-phong")
    page.goto("/admin/danh-gia/tong-hop/?don_vi=HT&ky=2026")
    assert "ND335-2025-NAM phiên bản 1" in page.inner_text("body")
    shot(page, "danh-gia-tong-hop-nam")
    page.goto(flow)

    # downloads, opened and checked
    with page.expect_download() as got:
        page.click("#dl-xlsx")
    xlsx = Path(got.value.path()).read_bytes()
    rows = list(openpyxl.load_workbook(io.BytesIO(xlsx)).active.iter_rows(values_only=True))
    head = next(r for r in rows if r and r[0] == "STT")
    mine = dict(zip(head, next(r for r in rows if r and r[1] == "HT0001"), strict=False))
    assert mine["Tổng điểm"] == 69.16 and mine["Xếp loại theo kết quả tính"] == HT
    assert mine["Xếp loại cuối cùng"] == TOT and mine["Lý do điều chỉnh xếp loại"] == REASON
    page.goto(person)
    with page.expect_download() as got:
        page.click("#btn-sheet")
    pdf = Path(got.value.path()).read_bytes()
    words = " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "PHIẾU ĐÁNH GIÁ" in words and "Phan Công Trung" in words and "69,16" in words
    assert TOT in words and "bão số 3" in words
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pypdfium2.PdfDocument(pdf)[0].render(scale=1.5).to_pil().save(
        SCREENSHOTS / "danh-gia-phieu-pdf-trang-1.png"
    )

    # the other ward's evaluator: every one of those URLs refused (404, nothing shown)
    urls = [flow, f"{flow}mo-y-kien", f"{flow}ra-soat", f"{flow}quyet-dinh", f"{flow}cong-bo", f"{flow}khoa",
            f"{flow}ket-qua.xlsx", person, f"{person}/quyet-dinh", f"{person}/phieu.pdf", f"{person}?lan=1",
            f"/admin/danh-gia/{a}/mo-phong/", "/admin/danh-gia/tong-hop/?don_vi=HT&ky=2026",
            "/admin/danh-gia/thu-nhap/?don_vi=HT&quy=2026-Q1"]  # fmt: skip
    other = chromium.new_context(base_url=server, viewport={"width": 1366, "height": 900}, locale="vi-VN")
    try:
        them = other.new_page()
        login(them, "dongson.danhgia", "demo-danhgia-2026")
        for url in urls:
            response = them.goto(url)
            assert response.status == 404, (url, response.status)
            body = them.inner_text("body")
            assert "Không tìm thấy" in body and "HT0001" not in body and "Phan Công Trung" not in body, url
        shot(them, "danh-gia-phuong-khac-404")
        them.goto("/admin/")
        token = them.get_attribute("meta[name=csrf-token]", "content")
        refused = them.request.post(f"{server}{person}/quyet-dinh", form={
            "csrf_token": token, "confirm": "yes", "level": HT, "reason": "thử từ phường khác"})  # fmt: skip
        assert refused.status == 404
    finally:
        other.close()
    page.goto(person)
    assert TOT in page.inner_text("#decided-level")  # unchanged by the other ward
