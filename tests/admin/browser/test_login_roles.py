"""Journey: every demo account signs in, sees its home page in Vietnamese, and signs out."""

from __future__ import annotations

import pytest
from journey import login, shot

ACCOUNTS = [
    ("tinh.quantri", "demo-tinh-2026", "Quản trị cấp tỉnh"),
    ("hacthanh.quantri", "demo-hacthanh-2026", "Quản trị cấp xã/phường"),
    ("dongson.quantri", "demo-dongson-2026", "Quản trị cấp xã/phường"),
    ("hacthanh.danhgia", "demo-danhgia-2026", "Người đánh giá"),
    ("dongson.danhgia", "demo-danhgia-2026", "Người đánh giá"),
    ("HT0012", "demo-canbo-2026", "Cán bộ, công chức"),
    ("DS0012", "demo-canbo-2026", "Cán bộ, công chức"),
]


@pytest.mark.parametrize(("username", "password", "role"), ACCOUNTS)
def test_sign_in_each_role(page, username, password, role):
    page.goto("/admin/")
    assert "/dang-nhap" in page.url
    if username == "tinh.quantri":
        shot(page, "dang-nhap")
    login(page, username, password)
    assert role in page.inner_text("body")
    shot(page, f"trang-chu-{username}")
    page.click("text=Đăng xuất")
    page.wait_for_url("**/dang-nhap")
    assert "Đã đăng xuất" in page.inner_text("body")


def test_wrong_password(page):
    page.goto("/dang-nhap")
    page.fill("#username", "hacthanh.quantri")
    page.fill("#password", "sai")
    page.click("button[type=submit]")
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in page.inner_text("body")
