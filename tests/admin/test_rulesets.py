"""Rulesets in the admin: the editor's background calls (CSRF, gate diagnostics, completion without
diacritics, format, tests), saving drafts that keep the text, publish, adopt, compare, and another
ward's versions refused by URL and by form."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
GOOD = (DATA / "dong-son.kpi").read_text(encoding="utf-8")
BROKEN = GOOD.replace("đặt mức_trừ_chậm", "đặt mức_trừ_chạm")


def _version_id(web, code: str, number: int = 1) -> int:
    from app.extensions import db
    from app.models import Ruleset, RulesetVersion

    with web.app_context():
        return db.session.scalar(
            db.select(RulesetVersion.id)
            .join(Ruleset)
            .where(Ruleset.code == code, RulesetVersion.version == number)
        )


def _api(b, name: str, source: str, token: str | None = None):
    headers = {"X-CSRFToken": token or b.token("/admin/soan-thao/")}
    return b.post(f"/admin/soan-thao/api/{name}", json={"source": source}, headers=headers)


def test_editor_calls_need_csrf_and_a_role(browser):
    b = browser("dongson.quantri")
    assert b.post("/admin/soan-thao/api/kiem-tra", json={"source": GOOD}).status_code == 400
    official = browser("DS0012")
    response = official.post(
        "/admin/soan-thao/api/kiem-tra", json={"source": GOOD}, headers={"X-CSRFToken": official.token()}
    )
    assert response.status_code == 403
    assert browser().post("/admin/soan-thao/api/kiem-tra", json={"source": GOOD}).status_code in (
        302,
        400,
        401,
    )


def test_diagnostics_come_from_the_gate(browser):
    b = browser("dongson.quantri")
    data = _api(b, "kiem-tra", BROKEN).get_json()
    assert not data["ok"]
    [diag] = data["diagnostics"]
    assert (diag["code"], diag["line"], diag["column"]) == ("E0101", 8, 1)
    good = _api(b, "kiem-tra", GOOD).get_json()
    assert (
        good["ok"] and good["diagnostics"] == [] and any(i["label"] == "mức_trừ_chậm" for i in good["items"])
    )


def test_completion_words_fold_diacritics(browser):
    b = browser("dongson.quantri")
    items = {i["label"]: i for i in _api(b, "goi-y", GOOD).get_json()["items"]}
    assert items["tiêu chí"]["fold"] == "tieu chi" and items["tiêu chí"]["type"] == "keyword"
    assert items["mức_trừ_chậm"]["fold"] == "muc tru cham"  # a parameter of the adopted province ruleset
    assert items["trung_bình"]["type"] == "function"
    assert "số_hồ_sơ_đúng_hạn" in items  # a catalog task field


def test_format_and_tests(browser):
    b = browser("dongson.quantri")
    messy = GOOD.replace("đặt mức_trừ_chậm = 20%", "đặt   mức_trừ_chậm=20%")
    data = _api(b, "dinh-dang", messy).get_json()
    assert data["ok"] and "đặt mức_trừ_chậm = 20%" in data["source"]
    tests = _api(b, "kiem-thu", GOOD).get_json()
    assert tests["ok"] and tests["tests"][0]["passed"]
    failing = _api(b, "kiem-thu", GOOD.replace("mong đợi c 98", "mong đợi c 97")).get_json()
    assert not failing["ok"] and not failing["tests"][0]["passed"]


def test_save_keeps_text_even_when_refused(browser):
    b = browser("dongson.quantri")
    token = b.token("/admin/soan-thao/")
    unreadable = "đây không phải bộ quy tắc\nnhưng vẫn phải giữ nguyên"
    response = b.post("/admin/soan-thao/luu", data={"csrf_token": token, "source": unreadable})
    assert response.status_code == 400
    assert "nhưng vẫn phải giữ nguyên" in response.get_data(as_text=True)
    saved = b.post("/admin/soan-thao/luu", data={"csrf_token": token, "source": BROKEN})
    assert saved.status_code == 302  # a draft with errors is saved
    page = b.get(saved.headers["Location"]).get_data(as_text=True)
    assert "mức_trừ_chạm" in page and "còn 1 lỗi" in page


def test_publish_refused_with_errors_then_published(web, browser):
    b = browser("dongson.quantri")
    token = b.token("/admin/soan-thao/")
    b.post("/admin/soan-thao/luu", data={"csrf_token": token, "source": BROKEN.replace("DS-KPI", "DS-KPI-2")})
    version_id = _version_id(web, "DS-KPI-2")
    url = f"/admin/quy-tac/phien-ban/{version_id}/cong-bo"
    refused = b.post(
        url,
        data={"csrf_token": token, "confirm": "yes", "effective_from": "01/02/2026"},
        follow_redirects=True,
    )
    assert "Chưa công bố" in refused.get_data(as_text=True)
    b.post("/admin/soan-thao/luu", data={"csrf_token": token, "source": GOOD.replace("DS-KPI", "DS-KPI-2")})
    done = b.post(
        url,
        data={"csrf_token": token, "confirm": "yes", "effective_from": "01/02/2026"},
        follow_redirects=True,
    )
    text = done.get_data(as_text=True)
    assert "Đã công bố DS-KPI-2@1" in text and "01/02/2026" in text


def test_adopt_with_bounds(web, browser):
    b = browser("hacthanh.quantri")
    province = _version_id(web, "TH-2026")
    url = f"/admin/quy-tac/phien-ban/{province}/ap-dung"
    form = b.get(url).get_data(as_text=True)
    assert 'name="p_mức_trừ_chậm"' in form and "từ 15% đến 35%" in form
    assert 'name="p_tỷ_lệ_xuất_sắc"' not in form  # locked parameters are not offered
    token = b.token(url)
    refused = b.post(url, data={"csrf_token": token, "p_mức_trừ_chậm": "50%"})
    assert refused.status_code == 400 and "Chưa áp dụng được" in refused.get_data(as_text=True)
    done = b.post(url, data={"csrf_token": token, "p_mức_trừ_chậm": "30%"}, follow_redirects=True)
    text = done.get_data(as_text=True)
    assert "Đã tạo bản nháp" in text and "đặt mức_trừ_chậm = 30%" in text
    assert "đặt mức_trừ_sai_sót" not in text  # unchanged parameters stay the province's


def test_compare_shows_the_semantic_summary(web, browser):
    b = browser("hacthanh.quantri")
    old, new = _version_id(web, "TH-2026"), _version_id(web, "TH-HAC-THANH-2026")
    text = b.get(f"/admin/quy-tac/so-sanh?cu={old}&moi={new}").get_data(as_text=True)
    assert 'id="semantic-changes"' in text and "mức_trừ_chậm" in text


@pytest.mark.parametrize("username", ["dongson.quantri", "dongson.danhgia"])
def test_other_wards_version_is_refused(web, browser, username):
    b = browser(username)
    ht = _version_id(web, "TH-HAC-THANH-2026")
    token = b.token()
    for url in (f"/admin/quy-tac/phien-ban/{ht}", f"/admin/quy-tac/phien-ban/{ht}/ap-dung",
                f"/admin/soan-thao/{ht}", f"/admin/quy-tac/so-sanh?cu={ht}&moi={ht}"):  # fmt: skip
        assert b.get(url).status_code in (403, 404), url
    for action in ("cong-bo", "ngung", "ban-nhap-moi", "xoa"):
        response = b.post(
            f"/admin/quy-tac/phien-ban/{ht}/{action}", data={"csrf_token": token, "confirm": "yes"}
        )
        assert response.status_code in (403, 404), action
    listing = b.get("/admin/bo-quy-tac/").get_data(as_text=True)
    assert "TH-HAC-THANH-2026" not in listing and "TH-2026@1" in listing
    export = b.get("/admin/quy-tac/goi/xuat").get_data(as_text=True)
    assert "TH-HAC-THANH-2026" not in export and re.search(r"code: TH-2026", export)
