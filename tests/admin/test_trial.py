"""The editor's "try on the database": the unsaved draft evaluated for a person or a unit sample of the
user's scope, with score, level and the Vietnamese explanation; CSRF, role and scope as every call."""

from __future__ import annotations

from pathlib import Path

GOOD = (Path(__file__).parent / "data" / "dong-son.kpi").read_text(encoding="utf-8")
URL = "/admin/soan-thao/api/chay-thu"


def _try(b, **body):
    token = b.token("/admin/soan-thao/")
    response = b.post(URL, json={"source": GOOD, "period": "2026-03", **body}, headers={"X-CSRFToken": token})
    assert response.status_code == 200, response.text[:300]
    return response.get_json()


def test_try_on_a_person_with_the_explanation(browser):
    data = _try(browser("dongson.quantri"), person="DS0012")
    assert data["ok"], data
    [person] = data["people"]
    assert person["code"] == "DS0012" and person["unit"].startswith("DS")
    assert person["score"] and "," in person["score"] or person["score"].isdigit()
    assert person["level"].startswith(("Hoàn thành", "Không"))
    assert len(person["lines"]) > 3 and any("điểm" in line.lower() for line in person["lines"])
    assert data["period"] == "2026-03" and '"DS-KPI" phiên bản 1' in data["candidate"]


def test_try_on_a_unit_sample(web, browser):
    from app.extensions import db
    from app.models import Unit
    from app.services.trial import SAMPLE

    with web.app_context():
        ds = db.session.scalar(db.select(Unit.id).where(Unit.code == "DS"))
    data = _try(browser("dongson.quantri"), unit=ds)
    assert data["ok"], data
    assert 1 < len(data["people"]) <= SAMPLE and data["evaluated"] >= len(data["people"])
    assert all(p["code"].startswith("DS") for p in data["people"])
    assert all(p["lines"] or p["problem"] for p in data["people"])


def test_another_wards_person_or_unit_is_not_found(web, browser):
    from app.extensions import db
    from app.models import Unit

    b = browser("dongson.quantri")
    other = _try(b, person="HT0012")
    missing = _try(b, person="KHONG0000")
    assert not other["ok"] and other["code"] == "not_found"
    assert other["message"].replace("HT0012", "X") == missing["message"].replace("KHONG0000", "X")
    with web.app_context():
        ht = db.session.scalar(db.select(Unit.id).where(Unit.code == "HT"))
    refused = _try(b, unit=ht)
    assert not refused["ok"] and "HT" not in str(refused.get("people", ""))


def test_a_draft_with_errors_or_a_bad_period_is_refused(browser):
    b = browser("dongson.quantri")
    token = b.token("/admin/soan-thao/")
    broken = GOOD.replace("đặt mức_trừ_chậm", "đặt mức_trừ_chạm")
    data = b.post(URL, json={"source": broken, "period": "2026-03", "person": "DS0012"},
                  headers={"X-CSRFToken": token}).get_json()  # fmt: skip
    assert not data["ok"] and any("E0101" in d for d in data["details"])
    data = _try(b, person="DS0012", period="tháng mười ba")
    assert not data["ok"] and "kỳ" in data["message"]


def test_the_trial_needs_csrf_and_an_admin(browser):
    b = browser("dongson.quantri")
    assert b.post(URL, json={"source": GOOD, "person": "DS0012"}).status_code == 400  # no CSRF header
    evaluator = browser("dongson.danhgia")
    response = evaluator.post(URL, json={"source": GOOD}, headers={"X-CSRFToken": evaluator.token()})
    assert response.status_code == 403
    assert browser().post(URL, json={"source": GOOD}).status_code in (302, 400, 401)


def test_the_editor_page_offers_the_trial(browser):
    text = browser("dongson.quantri").get("/admin/soan-thao/").get_data(as_text=True)
    assert 'id="btn-trial"' in text and 'id="trial-period"' in text and "2026-03" in text
    assert "Đông Sơn" in text and "Hạc Thành" not in text.split('id="trial-unit"')[1].split("</select>")[0]


def test_the_trial_is_bounded(browser, monkeypatch):
    """A leader with more people under them than MAX_PEOPLE is refused; a sample leaves such leaders out."""
    from app.services import trial

    monkeypatch.setattr(trial, "MAX_PEOPLE", 5)
    b = browser("dongson.quantri")
    chairman = _try(b, person="DS0001")  # the ward's chairman: everyone is under them
    assert not chairman["ok"] and "quá nhiều cán bộ cấp dưới" in chairman["message"]
    sample = _try(b)
    assert sample["ok"] and sample["evaluated"] <= 5
