"""Every parameterised assessment URL of the person page, the workflow, the simulation, the roll-ups and
the income sheet, tried by the users of both wards: another ward's assessment id, person code or unit →
404 (never a row, never a traceback), officials → 403 on evaluators' pages, POSTs from another ward
change nothing."""

from __future__ import annotations

import pytest
from assessment_support import run_months, status_of
from support import csrf_of

PERSON = {"HT": "HT0012", "DS": "DS0012"}
# {a}: the assessment id, {p}: a person of that assessment, {u}: its unit
GETS = [
    "/admin/danh-gia/{a}/nguoi/",
    "/admin/danh-gia/{a}/nguoi/{p}",
    "/admin/danh-gia/{a}/nguoi/{p}?lan=1",
    "/admin/danh-gia/{a}/nguoi/{p}/quyet-dinh",
    "/admin/danh-gia/{a}/nguoi/{p}/phieu.pdf",
    "/admin/danh-gia/{a}/quy-trinh/",
    "/admin/danh-gia/{a}/quy-trinh/mo-y-kien",
    "/admin/danh-gia/{a}/quy-trinh/ra-soat",
    "/admin/danh-gia/{a}/quy-trinh/quyet-dinh",
    "/admin/danh-gia/{a}/quy-trinh/cong-bo",
    "/admin/danh-gia/{a}/quy-trinh/khoa",
    "/admin/danh-gia/{a}/quy-trinh/ket-qua.xlsx",
    "/admin/danh-gia/{a}/quy-trinh/nguoi?ma={p}",
    "/admin/danh-gia/{a}/mo-phong/",
    "/admin/danh-gia/{a}/mo-phong/?chay=1&p_mức_trừ_chậm=20%25",
    "/admin/danh-gia/tong-hop/?don_vi={u}&ky=2026",
    "/admin/danh-gia/tong-hop/tai.xlsx?don_vi={u}&ky=2026",
    "/admin/danh-gia/thu-nhap/?don_vi={u}&quy=2026-Q1",
]
POSTS = [
    ("/admin/danh-gia/{a}/quy-trinh/mo-y-kien", {"confirm": "yes"}),
    ("/admin/danh-gia/{a}/quy-trinh/cong-bo", {"confirm": "yes"}),
    ("/admin/danh-gia/{a}/nguoi/{p}/y-kien", {"text": "ý kiến từ phường khác"}),
    ("/admin/danh-gia/{a}/nguoi/{p}/quyet-dinh",
     {"confirm": "yes", "level": "Hoàn thành xuất sắc nhiệm vụ", "reason": "thử từ phường khác"}),
]  # fmt: skip
# (user, ward of the URLs, expected status of every GET)
CASES = [
    ("hacthanh.danhgia", "HT", 200),
    ("hacthanh.quantri", "HT", 200),
    ("tinh.quantri", "HT", 200),
    ("tinh.quantri", "DS", 200),
    ("dongson.danhgia", "DS", 200),
    ("dongson.danhgia", "HT", 404),
    ("dongson.quantri", "HT", 404),
    ("hacthanh.danhgia", "DS", 404),
    ("hacthanh.quantri", "DS", 404),
    ("HT0012", "HT", 403),
    ("DS0012", "HT", 403),
    ("DS0012", "DS", 403),
]


@pytest.fixture(scope="module")
def assessed(web):
    return run_months(web)


def _urls(assessed, ward: str) -> list[str]:
    values = {"a": assessed[ward], "p": PERSON[ward], "u": ward}
    return [url.format(**values) for url in GETS]


@pytest.mark.parametrize(("user", "ward", "expected"), CASES)
def test_every_get(browser, assessed, user, ward, expected):
    b = browser(user)
    for url in _urls(assessed, ward):
        response = b.get(url)
        status = response.status_code
        if expected == 200 and status == 302:  # the /nguoi/ index and the jump box redirect within scope
            target = response.headers["Location"]
            assert f"/admin/danh-gia/{assessed[ward]}/" in target, (url, target)
            status = b.get(target).status_code
        assert status == expected, (user, url, status)
        if expected != 200:
            assert "Traceback" not in response.text and PERSON[ward] not in response.text


@pytest.mark.parametrize("user", ["hacthanh.danhgia", "tinh.quantri"])
def test_a_person_of_another_ward_in_my_assessment_url(browser, assessed, user):
    b = browser(user)
    for url in (f"/admin/danh-gia/{assessed['HT']}/nguoi/DS0012", f"/admin/danh-gia/{assessed['HT']}/nguoi/DS0012/phieu.pdf",
                f"/admin/danh-gia/{assessed['HT']}/nguoi/DS0012/quyet-dinh", "/admin/danh-gia/999999/quy-trinh/",
                "/admin/danh-gia/999999/nguoi/HT0012", "/admin/danh-gia/tong-hop/?don_vi=KHONG-CO&ky=2026"):  # fmt: skip
        assert b.get(url).status_code == 404, url


@pytest.mark.parametrize(
    ("user", "ward"), [("dongson.danhgia", "HT"), ("hacthanh.quantri", "DS"), ("HT0012", "HT")]
)
def test_posts_from_outside_change_nothing(browser, web, assessed, user, ward):
    from app.extensions import db
    from app.models import AuditLog

    with web.app_context():
        audits = db.session.scalar(db.select(db.func.count(AuditLog.id)))
        db.session.remove()
    before = status_of(web, assessed[ward])
    b = browser(user)
    token = csrf_of(b.get("/admin/", follow_redirects=True).text)  # an official's home is their own page
    for url, data in POSTS:
        url = url.format(a=assessed[ward], p=PERSON[ward])
        response = b.post(url, data={"csrf_token": token, **data})
        assert response.status_code == (403 if user.startswith(("HT0", "DS0")) else 404), (
            url,
            response.status_code,
        )
    assert status_of(web, assessed[ward]) == before
    with web.app_context():
        assert db.session.scalar(db.select(db.func.count(AuditLog.id))) == audits
        db.session.remove()


def test_anonymous_goes_to_the_sign_in_page(browser, assessed):
    b = browser()
    for url in _urls(assessed, "HT"):
        response = b.get(url)
        assert response.status_code == 302 and "/dang-nhap" in response.headers["Location"], url


def test_posts_need_the_csrf_token(browser, web, assessed):
    b = browser("hacthanh.danhgia")
    page = b.get(f"/admin/danh-gia/{assessed['HT']}/quy-trinh/mo-y-kien")
    assert csrf_of(page.text)
    response = b.post(f"/admin/danh-gia/{assessed['HT']}/quy-trinh/mo-y-kien", data={"confirm": "yes"})
    assert response.status_code == 400 and "CSRF" in response.text
    assert status_of(web, assessed["HT"]) == "computed"
