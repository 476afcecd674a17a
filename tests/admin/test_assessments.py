"""Assessments in the web admin: list, create, a background run with its progress, one run at a time,
the missing inputs and their grid, the results table with the quota, the XLSX export."""

from __future__ import annotations

import io
import re
from fractions import Fraction

import pytest

MONTH = "2026-02"


def _wait_done(web, assessment_id: int) -> object:
    from app.services.assessments import progress, web_runs

    with web.app_context():
        (job,) = progress.jobs(1, assessment_id=assessment_id)
        assert web_runs.wait(job.id, 120)
        return progress.read(job.id)


def _create(b, unit="HT", month="2", year="2026"):
    return b.post("/admin/danh-gia/tao", data={"csrf_token": b.token("/admin/danh-gia/"), "unit": unit,
                                               "kind": "thang", "month": month, "year": year})  # fmt: skip


@pytest.fixture(scope="module")
def assessment_id(web):
    """HT's assessment of 2026-02, created (not run) by the Hạc Thành evaluator."""
    from support import Browser

    b = Browser(web)
    b.login("hacthanh.danhgia")
    response = _create(b)
    assert response.status_code == 302, response.text[:400]
    return int(re.search(r"/danh-gia/(\d+)/", response.headers["Location"]).group(1))


def test_list_and_create(browser, assessment_id):
    b = browser("hacthanh.danhgia")
    page = b.get("/admin/danh-gia/")
    assert page.status_code == 200 and "Tạo đợt đánh giá" in page.text
    assert f'data-assessment="{assessment_id}"' in page.text and "tháng 02/2026" in page.text
    assert "nháp (chưa tính)" in page.text
    again = _create(b)
    assert again.status_code == 302
    assert "đã có đợt đánh giá HT kỳ 2026-02" in b.get(again.headers["Location"]).text
    other = browser("dongson.danhgia").get("/admin/danh-gia/")
    assert f'data-assessment="{assessment_id}"' not in other.text and "HT —" not in other.text


def test_missing_input_then_grid_then_run(browser, web, assessment_id):
    from app.extensions import db
    from app.models import AssessmentRevision

    b = browser("hacthanh.danhgia")
    grid_url = f"/admin/danh-gia/{assessment_id}/dau-vao"
    token = b.token(grid_url)
    # the evaluator clears HT0020's general-criteria score: a run now stops and names who lacks what
    cleared = b.post(grid_url, data={"csrf_token": token, "o|HT0020|điểm_tiêu_chí_chung": ""})
    assert cleared.status_code == 302
    response = b.post(f"/admin/danh-gia/{assessment_id}/chay", data={"csrf_token": token})
    assert response.status_code == 302
    job = _wait_done(web, assessment_id)
    assert job.status == "failed" and "thiếu dữ liệu đầu vào của 1 cán bộ" in job.message
    page = b.get(f"/admin/danh-gia/{assessment_id}/")
    assert 'id="missing-inputs"' in page.text and "HT0020" in page.text and "Điểm tiêu chí chung" in page.text
    # out of the ruleset's bounds: refused, row and column named, nothing saved
    grid = b.get(grid_url + "?chi=thieu")
    assert 'data-person="HT0020"' in grid.text and 'data-high="30"' in grid.text
    refused = b.post(grid_url, data={"csrf_token": token, "o|HT0020|điểm_tiêu_chí_chung": "35",
                                     "o|HT0021|kỷ_luật": "phê bình"})  # fmt: skip
    assert refused.status_code == 200 and 'id="grid-errors"' in refused.text
    assert "HT0020 · điểm_tiêu_chí_chung" in refused.text and "nằm ngoài khoảng 0 đến 30" in refused.text
    assert "HT0021 · kỷ_luật" in refused.text
    saved = b.post(grid_url, data={"csrf_token": token, "o|HT0020|điểm_tiêu_chí_chung": "27,5"})
    assert saved.status_code == 302
    assert "Không ai thiếu đầu vào bắt buộc" in b.get(grid_url).text
    b.post(f"/admin/danh-gia/{assessment_id}/chay", data={"csrf_token": token})
    job = _wait_done(web, assessment_id)
    assert (job.status, job.done, job.total) == ("done", 60, 60) and job.message == "đã lưu lần chạy 1"
    status = b.get(f"/admin/danh-gia/{assessment_id}/tien-do").get_json()
    assert status["percent"] == 100 and status["finished"] and status["done"] == 60
    with web.app_context():
        assert db.session.query(AssessmentRevision).filter_by(assessment_id=assessment_id).count() == 1
        db.session.rollback()
    page = b.get(f"/admin/danh-gia/{assessment_id}/")
    assert "đã tính" in page.text and "TH-HAC-THANH-2026 phiên bản 1" in page.text


def test_one_run_at_a_time(browser, web, assessment_id):
    from app.services import assessments

    b = browser("hacthanh.quantri")
    with web.app_context():
        guard = assessments.exclusive("HT", MONTH, "kpi assess run (khác)").acquire()
    try:
        response = b.post(f"/admin/danh-gia/{assessment_id}/chay", data={"csrf_token": b.token()},
                          follow_redirects=True)  # fmt: skip
    finally:
        with web.app_context():
            guard.release()
    assert response.status_code == 200
    assert "đợt đánh giá này đang được chạy bởi một tiến trình khác" in response.text


def test_results_table_quota_and_xlsx(browser, assessment_id):
    from openpyxl import load_workbook

    b = browser("hacthanh.danhgia")
    url = f"/admin/danh-gia/{assessment_id}/ket-qua"
    page = b.get(url)
    assert page.status_code == 200 and 'id="quota-table"' in page.text and "Được giữ tối đa" in page.text
    assert f'href="/admin/danh-gia/{assessment_id}/nguoi/HT0020"' in page.text
    assert page.text.count("<tr data-person=") == 60
    leaders = b.get(url + "?lanh_dao=co")
    staff = b.get(url + "?lanh_dao=khong")
    n_leaders, n_staff = leaders.text.count("<tr data-person="), staff.text.count("<tr data-person=")
    assert n_leaders and n_staff and n_leaders + n_staff == 60
    level = b.get(url + "?xep_loai=Hoàn thành xuất sắc nhiệm vụ")
    assert "Hoàn thành tốt nhiệm vụ</td>" not in level.text
    by_score = b.get(url + "?sap_xep=diem&giam=1")
    scores = re.findall(r'<td class="text-right">([\d.,]+)</td>\s*<td>', by_score.text)
    values = [Fraction(s.replace(".", "").replace(",", ".")) for s in scores]
    assert len(values) == 60 and values == sorted(values, reverse=True)
    export = b.get(f"/admin/danh-gia/{assessment_id}/ket-qua.xlsx?nhom=Một cửa")
    assert export.status_code == 200 and export.headers["Content-Disposition"].endswith(
        "ket-qua-HT-2026-02.xlsx"
    )
    sheet = load_workbook(io.BytesIO(export.data)).active
    text = "\n".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None)
    one_stop = b.get(url + "?nhom=Một cửa").text.count("<tr data-person=")
    codes = re.findall(r"\bHT\d{4}\b", text)
    assert "BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ" in text and len(set(codes)) == one_stop


def test_cancel_answers_json(browser, assessment_id):
    b = browser("hacthanh.danhgia")
    token = b.token(f"/admin/danh-gia/{assessment_id}/")
    response = b.post(f"/admin/danh-gia/{assessment_id}/huy", headers={"X-CSRFToken": token})
    assert response.status_code == 409 and response.get_json()["ok"] is False  # nothing is running
    assert b.post(f"/admin/danh-gia/{assessment_id}/huy").status_code == 400  # no CSRF token: refused


def test_progress_and_cancel_while_the_run_goes(browser, web, monkeypatch):
    """The province's run is held between two groups: the page's status call reads the count so far (on
    both databases, while the run's transaction is open); cancelling stops it and stores nothing."""
    import threading

    from app.services.assessments import jobs, web_runs

    reached, release = threading.Event(), threading.Event()
    real = jobs.run_job

    def held(*args, **kwargs):
        def pause(done: int, total: int) -> None:
            if 0 < done < total and not reached.is_set():
                reached.set()
                release.wait(30)

        return real(*args, **kwargs, progress=pause)

    monkeypatch.setattr(web_runs.jobs, "run_job", held)
    b = browser("tinh.quantri")
    created = b.post("/admin/danh-gia/tao", data={"csrf_token": b.token("/admin/danh-gia/"), "unit": "TH",
                                                  "kind": "thang", "month": "1", "year": "2026"})  # fmt: skip
    assessment_id = int(re.search(r"/danh-gia/(\d+)/", created.headers["Location"]).group(1))
    token = b.token(f"/admin/danh-gia/{assessment_id}/")
    b.post(f"/admin/danh-gia/{assessment_id}/chay", data={"csrf_token": token})
    try:
        assert reached.wait(60)
        status = b.get(f"/admin/danh-gia/{assessment_id}/tien-do").get_json()
        assert status["status"] == "running" and not status["finished"]
        assert 0 < status["done"] < status["total"] and status["total"] >= 120
        page = b.get(f"/admin/danh-gia/{assessment_id}/")
        assert 'data-running="1"' in page.text and "Hủy lần chạy" in page.text
        cancelled = b.post(f"/admin/danh-gia/{assessment_id}/huy", headers={"X-CSRFToken": token})
        assert cancelled.status_code == 200 and cancelled.get_json()["ok"]
        assert b.get(f"/admin/danh-gia/{assessment_id}/tien-do").get_json()["cancel_requested"]
    finally:
        release.set()
    job = _wait_done(web, assessment_id)
    assert job.status == "cancelled" and job.message == "đã hủy lần chạy đánh giá theo yêu cầu"
    page = b.get(f"/admin/danh-gia/{assessment_id}/")
    assert "nháp (chưa tính)" in page.text and "đã hủy" in page.text


def test_results_pages_and_grid_unit_filter(browser, assessment_id, monkeypatch):
    from admin.views import assessment_inputs, assessment_results

    monkeypatch.setattr(assessment_results, "PAGE", 25)
    monkeypatch.setattr(assessment_inputs, "LIMIT", 10)
    b = browser("hacthanh.danhgia")
    url = f"/admin/danh-gia/{assessment_id}/ket-qua?sap_xep=diem&giam=1"
    first, last = b.get(url), b.get(url + "&trang=3")
    assert 'id="results-pages"' in first.text and "trang 1/3" in first.text
    assert first.text.count("<tr data-person=") == 25 and last.text.count("<tr data-person=") == 10
    grid = b.get(f"/admin/danh-gia/{assessment_id}/dau-vao")
    assert 'id="grid-limit"' in grid.text and grid.text.count("<tr data-person=") == 10
    one_unit = b.get(f"/admin/danh-gia/{assessment_id}/dau-vao?don_vi=HT-VP")
    codes = set(re.findall(r'<tr data-person="(HT\d+)"', one_unit.text))
    assert codes and all(f"<td>{c}</td><td>" in one_unit.text for c in codes)
    assert "HT-KT</td>" not in one_unit.text


def test_period_forms_offer_the_latest_month_with_tasks(browser):
    """On the demo (tasks of 01–03/2026) the creation form, the roll-up and the income forms offer
    03/2026 and its quarter, not today's month."""
    b = browser("hacthanh.danhgia")
    page = b.get("/admin/danh-gia/").text
    month = re.search(r'<select class="form-control" name="month".*?</select>', page, re.S).group(0)
    year = re.search(r'<select class="form-control" name="year".*?</select>', page, re.S).group(0)
    quarter = re.search(r'<select class="form-control" name="quarter".*?</select>', page, re.S).group(0)
    assert re.findall(r'<option value="(\d+)" selected>', month) == ["3"]
    assert re.findall(r'<option value="(\d+)" selected>', year) == ["2026"]
    assert re.findall(r'<option value="(\d+)" selected>', quarter) == ["1"]
    assert 'name="ky" id="ky" value="2026-Q1"' in b.get("/admin/danh-gia/tong-hop/").text
    assert 'name="quy" id="quy" value="2026-Q1"' in b.get("/admin/danh-gia/thu-nhap/").text
    asked = b.get("/admin/danh-gia/tong-hop/?don_vi=HT&ky=2026")  # a period asked for stays as asked
    assert 'name="ky" id="ky" value="2026"' in asked.text
