"""Sign-in, sign-out, CSRF, throttling, session cookies and roles."""

from __future__ import annotations

import datetime as dt

from app.models.common import utcnow


def test_pages_need_a_session(browser):
    b = browser()
    response = b.get("/admin/can-bo/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/dang-nhap")


def test_login_and_logout(browser):
    b = browser()
    response = b.login("hacthanh.quantri")
    assert response.status_code == 302 and response.headers["Location"] == "/admin/"
    cookie = response.headers["Set-Cookie"]
    assert (
        cookie.startswith("kpi_session=")
        and "HttpOnly" in cookie
        and "SameSite=Lax" in cookie
        and "Expires=" in cookie
    )
    home = b.get("/admin/")
    assert home.status_code == 200 and "Quản trị cấp xã/phường" in home.text
    logout = b.post("/dang-xuat", data={"csrf_token": b.token()})
    assert logout.status_code == 302
    assert b.get("/admin/").status_code == 302


def test_wrong_password_and_throttle(browser, web):
    b = browser()
    for _ in range(5):
        response = b.login("dongson.danhgia", "sai-mat-khau")
        assert response.status_code == 401
        assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.text
    # the right password is refused too while the account is throttled
    response = b.login("dongson.danhgia")
    assert response.status_code == 429 and "quá nhiều lần" in response.text
    # another account from the same address still signs in (address limit is higher)
    assert browser("dongson.quantri").get("/admin/").status_code == 200


def test_throttle_window_passes(web):
    from app.extensions import db
    from app.services import login_throttle

    later = utcnow() + login_throttle.WINDOW + dt.timedelta(seconds=1)
    with web.app_context():
        for _ in range(login_throttle.MAX_PER_ACCOUNT):
            login_throttle.record_failure("ai-do", "10.0.0.9")
        assert login_throttle.blocked("ai-do", "10.0.0.1")
        assert not login_throttle.blocked("ai-do", "10.0.0.1", now=later)
        for i in range(login_throttle.MAX_PER_ADDRESS):
            login_throttle.record_failure(f"nguoi-{i}", "10.0.0.7")
        assert login_throttle.blocked("nguoi-moi", "10.0.0.7")
        assert not login_throttle.blocked("nguoi-moi", "10.0.0.8")
        db.session.rollback()


def test_csrf_is_required(browser):
    b = browser("hacthanh.quantri")
    response = b.post("/dang-xuat")
    assert response.status_code == 400 and "CSRF" in response.text
    assert b.get("/admin/").status_code == 200  # still signed in


def test_login_form_without_csrf_is_refused(browser):
    b = browser()
    response = b.post("/dang-nhap", data={"username": "tinh.quantri", "password": "demo-tinh-2026"})
    assert response.status_code == 400


def test_next_never_leaves_the_site(browser):
    from support import PASSWORDS, csrf_of

    b = browser()
    for target, expected in (("https://evil.example/", "/admin/"), ("//evil.example/x", "/admin/"),
                             ("/admin/can-bo/", "/admin/can-bo/")):  # fmt: skip
        token = csrf_of(b.get("/dang-nhap").text)
        response = b.post(
            "/dang-nhap?next=" + target,
            data={"csrf_token": token, "username": "tinh.quantri", "password": PASSWORDS["tinh.quantri"]},
        )
        assert response.headers["Location"] == expected


def test_official_sees_only_their_own(browser):
    b = browser("HT0012")
    tasks = b.get("/admin/nhiem-vu/")
    assert tasks.status_code == 200
    assert "HT0012" in tasks.text and "HT0013" not in tasks.text
    assert b.get("/admin/don-vi/").status_code == 403


def test_roles_of_catalog_views(browser):
    assert browser("hacthanh.danhgia").get("/admin/don-vi/").status_code == 403
    assert browser("hacthanh.quantri").get("/admin/don-vi/").status_code == 200


def test_client_address_behind_a_proxy(web):
    """With KPI_PROXY_HOPS=1 the throttle counts the client's address from X-Forwarded-For."""
    from app import create_app
    from app.extensions import db
    from app.models import LoginFailure

    application = create_app({**web.config, "KPI_PROXY_HOPS": 1})
    client = application.test_client()
    from support import csrf_of

    token = csrf_of(client.get("/dang-nhap").text)
    client.post(
        "/dang-nhap",
        data={"csrf_token": token, "username": "khong-co-ai", "password": "sai"},
        headers={"X-Forwarded-For": "203.0.113.7"},
    )
    with application.app_context():
        addresses = db.session.scalars(
            db.select(LoginFailure.address).where(LoginFailure.username == "khong-co-ai")
        ).all()
        db.session.remove()
        db.engine.dispose()
    assert addresses == ["203.0.113.7"]
