"""The decree's quota "số được xếp loại Hoàn thành xuất sắc không quá 20% số được xếp loại Hoàn thành
tốt trở lên": `số "B" trở lên` / `trở xuống`, through parser, formatter, diff, exact engine and vector."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest
from engine_astkit import HT, KHT, TOT, XS, dataset

from dsl.diff import diff_rulesets
from dsl.engine.program import compile_ruleset
from dsl.engine.quota import base_of, base_rule, kept_count
from dsl.engine.values import round_count
from dsl.formatter import format_source
from dsl.pipeline import check_source
from dsl.records import PersonRecord
from dsl.vector.classify import _kept

LEVELS = (XS, TOT, HT, KHT)

SOURCE = """bộ quy tắc "Q" phiên bản 1
  kỳ tháng

đầu vào điểm_vào "Điểm vào": số từ 0 đến 100

điểm = điểm_vào

xếp loại:
  "Hoàn thành xuất sắc nhiệm vụ" nếu điểm >= 90
  "Hoàn thành tốt nhiệm vụ" nếu điểm >= 70
  "Hoàn thành nhiệm vụ" nếu điểm >= 50
  "Không hoàn thành nhiệm vụ" còn lại

hạn mức "Hoàn thành xuất sắc nhiệm vụ" không quá 20% BASE
  trong cùng đơn vị và nhóm nhiệm vụ, hạ điểm thấp trước, làm tròn xuống
"""


def checked(base: str):
    result = check_source(SOURCE.replace("BASE", base), "q.kpi")
    assert result.ok, [d.render() for d in result.diagnostics if d.is_error]
    return result


def run(base: str, scores: list[int]):
    people = [PersonRecord(f"CB{i:02d}", "", "P1", duty_group="N1") for i in range(len(scores))]
    inputs = {p.code: {"điểm_vào": s} for p, s in zip(people, scores, strict=True)}
    result = checked(base)
    out = compile_ruleset(result.ruleset).evaluate(dataset(people, [], inputs), explain=True)
    return {r.person: r for r in out.results}


@pytest.mark.parametrize(
    "written", ['số "Hoàn thành tốt nhiệm vụ" trở lên', 'so "Hoàn thành tốt nhiệm vụ" TRO LEN']
)
def test_parsed_formatted_and_diffed(written):
    quota = checked(written).ruleset.quotas[0]
    assert (quota.of_level, quota.of_range) == (TOT, "trở lên")
    formatted, _ = format_source(SOURCE.replace("BASE", written), "q.kpi")
    assert 'không quá 20% số "Hoàn thành tốt nhiệm vụ" trở lên' in formatted
    plain = checked('số "Hoàn thành tốt nhiệm vụ"').ruleset
    (change,) = diff_rulesets(plain, checked(written).ruleset)
    assert change.area == "hạn mức" and change.new.endswith(
        'số "Hoàn thành tốt nhiệm vụ" trở lên trong cùng đơn vị và nhóm nhiệm vụ, làm tròn xuống'
    )
    assert checked('số "Hoàn thành tốt nhiệm vụ" trở xuống').ruleset.quotas[0].of_range == "trở xuống"


def test_tot_tro_len_counts_the_excellent_too():
    # 5 xuất sắc, 20 tốt. "số tốt": k <= 20% × (20 + 5 − k) → k = 4. "tốt trở lên": 20% × 25 = 5 → 5.
    scores = [95, 94, 93, 92, 91] + [80] * 20
    plain = run('số "Hoàn thành tốt nhiệm vụ"', scores)
    above = run('số "Hoàn thành tốt nhiệm vụ" trở lên', scores)
    assert [plain[f"CB{i:02d}"].level for i in range(5)] == [XS] * 4 + [TOT]
    assert [above[f"CB{i:02d}"].level for i in range(5)] == [XS] * 5
    (line,) = [x for x in above["CB04"].explanation if x.startswith("Trong hạn mức")]
    assert 'nhóm có 25 người "Hoàn thành tốt nhiệm vụ" trở lên, 20% × 25 = 5, làm tròn xuống 5' in line


def test_worked_example_5_holds_written_either_way():
    scores = [96, 93, 91, 89, 88, 87, 86, 85, 80, 75, 72, 70]
    for base in ('số "Hoàn thành tốt nhiệm vụ"', 'số "Hoàn thành tốt nhiệm vụ" trở lên'):
        got = run(base, scores)
        assert [got[f"CB{i:02d}"].level for i in range(3)] == [XS, XS, TOT], base


def brute_force(q_range: str, of: int, counts: list[int], p: Fraction, rounding: str) -> int:
    """Demote one at a time from xuất sắc (index 0) to tốt and recount the base literally."""
    n_a = counts[0]
    for k in range(n_a, -1, -1):
        after = list(counts)
        after[0], after[1] = k, counts[1] + n_a - k
        if q_range == "trở lên":
            base = sum(after[: of + 1])
        elif q_range == "trở xuống":
            base = sum(after[of:])
        else:
            base = after[of] + (n_a - k if of != 1 else 0)  # `số "B"`: B plus the demoted
        if k <= round_count(p * base, rounding):
            return k
    return 0


@pytest.mark.parametrize("q_range", ["", "trở lên", "trở xuống"])
def test_kept_count_and_the_vectorised_closed_forms_agree_with_a_literal_recount(q_range):
    from dsl import ast

    for of, p, rounding in itertools.product(
        range(4), (Fraction(1, 5), Fraction(1, 2), Fraction(3, 2)), ("xuống", "lên")
    ):
        q = ast.Quota(
            XS, ast.Num(ast.NO_SPAN, p, str(p)), LEVELS[of], ast.NO_SPAN, rounding=rounding, of_range=q_range
        )
        rule = base_rule(q, LEVELS)
        grid = list(itertools.product(range(6), range(5), range(3), range(2)))
        fixed = np.array([sum(c for i, c in enumerate(cs) if i in rule.levels and i != 0) for cs in grid])
        n_a = np.array([cs[0] for cs in grid])
        fast = _kept(q, p, n_a, fixed, rule)
        for i, cs in enumerate(grid):
            k = kept_count(q, p, cs[0], int(fixed[i]), rule)
            assert k == brute_force(q_range, of, list(cs), p, rounding) == fast[i], (of, p, rounding, cs)
            assert k == 0 or k <= round_count(p * base_of(rule, int(fixed[i]), cs[0], k), rounding)
