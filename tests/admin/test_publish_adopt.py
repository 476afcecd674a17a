"""Publishing from the admin in two steps (legal bases and articles editable, effective date, preview of
the refusal reasons and of the what-if impact, then the final confirmation), and the adoption form's
preview of the effect of the chosen parameters on the ward's last period."""

from __future__ import annotations

import html
import re
from pathlib import Path

GOOD = (Path(__file__).parent / "data" / "dong-son.kpi").read_text(encoding="utf-8")
BASIS = '  căn cứ "Nghị định 335/2025/NĐ-CP" điều 14\n'


def _version_id(web, code: str, number: int = 1) -> int:
    from app.extensions import db
    from app.models import Ruleset, RulesetVersion

    with web.app_context():
        return db.session.scalar(
            db.select(RulesetVersion.id)
            .join(Ruleset)
            .where(Ruleset.code == code, RulesetVersion.version == number)
        )


def _save(b, source: str) -> None:
    token = b.token("/admin/soan-thao/")
    assert b.post("/admin/soan-thao/luu", data={"csrf_token": token, "source": source}).status_code == 302


def _run_assessment(web, unit: str, period: str) -> None:
    from app.extensions import db
    from app.services import assessments
    from app.services.scope import Scope
    from app.services.users import system_user

    with web.app_context():
        report = assessments.run(unit, period, scope=Scope.everything(), user=system_user())
        assert report.revision is not None
        db.session.commit()


def test_publish_form_asks_for_legal_bases_and_date(web, browser):
    b = browser("dongson.quantri")
    _save(b, GOOD.replace("DS-KPI", "DS-CB").replace(BASIS, ""))
    page = b.get(f"/admin/quy-tac/phien-ban/{_version_id(web, 'DS-CB')}").get_data(as_text=True)
    form = page.split('id="publish-form"')[1].split("</form>")[0]
    assert (
        'name="basis_document"' in form
        and 'name="basis_articles"' in form
        and 'name="effective_from"' in form
    )
    assert "Xem ảnh hưởng trước khi công bố" in form
    # a draft that cites nothing is preset with the bases of the version it adopts
    assert 'value="Nghị định 335/2025/NĐ-CP"' in form


def test_preview_refuses_without_a_legal_basis_then_publishes_with_one(web, browser):
    b = browser("dongson.quantri")
    _save(b, GOOD.replace("DS-KPI", "DS-CB2").replace(BASIS, ""))
    vid = _version_id(web, "DS-CB2")
    token = b.token(f"/admin/quy-tac/phien-ban/{vid}")
    preview = f"/admin/quy-tac/phien-ban/{vid}/cong-bo/xem-truoc"
    empty = b.post(preview, data={"csrf_token": token, "basis_document": "", "basis_articles": "",
                                  "effective_from": "01/04/2026"})  # fmt: skip
    text = empty.get_data(as_text=True)
    assert empty.status_code == 400 and "chưa có căn cứ pháp lý" in text and 'id="btn-publish"' not in text
    form = {"csrf_token": token, "basis_document": ["Quyết định 12/2026/QĐ-UBND", ""],
            "basis_articles": ["3, 5", ""], "effective_from": "01/04/2026"}  # fmt: skip
    ok = b.post(preview, data=form)
    text = ok.get_data(as_text=True)
    assert ok.status_code == 200 and 'id="btn-publish"' in text and 'id="impact"' in text
    assert (
        'value="Quyết định 12/2026/QĐ-UBND"' in text
        and 'value="3, 5"' in text
        and 'value="01/04/2026"' in text
    )
    # no stored assessment yet: the data it would run on
    summary = re.search(r'id="impact-summary"[^>]*>(.*?)</p>', text, re.S).group(1)
    assert "cán bộ" in summary and "nhiệm vụ" in summary and 'id="impact-data"' in text
    published = b.post(f"/admin/quy-tac/phien-ban/{vid}/cong-bo", data={**form, "confirm": "yes"},
                       follow_redirects=True).get_data(as_text=True)  # fmt: skip
    assert "Đã công bố DS-CB2@1" in published
    assert "Quyết định 12/2026/QĐ-UBND, điều 3, 5" in published and "01/04/2026" in published
    assert 'căn cứ "Quyết định 12/2026/QĐ-UBND" điều 3, 5' in html.unescape(published)  # in the source


def test_preview_refuses_failing_tests(web, browser):
    b = browser("dongson.quantri")
    _save(b, GOOD.replace("DS-KPI", "DS-CB3").replace("mong đợi c 98", "mong đợi c 97"))
    vid = _version_id(web, "DS-CB3")
    token = b.token(f"/admin/quy-tac/phien-ban/{vid}")
    response = b.post(f"/admin/quy-tac/phien-ban/{vid}/cong-bo/xem-truoc",
                      data={"csrf_token": token, "basis_document": "Nghị định 335/2025/NĐ-CP", "basis_articles": "14"})  # fmt: skip
    text = response.get_data(as_text=True)
    assert response.status_code == 400 and "kiểm thử" in text and 'id="btn-publish"' not in text
    refused = b.post(f"/admin/quy-tac/phien-ban/{vid}/cong-bo",
                     data={"csrf_token": token, "confirm": "yes"}, follow_redirects=True)  # fmt: skip
    assert "Chưa công bố" in refused.get_data(as_text=True)


def test_preview_simulates_the_last_stored_period(web, browser):
    _run_assessment(web, "DS", "2026-03")
    b = browser("dongson.quantri")
    without_tests = GOOD.split("kiểm thử")[0]
    _save(
        b,
        without_tests.replace("DS-KPI", "DS-CB4").replace("đặt mức_trừ_chậm = 20%", "đặt mức_trừ_chậm = 35%"),
    )
    vid = _version_id(web, "DS-CB4")
    token = b.token(f"/admin/quy-tac/phien-ban/{vid}")
    response = b.post(f"/admin/quy-tac/phien-ban/{vid}/cong-bo/xem-truoc",
                      data={"csrf_token": token, "basis_document": "Nghị định 335/2025/NĐ-CP", "basis_articles": "14"})  # fmt: skip
    text = response.get_data(as_text=True)
    assert response.status_code == 200, re.sub(r"\s+", " ", text.split("<h1")[1])[:1500]
    assert "— tháng 03/2026" in text and 'id="impact-units"' in text and "DS" in text
    assert re.search(r'id="impact-summary"[^>]*><strong>\d+</strong> trên \d+ cán bộ đổi mức xếp loại', text)


def test_adopt_form_previews_the_effect_on_the_ward(web, browser):
    b = browser("hacthanh.quantri")
    province = _version_id(web, "TH-2026")
    url = f"/admin/quy-tac/phien-ban/{province}/ap-dung"
    token = b.token(url)
    response = b.post(url, data={"csrf_token": token, "p_mức_trừ_chậm": "35%", "action": "preview"})
    text = response.get_data(as_text=True)
    assert response.status_code == 200, re.sub(r"\s+", " ", text.split("<h1")[1])[:1500]
    assert 'id="impact"' in text and 'id="impact-units"' in text and "HT" in text
    assert 'value="35%"' in text  # the chosen values stay in the form
    assert "Đã tạo bản nháp" not in text and _version_id(web, "HT-TH-2026") is None  # nothing created
    refused = b.post(url, data={"csrf_token": token, "p_mức_trừ_chậm": "50%", "action": "preview"})
    assert refused.status_code == 400 and "Chưa áp dụng được" in refused.get_data(as_text=True)


def test_adopt_preview_uses_the_wards_stored_assessment(web, browser):
    _run_assessment(web, "HT", "2026-02")
    b = browser("hacthanh.quantri")
    url = f"/admin/quy-tac/phien-ban/{_version_id(web, 'TH-2026')}/ap-dung"
    text = b.post(
        url, data={"csrf_token": b.token(url), "p_mức_trừ_chậm": "15%", "action": "preview"}
    ).get_data(as_text=True)
    assert "trên dữ liệu đã lưu" in text and "— tháng 02/2026" in text and 'id="impact-units"' in text


def test_other_ward_cannot_preview(web, browser):
    b = browser("dongson.quantri")
    ht = _version_id(web, "TH-HAC-THANH-2026")
    token = b.token()
    response = b.post(f"/admin/quy-tac/phien-ban/{ht}/cong-bo/xem-truoc", data={"csrf_token": token})
    assert response.status_code in (403, 404)
    assert b.post(f"/admin/quy-tac/phien-ban/{ht}/cong-bo/xem-truoc", data={}).status_code in (400, 403, 404)


def test_no_session_cannot_preview_publish_or_adopt(web, browser):
    """Without a session, the publish preview, publish and adoption (form and preview) lead to the sign-in
    page or are refused, and publish nothing."""
    from app.extensions import db
    from app.models import RulesetVersion

    anonymous = browser()
    ht = _version_id(web, "TH-HAC-THANH-2026")
    province = _version_id(web, "TH-2026")
    with web.app_context():
        before = db.session.scalar(db.select(db.func.count()).select_from(RulesetVersion))
    for method, url in [
        ("post", f"/admin/quy-tac/phien-ban/{ht}/cong-bo/xem-truoc"),
        ("post", f"/admin/quy-tac/phien-ban/{ht}/cong-bo"),
        ("get", f"/admin/quy-tac/phien-ban/{province}/ap-dung"),
        ("post", f"/admin/quy-tac/phien-ban/{province}/ap-dung"),
    ]:
        response = getattr(anonymous, method)(url, data={})
        assert response.status_code in (302, 400, 401), (url, response.status_code)
        if response.status_code == 302:
            assert "/dang-nhap" in response.headers["Location"], url
    with web.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(RulesetVersion)) == before


def test_a_province_version_is_simulated_where_it_runs(web, browser):
    """HT runs its own adoption (TH-HAC-THANH-2026): a new province version changes only DS's results."""
    _run_assessment(web, "DS", "2026-03")
    _run_assessment(web, "HT", "2026-03")
    b = browser("tinh.quantri")
    province = _version_id(web, "TH-2026")
    token = b.token(f"/admin/quy-tac/phien-ban/{province}")
    draft = b.post(f"/admin/quy-tac/phien-ban/{province}/ban-nhap-moi", data={"csrf_token": token})
    assert draft.status_code == 302
    vid = _version_id(web, "TH-2026", 2)
    text = b.post(f"/admin/quy-tac/phien-ban/{vid}/cong-bo/xem-truoc",
                  data={"csrf_token": token, "basis_document": "Nghị định 335/2025/NĐ-CP", "basis_articles": "14"}
                  ).get_data(as_text=True)  # fmt: skip
    units = re.search(r'id="impact-units">(.*?)</table>', text, re.S).group(1)
    assert "<td>DS" in units and "<td>HT" not in units
    assert "không đổi: đợt đánh giá HT kỳ 2026-03" in html.unescape(text) or "HT kỳ 2026-03" in html.unescape(
        text
    )
