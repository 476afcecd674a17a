"""Journey: a ward administrator writes a ruleset with an error, sees it underlined, fixes it with the
help of completion typed without diacritics, runs its tests, saves it and publishes it with its legal
basis; then adopts the province's ruleset with one parameter changed and one refused out of bounds."""

from __future__ import annotations

from pathlib import Path

from journey import login, shot

DATA = Path(__file__).resolve().parents[1] / "data"
SOURCE = (DATA / "dong-son.kpi").read_text(encoding="utf-8").replace("DS-KPI", "DS-KPI-WEB")
BROKEN = SOURCE.replace("đặt mức_trừ_chậm = 20%", "đặt mức_trừ_chạm = 20%")


def test_write_fix_test_publish(page):
    login(page, "dongson.quantri", "demo-dongson-2026")
    page.goto("/admin/soan-thao/")
    page.wait_for_selector(".cm-content")
    page.evaluate("text => window.kpiEditor.setText(text)", BROKEN)
    page.wait_for_selector(".cm-lintRange-error")
    assert "E0101" in page.inner_text("#problems")
    shot(page, "soan-thao-loi")
    # delete the wrong name and type it again without diacritics, then take the completion
    line = page.locator(".cm-line", has_text="mức_trừ_chạm")
    line.click()
    page.keyboard.press("End")
    for _ in range(len("mức_trừ_chạm = 20%")):
        page.keyboard.press("Backspace")
    page.keyboard.type("muc tru ch", delay=30)
    option = page.locator(".cm-tooltip-autocomplete li", has_text="mức_trừ_chậm")
    option.wait_for()
    shot(page, "soan-thao-goi-y")
    option.click()
    page.keyboard.type(" = 20%")
    page.wait_for_function("document.getElementById('status').textContent === 'Không có lỗi'")
    assert page.locator(".cm-lintRange-error").count() == 0
    page.click("#btn-tests")
    page.wait_for_selector("#tests-list")
    assert "✔ Đạt: Mức trừ chậm 20%" in page.inner_text("#tests-list")
    shot(page, "soan-thao-kiem-thu")
    page.click("#btn-save")
    page.wait_for_url("**/admin/soan-thao/*")
    assert "Đã lưu bản nháp DS-KPI-WEB@1" in page.inner_text("body")
    page.click("text=Trang phiên bản")
    assert "Nghị định 335/2025/NĐ-CP, điều 14" in page.inner_text("#legal-bases")
    page.fill("#effective_from", "01/03/2026")
    page.check("#confirm")
    page.click("#btn-publish")
    body = page.inner_text("body")
    assert "Đã công bố DS-KPI-WEB@1" in body and "01/03/2026" in body
    shot(page, "cong-bo")


def test_adopt_province_ruleset(page):
    login(page, "hacthanh.quantri", "demo-hacthanh-2026")
    page.goto("/admin/bo-quy-tac/?search=Thanh Hóa")
    page.click("a:text-is('TH-2026@1')")
    page.click("#btn-adopt")
    page.fill("#p_mức_trừ_sai_sót", "50%")  # the province allows 15%–35%
    page.click("#btn-adopt-save")
    assert "Chưa áp dụng được" in page.inner_text("#adopt-error")
    shot(page, "ap-dung-ngoai-gioi-han")
    page.fill("#p_mức_trừ_sai_sót", "25%")
    page.fill("#p_mức_trừ_chậm", "30%")
    page.click("#btn-adopt-save")
    source = page.inner_text("#version-source")
    assert "đặt mức_trừ_chậm = 30%" in source and "mức_trừ_sai_sót" not in source
    shot(page, "ap-dung-ban-nhap")
