"""The admin works with no internet: no page (list pages, forms, the editor, the version, publish and
adoption previews) loads a script, style, font or image from another host, and the styles it loads
fetch nothing from another host either."""

from __future__ import annotations

import re
from pathlib import Path

from test_scope_walk import admin_get_urls

LOADS = re.compile(r"<(?:script|img|iframe|source|audio|video|embed)\b[^>]*\bsrc\s*=\s*[\"']([^\"']+)"
                   r"|<link\b[^>]*\bhref\s*=\s*[\"']([^\"']+)"
                   r"|url\(\s*[\"']?([^\"')]+)"
                   r"|@import\s+[\"']([^\"']+)", re.I)  # fmt: skip
GOOD = (Path(__file__).parent / "data" / "dong-son.kpi").read_text(encoding="utf-8")


def loads(text: str) -> list[str]:
    return [next(g for g in m.groups() if g) for m in LOADS.finditer(text)]


def external(url: str) -> bool:
    url = url.strip()
    if url.startswith("//"):
        return True
    if re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I):
        return not url.lower().startswith(("data:", "http://localhost", "http://127.0.0.1", "about:"))
    return False


def _version_id(web, code: str) -> int:
    from app.extensions import db
    from app.models import Ruleset, RulesetVersion

    with web.app_context():
        return db.session.scalar(db.select(RulesetVersion.id).join(Ruleset).where(Ruleset.code == code))


def _pages(web, b) -> dict[str, str]:
    pages = {url: b.get(url) for url in admin_get_urls(web)}
    province = _version_id(web, "TH-2026")
    for url in (f"/admin/quy-tac/phien-ban/{province}", f"/admin/quy-tac/phien-ban/{province}/ap-dung",
                f"/admin/quy-tac/so-sanh?cu={province}&moi={_version_id(web, 'TH-HAC-THANH-2026')}"):  # fmt: skip
        pages[url] = b.get(url)
    token = b.token()
    adopt = f"/admin/quy-tac/phien-ban/{province}/ap-dung"
    pages[adopt + " (xem)"] = b.post(
        adopt, data={"csrf_token": token, "p_mức_trừ_chậm": "30%", "action": "preview"}
    )
    b.post("/admin/soan-thao/luu", data={"csrf_token": token, "source": GOOD.replace("DS-KPI", "HT-OFF")})
    draft = _version_id(web, "HT-OFF")
    pages["draft"] = b.get(f"/admin/quy-tac/phien-ban/{draft}")
    pages["editor"] = b.get(f"/admin/soan-thao/{draft}")
    pages["publish preview"] = b.post(
        f"/admin/quy-tac/phien-ban/{draft}/cong-bo/xem-truoc",
        data={"csrf_token": token, "basis_document": "Nghị định 335/2025/NĐ-CP", "basis_articles": "14"},
    )
    return {k: r.get_data(as_text=True) for k, r in pages.items() if r.status_code in (200, 400)}


def test_no_page_loads_anything_from_the_internet(web, browser):
    b = browser("hacthanh.quantri")
    pages = _pages(web, b)
    assert {"editor", "publish preview", "draft"} <= pages.keys() and len(pages) > 15
    assert 'id="impact"' in pages["publish preview"] and 'id="btn-trial"' in pages["editor"]
    styles, bad = set(), []
    for name, text in pages.items():
        for url in loads(text):
            if external(url):
                bad.append((name, url))
            elif url.split("?")[0].endswith(".css"):
                styles.add(url.split("?")[0])
    assert not bad, bad[:5]
    assert styles, "no stylesheet found"
    for url in sorted(styles):
        response = b.get(url)
        assert response.status_code == 200, url
        found = [u for u in loads(response.get_data(as_text=True)) if external(u)]
        assert not found, (url, found[:3])
    login = browser().get("/dang-nhap").get_data(as_text=True)
    assert not [u for u in loads(login) if external(u)]


def test_the_scan_sees_external_loads():
    page = ('<script src="https://cdn.example/x.js"></script><link href="//fonts.example/css" rel="stylesheet">'
            '<style>body{background:url(/static/a.png)}</style><img src="data:image/png;base64,AA">')  # fmt: skip
    assert [u for u in loads(page) if external(u)] == ["https://cdn.example/x.js", "//fonts.example/css"]
