"""Every shipped ruleset (rulesets/**/*.kpi) checks without errors and passes its own test cases."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from dsl.pipeline import check_file
from dsl.testing import run_tests

ROOT = Path(__file__).resolve().parents[2] / "rulesets"
FILES = sorted(ROOT.rglob("*.kpi"))
IDS = [str(p.relative_to(ROOT)) for p in FILES]

EXPECTED = {
    "quoc-gia/nd-335-2025.kpi": ("ND335-2025", 1),
    "quoc-gia/nd-335-2025-nam.kpi": ("ND335-2025-NAM", 1),
    "quoc-gia/nd-90-2020-nam-2025.kpi": ("ND90-2025", 1),
    "ha-noi/hn-3814-thang.kpi": ("HN-3814", 1),
    "khanh-hoa/kh-2025.kpi": ("KH-2025", 1),
    "da-nang/dn-2026.kpi": ("DN-2026", 1),
    "thanh-hoa/th-2026.kpi": ("TH-2026", 1),
    "thanh-hoa/phuong-hac-thanh.kpi": ("TH-HAC-THANH-2026", 1),
}


def _checked(path: Path):
    result = check_file(path)
    errors = [
        f"{d.file}:{d.span.line}:{d.span.column}: {d.code} {d.message}"
        for d in result.diagnostics
        if d.is_error
    ]
    assert not errors, "\n".join(errors)
    assert result.ok and result.ruleset is not None
    return result


def test_the_expected_rulesets_are_shipped():
    assert set(IDS) == set(EXPECTED)


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_checks_without_errors(path: Path):
    result = _checked(path)
    header = result.source_ruleset.header
    assert (header.code, header.version) == EXPECTED[str(path.relative_to(ROOT))]


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_has_legal_basis_title_and_citations(path: Path):
    """No W0901 (legal basis), W0902 (criterion without citation) or W0903 (header item) warnings."""
    result = _checked(path)
    warned = [(d.code, d.span.line) for d in result.diagnostics if d.code in ("W0901", "W0902", "W0903")]
    assert warned == []
    rs = result.ruleset
    assert rs.header.bases and rs.header.title and rs.header.effective_from and rs.header.period
    assert all(c.citation is not None for c in rs.criteria)


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_every_embedded_case_passes(path: Path):
    result = _checked(path)
    outcomes = run_tests(result.ruleset, result.sha256)
    assert len(outcomes) >= 5, "each shipped ruleset carries at least five test cases"
    failed = [f"{o.name}: {'; '.join(o.failures)}" for o in outcomes if not o.passed]
    assert not failed, "\n".join(failed)


def _params(path: str) -> dict:
    return {p.name: p for p in _checked(ROOT / path).ruleset.params}


def test_national_decree_numbers_are_locked_parameters():
    params = _params("quoc-gia/nd-335-2025.kpi")
    for name in ("tỷ_trọng_kết_quả", "ngưỡng_xuất_sắc", "ngưỡng_tốt", "ngưỡng_hoàn_thành", "tỷ_lệ_xuất_sắc"):
        assert params[name].locked, name
    deduction = params["mức_trừ_sai_sót"]
    assert not deduction.locked
    assert deduction.value.value == Fraction(1, 4)
    assert (deduction.low.value, deduction.high.value) == (0, Fraction(1, 2))


def test_national_ruleset_covers_leaders_and_non_leaders():
    rs = _checked(ROOT / "quoc-gia/nd-335-2025.kpi").ruleset
    by_code = {c.code: c for c in rs.criteria}
    assert list(by_code) == ["a", "b", "c", "d", "đ", "e"]
    assert all(by_code[c].when is None for c in "abc")
    assert all(by_code[c].when is not None for c in ("d", "đ", "e"))
    assert rs.allow_add is None  # the national ruleset lets no one add criteria
    assert {v.kind for v in rs.vetoes} == {"loại trừ"}
    assert len(rs.quotas) == 1 and rs.quotas[0].scope == ("đơn_vị", "nhóm_nhiệm_vụ")


def test_da_nang_adopts_the_national_ruleset_unchanged():
    result = _checked(ROOT / "da-nang/dn-2026.kpi")
    src = result.source_ruleset
    assert (src.header.adopts.code, src.header.adopts.version) == ("ND335-2025", 1)
    assert src.overrides == () and src.criteria == ()
    assert {o.name for o in result.ruleset.outputs} == {"hệ_số_thu_nhập", "mức_sàn_thu_nhập"}
    national = _params("quoc-gia/nd-335-2025.kpi")
    effective = {p.name: p for p in result.ruleset.params}
    for name, param in national.items():
        assert effective[name].value == param.value, name


def test_thanh_hoa_opens_deductions_and_added_criteria_to_wards():
    params = _params("thanh-hoa/th-2026.kpi")
    assert (params["mức_trừ_chậm"].low.value, params["mức_trừ_chậm"].high.value) == (
        Fraction(15, 100),
        Fraction(35, 100),
    )
    ward = _checked(ROOT / "thanh-hoa/phuong-hac-thanh.kpi")
    effective = {p.name: p.value.value for p in ward.ruleset.params}
    assert effective["mức_trừ_sai_sót"] == Fraction(1, 5)
    assert effective["mức_trừ_chậm"] == Fraction(15, 100)
    added = [c for c in ward.ruleset.criteria if c.code == "g"]
    assert len(added) == 1 and added[0].weight.value == Fraction(5, 100)
    # the ward declares the added weight once more, so that the score still totals 100
    assert effective["tỷ_trọng_tiêu_chí_bổ_sung"] == added[0].weight.value


def test_roll_up_ruleset_is_a_year_from_months():
    header = _checked(ROOT / "quoc-gia/nd-335-2025-nam.kpi").ruleset.header
    assert (header.period, header.rollup_from) == ("năm", "tháng")


DOC = Path(__file__).resolve().parents[2] / "docs" / "ngon-ngu-quy-tac.md"


def _doc_rulesets() -> list[str]:
    """The fenced blocks of the user guide that are complete rulesets (they contain a header)."""
    text = DOC.read_text(encoding="utf-8")
    blocks = text.split("```")[1::2]
    return [b.lstrip("\n") for b in blocks if '\nbộ quy tắc "' in "\n" + b and "kiểm thử" in b]


def test_the_guide_has_complete_examples():
    assert len(_doc_rulesets()) >= 2


@pytest.mark.parametrize("index", range(2))
def test_complete_examples_of_the_guide_check_and_pass(index: int, tmp_path: Path):
    source = _doc_rulesets()[index]
    path = tmp_path / "rulesets" / f"vi-du-{index}.kpi"
    path.parent.mkdir()
    path.write_text(source, encoding="utf-8")
    result = _checked(path)
    assert [d.code for d in result.diagnostics] == []
    outcomes = run_tests(result.ruleset, result.sha256)
    assert outcomes and all(o.passed for o in outcomes), [o.failures for o in outcomes]


def test_shipped_rulesets_are_in_canonical_layout():
    from dsl.formatter import format_source

    for path in sorted(ROOT.rglob("*.kpi")):
        text = path.read_text(encoding="utf-8")
        formatted, diags = format_source(text, str(path))
        assert formatted == text, f"{path}: chạy `kpi fmt --write` để định dạng lại"


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_no_warning_at_all_and_the_score_is_proved_in_0_to_100(path: Path):
    """`kpi check` of a shipped ruleset prints nothing; its score is proved to stay in 0..100 (E0408)
    for every input in its declared ranges, and no allowed parameter value can make it leave (W0703)."""
    from dsl.checker import build_symbols
    from dsl.checker.ranges import DEFAULT_SCALE
    from dsl.checker.valueranges import ValueRanges

    result = _checked(path)
    assert [(d.code, d.span.line) for d in result.diagnostics] == []
    rs = result.ruleset
    score = ValueRanges(rs, build_symbols(rs), DEFAULT_SCALE).score()
    assert score.within(DEFAULT_SCALE) and score.hi == 100
