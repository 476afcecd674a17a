"""Helpers of the admin tests (a module of its own: `conftest` names collide between directories)."""

from __future__ import annotations

import re

PASSWORDS = {
    "tinh.quantri": "demo-tinh-2026",
    "hacthanh.quantri": "demo-hacthanh-2026",
    "dongson.quantri": "demo-dongson-2026",
    "hacthanh.danhgia": "demo-danhgia-2026",
    "dongson.danhgia": "demo-danhgia-2026",
    "HT0012": "demo-canbo-2026",
    "DS0012": "demo-canbo-2026",
}
WARD_USERS = {"HT": ("hacthanh.quantri", "hacthanh.danhgia", "HT0012"),
              "DS": ("dongson.quantri", "dongson.danhgia", "DS0012")}  # fmt: skip


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|<meta name="csrf-token" content="([^"]+)"')


def csrf_of(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


class Browser:
    """A test client that signs in like a person (form + CSRF token)."""

    def __init__(self, application):
        self.client = application.test_client()

    def login(self, username: str, password: str | None = None):
        page = self.client.get("/dang-nhap")
        return self.client.post(
            "/dang-nhap",
            data={"csrf_token": csrf_of(page.text), "username": username,
                  "password": PASSWORDS[username] if password is None else password},
        )  # fmt: skip

    def token(self, url: str = "/admin/") -> str:
        return csrf_of(self.client.get(url, follow_redirects=True).text)  # an official's home redirects

    def __getattr__(self, name):
        return getattr(self.client, name)
