"""The PDF of every official's sheet of an assessment from the results page: a background job (the runs'
threads and progress rows) with its progress as JSON, then a download holding one sheet per person of
the user's scope; the job stays out of the run's progress; another user's or another ward's job is 404;
an assessment not run yet says so in Vietnamese and starts nothing."""

from __future__ import annotations

import io
import re

import pytest


@pytest.fixture(scope="module")
def assessed(web, tmp_path_factory):
    """HT's and DS's assessments of 2026-01, run; sheets written to a temporary folder."""
    from app.extensions import db
    from app.services import assessments
    from app.services.scope import Scope

    web.config["KPI_SHEETS_FOLDER"] = str(tmp_path_factory.mktemp("phieu"))
    out = {}
    with web.app_context():
        for ward in ("HT", "DS"):
            out[ward] = assessments.run(ward, "2026-01", scope=Scope.everything()).assessment.id
            db.session.commit()
        db.session.remove()
    return out


def _start(b, assessment_id: int):
    return b.post(f"/admin/danh-gia/{assessment_id}/phieu-danh-gia", data={"csrf_token": b.token()})


def _wait(web, job_id: int) -> None:
    from app.services.assessments import web_runs

    assert web_runs.wait(job_id, 300)


def test_every_sheet_in_one_pdf_from_the_results_page(browser, web, assessed):
    import pypdf

    from app.services.assessments import progress

    b = browser("hacthanh.danhgia")
    a = assessed["HT"]
    page = b.get(f"/admin/danh-gia/{a}/ket-qua").text
    assert 'id="sheets-button"' in page and "Tạo tệp PDF phiếu đánh giá của mọi cán bộ" in page
    started = _start(b, a)
    assert started.status_code == 302
    job_id = int(re.search(r"phieu=(\d+)", started.headers["Location"]).group(1))
    _wait(web, job_id)
    status = b.get(f"/admin/danh-gia/{a}/phieu-danh-gia/{job_id}").get_json()
    assert status["status"] == "done" and status["finished"] and status["done"] == status["total"] == 60
    assert status["message"] == "Đã tạo tệp PDF gồm 60 phiếu đánh giá."
    assert status["url"] == f"/admin/danh-gia/{a}/phieu-danh-gia/{job_id}.pdf"
    # the page shows the message and the link without JavaScript too
    page = b.get(f"/admin/danh-gia/{a}/ket-qua").text
    assert "Đã tạo tệp PDF gồm 60 phiếu đánh giá." in page and f'href="{status["url"]}"' in page
    pdf = b.get(status["url"])
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert pdf.headers["Content-Disposition"].endswith("phieu-danh-gia-HT-2026-01.pdf")
    reader = pypdf.PdfReader(io.BytesIO(pdf.data))
    words = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    codes = set(re.findall(r"\bHT\d{4}\b", words))
    assert len(codes) == 60 and "DS0" not in words and "Đặng Thị Trang" in words
    assert words.count("PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG") == 60  # one sheet per person
    # the job is not a run: the assessment page's progress and `kpi assess jobs` do not show it
    with web.app_context():
        assert all(j.id != job_id for j in progress.jobs(50))
        assert [j.id for j in progress.jobs(5, assessment_id=a, sheets=True)][0] == job_id
    assert f'data-job="{job_id}"' not in b.get(f"/admin/danh-gia/{a}/").text


def test_someone_elses_or_another_wards_job_is_404(browser, web, assessed):
    b = browser("hacthanh.danhgia")
    started = _start(b, assessed["HT"])
    job_id = int(re.search(r"phieu=(\d+)", started.headers["Location"]).group(1))
    _wait(web, job_id)
    own = f"/admin/danh-gia/{assessed['HT']}/phieu-danh-gia/{job_id}"
    assert b.get(own + ".pdf").status_code == 200
    # a colleague of the same ward: not their file
    colleague = browser("hacthanh.quantri")
    assert colleague.get(own).status_code == 404 and colleague.get(own + ".pdf").status_code == 404
    # the other ward: the assessment itself is 404, and HT's job under DS's assessment too
    other = browser("dongson.danhgia")
    for url in (own, own + ".pdf"):
        assert other.get(url).status_code == 404
    assert other.get(f"/admin/danh-gia/{assessed['DS']}/phieu-danh-gia/{job_id}.pdf").status_code == 404
    assert _start(other, assessed["HT"]).status_code == 404
    # an official: 403
    assert browser("HT0012").get(own + ".pdf").status_code == 403


def test_not_run_yet_says_so_and_starts_nothing(browser, web, assessed):
    from app.services.assessments import progress

    b = browser("hacthanh.danhgia")
    created = b.post("/admin/danh-gia/tao", data={"csrf_token": b.token("/admin/danh-gia/"), "unit": "HT",
                                                  "kind": "thang", "month": "3", "year": "2026"})  # fmt: skip
    a = int(re.search(r"/danh-gia/(\d+)/", created.headers["Location"]).group(1))
    refused = _start(b, a)
    assert refused.status_code == 302
    assert "chưa có kết quả: hãy chạy đánh giá trước" in b.get(refused.headers["Location"]).text
    with web.app_context():
        assert progress.jobs(5, assessment_id=a, sheets=True) == []


def test_a_removed_file_is_said_and_not_served(browser, web, assessed):
    from app.services.assessments import sheet_files

    b = browser("hacthanh.danhgia")
    started = _start(b, assessed["HT"])
    job_id = int(re.search(r"phieu=(\d+)", started.headers["Location"]).group(1))
    _wait(web, job_id)
    sheet_files.file_of(web.config["KPI_SHEETS_FOLDER"], job_id).unlink()
    url = f"/admin/danh-gia/{assessed['HT']}/phieu-danh-gia/{job_id}"
    assert b.get(url).get_json()["url"] is None and b.get(url + ".pdf").status_code == 404
    assert (
        "đã được xóa (chỉ giữ 24 giờ): hãy tạo lại" in b.get(f"/admin/danh-gia/{assessed['HT']}/ket-qua").text
    )
