"""Journey: the Hạc Thành evaluator creates the assessment of March 2026, runs it and follows the progress
bar, sees who lacks an input, enters it in the grid (an out-of-bounds value is refused as it is typed),
runs again, reads the results table with the quota, downloads the XLSX (opened here with openpyxl) and
builds the PDF of every official's sheet in the background (opened here with pypdf); the Đông Sơn
evaluator gets 404 on every one of those URLs."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pypdf
from journey import login, shot
from openpyxl import load_workbook
from playwright.sync_api import expect

DATA = Path(__file__).resolve().parents[1] / "data"
FINISHED = re.compile("xong|lỗi|đã hủy")


def _run_and_wait(page) -> None:
    page.click("#run-button")
    expect(page.locator("#run-state")).to_have_text(FINISHED, timeout=60000)
    expect(page.locator("#run-form")).to_be_visible(timeout=60000)  # reloaded once the run ended


def test_assessment_journey(page):
    login(page, "hacthanh.danhgia", "demo-danhgia-2026")
    # an inputs file left HT0020's general-criteria score of March empty
    page.goto("/admin/nhap/")
    page.select_option("#kind", "inputs")
    page.set_input_files("#file", str(DATA / "dau-vao-thieu.csv"))
    page.click("text=Xem trước")
    page.click("#import-commit")
    assert "Đã nhập dau-vao-thieu.csv" in page.inner_text("#import-report")

    page.goto("/admin/danh-gia/")
    page.select_option("#unit", "HT")
    page.select_option("#kind", "thang")
    page.select_option("#month", "3")
    page.select_option("#year", "2026")
    shot(page, "danh-gia-tao")
    page.click("#assess-create button[type=submit]")
    page.wait_for_url(re.compile(r"/admin/danh-gia/\d+/$"))
    assessment_url = page.url
    assessment_id = int(re.search(r"/danh-gia/(\d+)/", assessment_url).group(1))
    assert "nháp (chưa tính)" in page.inner_text("#assess-facts")

    _run_and_wait(page)
    assert page.inner_text("#run-state") == "lỗi"
    missing = page.locator("#missing-inputs")
    assert "HT0020" in missing.inner_text() and "Điểm tiêu chí chung" in missing.inner_text()
    shot(page, "danh-gia-thieu-dau-vao")

    with page.expect_navigation(wait_until="load"):  # the grid's checks attach once its script has run
        page.click("#fix-inputs")
    cell = page.locator('tr[data-person="HT0020"] input[name="o|HT0020|điểm_tiêu_chí_chung"]')
    cell.fill("35")
    expect(cell).to_have_class(re.compile("is-invalid"))
    feedback = page.locator('tr[data-person="HT0020"] .invalid-feedback').first
    expect(feedback).to_contain_text("nằm ngoài khoảng 0 đến 30")
    expect(page.locator("#grid-save")).to_be_disabled()
    shot(page, "danh-gia-luoi-ngoai-khoang")
    cell.fill("27,5")
    expect(cell).not_to_have_class(re.compile("is-invalid"))
    page.click("#grid-save")
    assert "Đã lưu đầu vào của 1 cán bộ" in page.inner_text("body")
    assert "Không ai thiếu đầu vào bắt buộc" in page.inner_text("#lacking-count")

    page.goto(assessment_url)
    _run_and_wait(page)
    assert page.inner_text("#run-state") == "xong"
    assert page.inner_text("#run-count") == "60/60 cán bộ"
    bar = page.locator("#run-bar")
    assert bar.get_attribute("aria-valuenow") == "100" and "width: 100%" in bar.get_attribute("style")
    assert "đã lưu lần chạy 1" in page.inner_text("#run-message")
    shot(page, "danh-gia-da-chay")
    page.goto("/admin/danh-gia/")
    row = page.locator(f'tr[data-assessment="{assessment_id}"]')
    assert "đã tính" in row.inner_text() and "TH-HAC-THANH-2026 phiên bản 1" in row.inner_text()
    shot(page, "danh-gia-danh-sach")

    page.goto(assessment_url)
    page.click("#to-results")
    quota = page.locator("#quota-table")
    expect(quota).to_be_visible()
    assert "Được giữ tối đa" in quota.inner_text() and "Hoàn thành xuất sắc nhiệm vụ" in quota.inner_text()
    rows = page.locator("#results-table tbody tr")
    assert rows.count() == 60
    link = page.locator('#results-table a[href$="/nguoi/HT0020"]').first
    assert link.get_attribute("href") == f"/admin/danh-gia/{assessment_id}/nguoi/HT0020"
    page.select_option("#f-leader", "khong")
    page.click("#results-filters button[type=submit]")
    staff = page.locator("#results-table tbody tr").count()
    assert 0 < staff < 60
    page.click("#results-table thead >> text=Điểm")
    scores = [t.strip() for t in page.locator("#results-table tbody td.text-right").all_inner_texts()]
    shot(page, "danh-gia-ket-qua")
    with page.expect_download() as caught:
        page.click("#export-xlsx")
    download = caught.value
    assert download.suggested_filename == "ket-qua-HT-2026-03.xlsx"
    sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    codes = {c for c in cells if isinstance(c, str) and re.fullmatch(r"HT\d{4}", c)}
    assert "BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG THÁNG 03/2026" in cells
    assert len(codes) == staff and len(scores) == staff

    # every official's sheet in one PDF, built in the background with its progress, then downloaded
    page.click("#sheets-button")
    page.wait_for_url(re.compile(r"/ket-qua\?phieu=\d+$"))
    sheets_url = page.url
    expect(page.locator("#sheets-download")).to_be_visible(timeout=180000)
    assert page.inner_text("#sheets-state") == "Đã tạo tệp PDF gồm 60 phiếu đánh giá."
    seen = page.evaluate("window.kpiSheetsSeen")
    assert seen[-1] == [60, 60, "done"] and all(done <= total for done, total, _ in seen)
    shot(page, "danh-gia-ket-qua-phieu-pdf")
    with page.expect_download() as caught:
        page.click("#sheets-download")
    pdf_download = caught.value
    assert pdf_download.suggested_filename == "phieu-danh-gia-HT-2026-03.pdf"
    pdf_url = page.get_attribute("#sheets-download", "href")
    reader = pypdf.PdfReader(io.BytesIO(Path(pdf_download.path()).read_bytes()))
    words = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert words.count("PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG") == 60
    assert len(set(re.findall(r"\bHT\d{4}\b", words))) == 60 and "THÁNG 03/2026" in words.upper()

    page.goto(sheets_url)
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "danh-gia-ket-qua-dien-thoai")
    page.set_viewport_size({"width": 1366, "height": 900})

    page.click("text=Đăng xuất")
    login(page, "dongson.danhgia", "demo-danhgia-2026")
    base = f"/admin/danh-gia/{assessment_id}"
    for path in ("/", "/ket-qua", "/dau-vao", "/tien-do"):
        response = page.goto(base + path)
        assert response.status == 404, path
    assert "Không tìm thấy" in page.inner_text("body")
    shot(page, "danh-gia-phuong-khac")
    assert page.request.get(base + "/ket-qua.xlsx").status == 404
    for url in (pdf_url, pdf_url.removesuffix(".pdf")):  # the PDF job's file and progress
        assert page.request.get(url).status == 404, url
    page.goto("/admin/danh-gia/")
    assert not re.search(r"\bHT\b", page.inner_text("#assessments-empty, #assessments"))
    token = page.get_attribute('meta[name="csrf-token"]', "content")
    refused = page.request.post(base + "/phieu-danh-gia", form={"csrf_token": token}, max_redirects=0)
    assert refused.status == 404
