"""`/admin/cua-toi`, an official's own page: provisional score, explanation and advice, tasks, the
self-assessment step, published results; only their own record (both wards' officials, every role,
other people's ids and codes in URLs and forms)."""

from __future__ import annotations

import re

import pytest
from support import csrf_of

ME = "/admin/cua-toi/"
OFFICIALS = {"HT": ("HT0012", "DS0012"), "DS": ("DS0012", "HT0012")}  # own code, the other ward's official


def _assessment(web, unit: str, period: str, *, status: str, by: str) -> int:
    """Run `unit`'s assessment of `period` and take it to `status` (self_assessment or published)."""
    from app.extensions import db
    from app.models import User
    from app.services import assessments
    from app.services.assessments import workflow
    from app.services.scope import Scope

    with web.app_context():
        report = assessments.run(unit, period, scope=Scope.everything())
        assessment = report.assessment
        user = db.session.scalar(db.select(User).where(User.username == by))
        workflow.open_feedback(assessment, user)
        if status == "published":
            workflow.review(assessment, user)
            workflow.decide(assessment, user)
            workflow.publish(assessment, user)
        db.session.commit()
        ident = assessment.id
        db.session.remove()
    return ident


@pytest.fixture(scope="module")
def stages(web):
    """Hạc Thành: 2026-02 open for self-assessment, 2026-01 published; Đông Sơn: 2026-02 open."""
    return {
        ("HT", "self"): _assessment(web, "HT", "2026-02", status="self_assessment", by="hacthanh.danhgia"),
        ("HT", "published"): _assessment(web, "HT", "2026-01", status="published", by="hacthanh.danhgia"),
        ("DS", "self"): _assessment(web, "DS", "2026-02", status="self_assessment", by="dongson.danhgia"),
    }


@pytest.mark.parametrize("ward", ["HT", "DS"])
def test_the_official_reads_their_provisional_score_and_advice(browser, stages, ward):
    mine, other = OFFICIALS[ward]
    b = browser(mine)
    home = b.get("/admin/")
    assert home.status_code == 302 and home.headers["Location"].endswith(ME)
    page = b.get(ME)
    assert page.status_code == 200
    text = page.text
    assert mine in text and other not in text
    assert "Điểm tạm tính tháng 03/2026" in text and 'id="diem"' in text
    assert "Vì sao được mức này" in text and "vì điểm" in text
    assert "Để đạt mức cao hơn" in text
    assert "Gửi tự đánh giá" in text  # 2026-02 is open for self-assessment
    assert "tháng 02/2026" in text
    if ward == "HT":
        assert (
            "Kết quả đã công bố" in text and f"/admin/cua-toi/ket-qua/{stages[('HT', 'published')]}" in text
        )
    other_month = b.get(ME + "?ky=2026-02")
    assert other_month.status_code == 200 and "Điểm tạm tính tháng 02/2026" in other_month.text


def test_advice_names_the_remaining_task_to_finish(browser):
    # DS0012 in 03/2026: 80,94 tốt, one task "Chưa thực hiện" left: finishing it is not enough for xuất sắc
    text = browser("DS0012").get(ME + "?ky=2026-03").text
    assert "còn thiếu 9,06 điểm" in text
    assert "nhiệm vụ còn lại cũng chỉ được 83,4 điểm" in text
    # 15 tasks: 10 done (one late), one not started and two paused, two cancelled; not started first
    assert "15 nhiệm vụ: 10 đã hoàn thành (1 chậm hạn), 3 chưa hoàn thành (2 tạm dừng), 2 hủy." in text
    assert text.index("Chưa thực hiện</span>") < text.index("Hoàn thành</span>")


def test_the_official_submits_a_self_assessment(browser, stages):
    b = browser("HT0012")
    page = b.get(ME)
    ident = stages[("HT", "self")]
    url = f"/admin/cua-toi/tu-danh-gia/{ident}"
    sent = b.post(url, data={"csrf_token": csrf_of(page.text), "person": "HT0012",
                             "text": "Tôi hoàn thành đủ nhiệm vụ tháng 02, không có sai sót."})  # fmt: skip
    assert sent.status_code == 302
    after = b.get(ME).text
    assert "Đã gửi tự đánh giá" in after and "không có sai sót" in after
    # no CSRF token: refused
    assert b.post(url, data={"person": "HT0012", "text": "x"}).status_code == 400
    # too long: refused before the service
    b.post(url, data={"csrf_token": csrf_of(after), "person": "HT0012", "text": "a" * 4001})
    assert "dài quá 4000 ký tự" in b.get(ME).text
    # empty text: a Vietnamese message, nothing stored
    b.post(url, data={"csrf_token": csrf_of(after), "person": "HT0012", "text": "   "})
    assert "không được để trống" in b.get(ME).text


REFUSED = [
    # (signed in as, method, url, form): another person's code in a form, other wards' or unknown ids
    ("HT0012", "post", "/admin/cua-toi/tu-danh-gia/{DS-self}", {"person": "HT0012", "text": "x"}, 404),
    ("HT0012", "post", "/admin/cua-toi/tu-danh-gia/{HT-self}", {"person": "HT0013", "text": "x"}, 403),
    ("HT0012", "post", "/admin/cua-toi/tu-danh-gia/{HT-self}", {"person": "DS0012", "text": "x"}, 403),
    ("HT0012", "post", "/admin/cua-toi/tu-danh-gia/{HT-published}", {"person": "HT0012", "text": "x"}, 404),
    ("HT0012", "post", "/admin/cua-toi/tu-danh-gia/999999", {"person": "HT0012", "text": "x"}, 404),
    ("DS0012", "post", "/admin/cua-toi/tu-danh-gia/{HT-self}", {"person": "DS0012", "text": "x"}, 404),
    ("DS0012", "get", "/admin/cua-toi/ket-qua/{HT-published}", None, 404),
    ("DS0012", "get", "/admin/cua-toi/ket-qua/{DS-self}", None, 404),  # not published yet
    ("HT0012", "get", "/admin/cua-toi/ket-qua/{HT-self}", None, 404),
    ("HT0012", "get", "/admin/cua-toi/ket-qua/abc", None, 404),
    ("HT0012", "get", "/admin/cua-toi/?ky=2026-07", None, 404),
    ("HT0012", "get", "/admin/cua-toi/?ky=khong-phai-ky", None, 404),
    # accounts without a person record, and the other ward's evaluator on the official endpoints
    ("hacthanh.quantri", "get", "/admin/cua-toi/", None, 403),
    ("tinh.quantri", "get", "/admin/cua-toi/ket-qua/{HT-published}", None, 403),
    (
        "dongson.quantri",
        "post",
        "/admin/cua-toi/tu-danh-gia/{HT-self}",
        {"person": "HT0012", "text": "x"},
        403,
    ),
    ("dongson.danhgia", "get", "/admin/cua-toi/ket-qua/{HT-published}", None, 404),
    (
        "dongson.danhgia",
        "post",
        "/admin/cua-toi/tu-danh-gia/{HT-self}",
        {"person": "HT0012", "text": "x"},
        403,
    ),
    (
        "dongson.danhgia",
        "post",
        "/admin/cua-toi/tu-danh-gia/{HT-self}",
        {"person": "DS0001", "text": "x"},
        404,
    ),
    (None, "get", "/admin/cua-toi/", None, 302),  # no session: to the sign-in page, for every URL
    (None, "get", "/admin/cua-toi/ket-qua/{HT-published}", None, 302),
    (None, "post", "/admin/cua-toi/tu-danh-gia/{HT-self}", {"person": "HT0012", "text": "x"}, 302),
]


def _fill(url: str, stages) -> str:
    names = {"DS-self": ("DS", "self"), "HT-self": ("HT", "self"), "HT-published": ("HT", "published")}
    return re.sub(r"\{([A-Za-z-]+)\}", lambda m: str(stages[names[m.group(1)]]), url)


@pytest.mark.parametrize(("who", "method", "url", "form", "status"), REFUSED)
def test_refused(browser, stages, who, method, url, form, status):
    b = browser(who)
    url = _fill(url, stages)
    if method == "get":
        response = b.get(url)
    else:
        response = b.post(url, data={"csrf_token": b.token(), **form})
    assert response.status_code == status, (who, url, response.text[:300])
    assert "Traceback" not in response.text
    if who in ("DS0012", "dongson.danhgia", "dongson.quantri") and status != 302:
        assert "HT0012" not in response.text and "HT0013" not in response.text


def test_nothing_was_stored_by_the_refused_posts(web, stages):
    from app.extensions import db
    from app.models.feedback import AssessmentFeedback

    with web.app_context():
        texts = list(db.session.scalars(db.select(AssessmentFeedback.text)))
        db.session.remove()
    assert "x" not in texts


def test_a_published_result_with_its_explanation(browser, stages):
    b = browser("HT0012")
    page = b.get(f"/admin/cua-toi/ket-qua/{stages[('HT', 'published')]}")
    assert page.status_code == 200
    text = page.text
    assert "Kết quả tháng 01/2026" in text and "Vì sao được mức này" in text and "Mức cao hơn" in text
    assert "Lịch sử" in text and "Lần tính 1" in text
    assert "HT0013" not in text


def test_an_evaluator_with_a_person_record_sees_their_own_page_only(browser):
    # hacthanh.danhgia is HT0001 (the ward's head): their own page, not anyone else's
    text = browser("hacthanh.danhgia").get(ME).text
    assert "HT0001" in text and "HT0012" not in text
