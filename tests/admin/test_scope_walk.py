"""Every registered admin endpoint, with every role of both wards and with no session: never a 500,
never a row of the other ward; another ward's row by id in the URL: 404."""

from __future__ import annotations

import pytest
from support import WARD_USERS

OTHER = {"HT": "DS", "DS": "HT"}
USERS = [(ward, user) for ward, users in WARD_USERS.items() for user in users]


def admin_get_urls(app) -> list[str]:
    """Every GET route under /admin and the sign-in pages, with no URL parameter (list pages, forms,
    exports, background endpoints that answer GET)."""
    urls = set()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.arguments:
            continue
        if rule.rule.startswith(("/admin", "/dang-")):
            urls.add(rule.rule)
    return sorted(urls)


def admin_post_urls(app) -> list[str]:
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods and not rule.arguments and rule.rule.startswith("/admin")
    )


def other_ward_codes(app, ward: str) -> list[str]:
    """Codes of the other ward's people and departments (they must never appear). The ward's name may:
    the province's rulesets mention both wards in their comments."""
    from app.extensions import db
    from app.models import Person, Unit

    with app.app_context():
        codes = db.session.scalars(db.select(Person.code).where(Person.code.like(f"{OTHER[ward]}%"))).all()
        codes += db.session.scalars(db.select(Unit.code).where(Unit.code.like(f"{OTHER[ward]}-%"))).all()
    assert len(codes) > 60
    return codes


@pytest.mark.parametrize(("ward", "username"), USERS)
def test_every_get_endpoint(web, browser, ward, username):
    b = browser(username)
    leaked = other_ward_codes(web, ward)
    urls = admin_get_urls(web)
    assert len(urls) > 15
    for url in urls:
        response = b.get(url)
        assert response.status_code in (200, 302, 403, 404, 405), (url, response.status_code)
        if response.status_code == 200:
            text = response.get_data(as_text=True)
            found = [code for code in leaked if f"{code} " in text or f"{code}<" in text]
            assert not found, (url, found[:3])


def test_every_endpoint_without_a_session(web, browser):
    b = browser()
    for url in admin_get_urls(web):
        response = b.get(url)
        assert response.status_code in (200, 302, 401, 403, 404), (url, response.status_code)
        if url.startswith("/admin"):
            assert response.status_code != 200, url
    for url in admin_post_urls(web):
        response = b.post(url, data={})
        assert response.status_code in (302, 400, 401, 403, 404, 405), (url, response.status_code)


def _ids_of_ward(app, ward: str) -> dict[str, list[int]]:
    """Ids of rows of `ward` for each model view endpoint."""
    from app.extensions import db
    from app.models import PeriodInput, Person, Task, Unit

    with app.app_context():
        unit_ids = [u.id for u in db.session.scalars(db.select(Unit).where(Unit.code.like(f"{ward}%")))]
        person_ids = db.session.scalars(db.select(Person.id).where(Person.unit_id.in_(unit_ids))).all()
        return {
            "units": unit_ids[:3],
            "people": person_ids[:3],
            "tasks": db.session.scalars(db.select(Task.id).where(Task.unit_id.in_(unit_ids)).limit(3)).all(),
            "inputs": db.session.scalars(
                db.select(PeriodInput.id).where(PeriodInput.person_id.in_(person_ids)).limit(3)
            ).all(),
        }


@pytest.mark.parametrize(("ward", "username"), USERS)
def test_other_wards_rows_by_id(web, browser, ward, username):
    b = browser(username)
    prefix = {"units": "don-vi", "people": "can-bo", "tasks": "nhiem-vu", "inputs": "dau-vao"}
    for endpoint, ids in _ids_of_ward(web, OTHER[ward]).items():
        assert ids, endpoint
        for row_id in ids:
            for action in ("details", "edit", "export/csv"):
                response = b.get(f"/admin/{prefix[endpoint]}/{action}/?id={row_id}")
                status = response.status_code
                if status == 302:  # a disabled action (edit, export) sends back to the list
                    assert action != "details" and "id=" not in response.headers["Location"]
                else:
                    assert status in (403, 404), (endpoint, action, row_id, status)
    own = _ids_of_ward(web, ward)["tasks"][0]
    response = b.get(f"/admin/nhiem-vu/details/?id={own}")
    assert response.status_code in (200, 404)  # an official sees only their own tasks
