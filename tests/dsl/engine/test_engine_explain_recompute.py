"""Explanations an official can check by hand: every criterion, value and score line is recomputed here
from the numbers it prints (as a person with a calculator would), for the worked examples of the domain
(domain.md 1–5) in the national ruleset and for a ruleset scored by a weighted sum."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest

from dsl.engine.program import compile_ruleset
from dsl.engine.values import round_to
from dsl.pipeline import check_file, check_source
from dsl.testing import build_dataset

ROOT = Path(__file__).resolve().parents[3]
NATIONAL = ROOT / "rulesets/quoc-gia/nd-335-2025.kpi"
XS, TOT, KHT = "Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Không hoàn thành nhiệm vụ"

_NUMBER = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?…?|\d+(?:,\d+)?…?")


def number(text: str) -> Fraction:
    """A printed Vietnamese number ("1.500.000", "72,222222…", "5,875") as a Fraction."""
    return Fraction(text.rstrip("…").replace(".", "").replace(",", "."))


def evaluate(formula: str) -> Fraction:
    """The value of a printed formula with values ("25 + trung_bình(72,222222…; 65,277778…) × 70%"),
    computed from its printed numbers only: × / + -, %, parentheses, trung_bình, tổng, lớn_nhất,
    nhỏ_nhất (the test's own tiny calculator: no names can appear in a substituted formula)."""
    tokens = re.findall(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?…?|\d+(?:,\d+)?…?|[a-zà-ỹđ_]+\(|[()×*/+\-;%]", formula)
    assert "".join(tokens).replace(" ", "") == formula.replace(" ", ""), f"cannot read: {formula}"
    pos = 0

    def peek():
        return tokens[pos] if pos < len(tokens) else None

    def take():
        nonlocal pos
        pos += 1
        return tokens[pos - 1]

    def atom() -> Fraction:
        tok = take()
        if tok == "(":
            value = expr()
            assert take() == ")"
        elif tok == "-":
            value = -atom()
        elif tok.endswith("("):
            args = [expr()]
            while peek() == ";":
                take()
                args.append(expr())
            assert take() == ")"
            func = tok[:-1]
            value = {
                "trung_bình": lambda a: sum(a) / len(a),
                "tổng": sum,
                "lớn_nhất": max,
                "nhỏ_nhất": min,
            }[func](args)
        else:
            value = number(tok)
        if peek() == "%":
            take()
            value /= 100
        return value

    def term() -> Fraction:
        value = atom()
        while peek() in ("×", "*", "/"):
            op = take()
            right = atom()
            value = value * right if op in ("×", "*") else value / right
        return value

    def expr() -> Fraction:
        value = term()
        while peek() in ("+", "-"):
            op = take()
            right = term()
            value = value + right if op == "+" else value - right
        return value

    result = expr()
    assert pos == len(tokens), formula
    return result


_SCORE_END = re.compile(r" = ([\d.,…]+) \(làm tròn (\d+) chữ số, ([^:]+): ([\d.,]+)\)$")
_CRITERION_END = re.compile(r" = ([\d.,…]+)(?: \(làm tròn: ([\d.,]+)\))?(?:; trong đó .*)?$")


def readable(subst: str) -> bool:
    """Whether a substituted formula holds only numbers, operators and the calculator's functions."""
    rest = re.sub(r"(trung_bình|tổng|lớn_nhất|nhỏ_nhất)\(", "(", subst)
    return re.fullmatch(r"[\d.,…()×*/+\-;% ]+", rest) is not None


def check_line(line: str, digits: int, mode: str) -> int:
    """Recompute one line if it is a formula line; returns 1 if it was checked."""
    if line.startswith("Điểm = "):
        m = _SCORE_END.search(line)
        assert m, line
        parts = line[: m.start()].split(" = ")
        subst = parts[-1]
        if len(parts) < 3 or not readable(subst):
            return 0  # the formula is a single name: nothing to recompute on this line
        raw, rounded = m.group(1), number(m.group(4))
        got = evaluate(subst)
        assert round_to(got, digits, mode) == rounded, line
        if not raw.endswith("…"):
            assert got == number(raw), line
        else:
            assert abs(got - number(raw)) < Fraction(1, 10**5), line
        return 1
    if line.startswith(("Tiêu chí ", "Giá trị ", "Điểm các tiêu chí bổ sung")) and " = " in line:
        if "không áp dụng:" in line.split(" = ")[0]:
            return 0
        m = _CRITERION_END.search(line)
        if not m:
            return 0
        parts = line[: m.start()].split(" = ")
        subst = parts[-1]
        if len(parts) < 3 or not readable(subst):
            return 0  # a formula without substitution (a plain input or a choice): nothing to recompute
        got = evaluate(subst)
        shown = m.group(1)
        if shown.endswith("…"):
            assert abs(got - number(shown)) < Fraction(1, 10**5), line
        else:
            assert got == number(shown), line
        if m.group(2):
            assert round_to(got, digits, mode) == number(m.group(2)), line
        return 1
    return 0


def explained(result, case_name: str):
    program = compile_ruleset(result.ruleset, result.sha256)
    case = next(c for c in result.ruleset.tests if c.name.startswith(case_name))
    run = program.run(build_dataset(case), explain=True).result
    return program, {r.person: r.explanation for r in run.results}


@pytest.fixture(scope="module")
def national():
    result = check_file(NATIONAL)
    assert result.ok
    return result


@pytest.mark.parametrize(
    ("case", "person", "first"),
    [
        ("Ví dụ 1 trong nhóm", "CB1", f'97,42 điểm, xếp loại "{XS}" theo điểm: đạt điều kiện điểm 97,42 ≥ ngưỡng_xuất_sắc 90'),
        ("Ví dụ 2", "CB1", f'73,94 điểm, xếp loại "{TOT}" theo điểm: đạt điều kiện điểm 73,94 ≥ ngưỡng_tốt 70; chưa đạt "{XS}" vì điểm 73,94 < ngưỡng_xuất_sắc 90'),
        ("Ví dụ 3: lãnh đạo có một", "LD", f'89,42 điểm, xếp loại "{TOT}" theo điểm'),
    ],
)  # fmt: skip
def test_worked_examples_recompute_from_the_printed_numbers(national, case, person, first):
    program, lines = explained(national, case)
    mine = lines[person]
    assert mine[0].startswith(f"Cán bộ {person}: {first}"), mine[0]
    rounding = program.rounding
    checked = sum(check_line(line, rounding.digits, rounding.mode) for line in mine)
    assert checked >= 4  # a, b, c and the score at least
    # domain.md example 2: b = (4 + 1,875) / 9 printed exactly, not 5,88
    if case == "Ví dụ 2":
        assert any("100 × 5,875 / 9 = 65,277778… (làm tròn: 65,28)" in line for line in mine)


def test_leaders_d_names_the_subordinate_and_the_first_line_says_why(national):
    _, lines = explained(national, "Ví dụ 3: lãnh đạo có một")
    (d_line,) = [x for x in lines["LD"] if x.startswith('Tiêu chí d "')]
    assert d_line.endswith("= 50; trong đó số_cấp_dưới_không_hoàn_thành 1 (cán bộ NV1) <> 0")
    assert lines["NV1"][0].startswith(
        f'Cán bộ NV1: 10 điểm, xếp loại "{KHT}" theo điểm: không đạt mức nào cao hơn'
    )


def test_veto_and_quota_first_lines(national):
    _, lines = explained(national, "Loại trừ: bị khiển trách")
    first = lines["CB1"][0]
    assert f'xếp loại "{KHT}" do loại trừ, bất kể điểm:' in first
    assert 'kỷ_luật "khiển trách" ≥ "khiển trách"' in first  # the input and its value
    _, lines = explained(national, "Ví dụ 5")
    demoted = [x[0] for x in lines.values() if "bị hạ do hạn mức" in x[0]]
    (first,) = demoted
    assert f'xếp loại "{TOT}" theo điểm là "{XS}" nhưng bị hạ do hạn mức' in first
    assert "20% × 10 = 2, làm tròn xuống 2" in first and "20% × 9 = 1,8, làm tròn xuống 1 < 3" in first
    assert "chỉ giữ tối đa 2 người" in first and "xếp thứ 3/3" in first


WEIGHTED = """bộ quy tắc "W" phiên bản 1
  kỳ tháng

mỗi nhiệm vụ:
  giao = khối_lượng_giao × hệ_số_quy_đổi
  đạt = nhỏ_nhất(khối_lượng_hoàn_thành, khối_lượng_giao) × hệ_số_quy_đổi

tiêu chí a "Số lượng" trọng số 70% = tỷ_lệ(tổng(đạt), tổng(giao), 0)
tiêu chí b "Chấm tay" trọng số 30% = điểm_tiêu_chí_chung / 30 × 100

đầu ra thưởng "Thưởng (đồng)" = nếu xếp_loại = "Tốt" thì điểm × 15000 ngược lại 0

xếp loại:
  "Tốt" nếu điểm >= 80
  "Chưa tốt" còn lại

kiểm thử "Hai phần ba":
  nhiệm vụ 2 lần (khối_lượng_giao 1, khối_lượng_hoàn_thành 1)
  nhiệm vụ (khối_lượng_giao 1, khối_lượng_hoàn_thành 0)
  nhiệm vụ (khối_lượng_giao 3, khối_lượng_hoàn_thành 3)
  đầu vào (điểm_tiêu_chí_chung 24)
  mong đợi a 83.33, b 80, điểm 82.33, xếp loại "Tốt"
"""


def test_weighted_sum_shows_its_terms_and_a_bonus_its_working():
    result = check_source(WEIGHTED, "w.kpi")
    assert result.ok, [d.render() for d in result.diagnostics if d.is_error]
    program, lines = explained(result, "Hai phần ba")
    mine = lines["CB1"]
    (score,) = [x for x in mine if x.startswith("Điểm = ")]
    assert "= 70% × 83,333333… + 30% × 80 = 82,333333… (làm tròn 2 chữ số, nửa lên: 82,33)" in score
    (bonus,) = [x for x in mine if x.startswith("Đầu ra thưởng")]
    assert "= 82,33 × 15.000 = 1.234.950" in bonus
    assert sum(check_line(line, 2, "nửa lên") for line in mine) >= 3


@pytest.mark.parametrize("path", sorted((ROOT / "rulesets").rglob("*.kpi")), ids=lambda p: p.name)
def test_every_formula_line_of_every_shipped_test_case_recomputes(path):
    result = check_file(path)
    assert result.ok
    program = compile_ruleset(result.ruleset, result.sha256)
    rounding = program.rounding
    checked = 0
    for case in result.ruleset.tests:
        run = program.run(build_dataset(case), explain=True).result
        for r in run.results:
            assert r.explanation[0].startswith(f"Cán bộ {r.person}")
            checked += sum(check_line(line, rounding.digits, rounding.mode) for line in r.explanation)
    assert checked > 0
