"""Quotas (`hạn mức`): per group of rated people, keep at most k with level A, demote the rest.

The base the percentage p applies to, once the n_A − k demoted have moved to the level below A:
- `số "B"`: the people rated B plus the demoted (they join the level below A): k <= round(p × (n_B +
  n_A − k));
- `số "B" trở lên` / `trở xuống` (the decree's "số được xếp loại Hoàn thành tốt trở lên"): the people
  rated B or better (worse), counting the kept k when A is in that range and the demoted when the level
  below A is: for "xuất sắc ≤ 20% of tốt trở lên" the base is every one rated tốt or xuất sắc;
- `tổng số`: k <= round(p × N), N the rated people of the group.
k is the largest count <= n_A that satisfies its own condition (a fixed point: keeping fewer demotes
more, which can change the base). `base_rule` is the one description of the base; the exact engine
and the vector backend (dsl/vector/classify.py) both use it.
Demotion order: lowest score first; ties: the larger tie-field value (`mã_cán_bộ` by default) first.
The demoted go to the next level below A; `level_before_quota` keeps the earlier level.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from .. import ast
from ..fields import LEVEL_NAME
from .env import PersonState
from .values import format_number, round_count

_GROUP_WORD = {"đơn_vị": "đơn vị", "nhóm_nhiệm_vụ": "nhóm"}
ABOVE, BELOW = "trở lên", "trở xuống"
_ROUND_WORD = {"xuống": "làm tròn xuống", "lên": "làm tròn lên", "gần nhất": "làm tròn gần nhất"}


@dataclass(frozen=True, slots=True)
class BaseRule:
    """The base of a quota on level index `a`: the rated people whose level index is in `levels`,
    except those at level `a` themselves, plus the kept k if `kept`, plus the n_A − k demoted if
    `demoted`: base(k) = fixed + k·kept + (n_A − k)·demoted."""

    levels: frozenset[int]
    kept: bool
    demoted: bool


def base_rule(q: ast.Quota, levels: tuple[str, ...]) -> BaseRule:
    a = levels.index(q.level)
    every = frozenset(range(len(levels)))
    if q.of_level is None or q.of_level not in levels:
        return BaseRule(every, True, True)
    b = levels.index(q.of_level)
    if q.of_range == ABOVE:
        return BaseRule(frozenset(range(b + 1)), a <= b, a + 1 <= b)
    if q.of_range == BELOW:
        return BaseRule(frozenset(range(b, len(levels))), a >= b, a + 1 >= b)
    return BaseRule(frozenset((b,)), a == b, True)


def base_of(rule: BaseRule, fixed: int, n_a: int, k: int) -> int:
    return fixed + (k if rule.kept else 0) + (n_a - k if rule.demoted else 0)


@dataclass(frozen=True, slots=True)
class QuotaStep:
    quota: ast.Quota
    limit: Callable  # env -> the percentage p (a parameter-only expression)
    citation: str


def _field(s: PersonState, name: str):
    for table in (s.fields, s.values, s.inputs):
        if name in table:
            return table[name]
    return ""


def _group_text(q: ast.Quota, key: tuple) -> str:
    if not q.scope:
        return "toàn bộ người được đánh giá"
    return ", ".join(
        f"{_GROUP_WORD.get(f, f)} {v if v != '' else '(trống)'}" for f, v in zip(q.scope, key, strict=False)
    )


def kept_count(q: ast.Quota, p, n_a: int, fixed: int, rule: BaseRule) -> int:
    """How many of the n_A people with level A may keep it: the largest k <= n_A with
    k <= round(p × base(k)) (0 if none)."""
    k = n_a
    while k > 0 and k > round_count(p * base_of(rule, fixed, n_a, k), q.rounding):
        k -= 1
    return k


def base_words(q: ast.Quota) -> str:
    """The base as the ruleset says it: 'tổng số người được xếp loại', 'người "B" trở lên'."""
    if q.of_level is None:
        return "người được xếp loại"
    return f'người "{q.of_level}"' + (f" {q.of_range}" if q.of_range else "")


def allowance_text(q: ast.Quota, p, n_a: int, fixed: int, rule: BaseRule, k: int, digits: int = 2) -> str:
    """Why at most k keep level A, with numbers a person can recompute: "nhóm có 12 người "Hoàn thành
    tốt nhiệm vụ" trở lên, 20% × 12 = 2,4, làm tròn xuống 2"; for a base that moves with k (the
    demoted counted), the check of k and of k + 1."""
    pct = format_number(Fraction(p) * 100, 6) + "%"
    rounding = _ROUND_WORD.get(q.rounding, q.rounding)

    def product(kk: int) -> tuple[int, str]:
        base = base_of(rule, fixed, n_a, kk)
        exact = Fraction(p) * base
        return (
            base,
            f"{pct} × {base} = {format_number(exact, 6)}, {rounding} {round_count(exact, q.rounding)}",
        )

    if rule.kept == rule.demoted:  # the base does not depend on k
        base, text = product(k)
        return f"nhóm có {base} {base_words(q)}, {text}"
    base, text = product(k)
    counted = " (tính cả người bị hạ)" if k < n_a else ""
    line = f"giữ {k} người thì nhóm có {base} {base_words(q)}{counted}, {text}"
    if k < n_a:
        base2, text2 = product(k + 1)
        line += f"; giữ {k + 1} người thì có {base2} {base_words(q)}, {text2} < {k + 1}"
    return line


def apply_quota(
    step: QuotaStep,
    states: list[PersonState],
    levels: tuple[str, ...],
    p_value,
    explain: bool,
    digits: int = 2,
) -> None:
    q = step.quota
    if q.level not in levels:
        return
    pos = levels.index(q.level)
    if pos + 1 >= len(levels):
        return
    below = levels[pos + 1]
    rule = base_rule(q, levels)
    rank_of = {name: i for i, name in enumerate(levels)}
    groups: dict[tuple, list[PersonState]] = {}
    for s in states:
        if s.not_rated or s.level is None:
            continue
        groups.setdefault(tuple(_field(s, f) for f in q.scope), []).append(s)
    for key, members in groups.items():
        in_a = [s for s in members if s.level == q.level]
        if not in_a:
            continue
        fixed = sum(1 for s in members if s.level != q.level and rank_of.get(s.level) in rule.levels)
        k = kept_count(q, p_value, len(in_a), fixed, rule)
        in_a.sort(key=lambda s: _field(s, q.tie_field))
        in_a.sort(key=lambda s: s.score if s.score is not None else 0, reverse=True)
        cite = f" ({step.citation})" if step.citation else ""
        where = _group_text(q, key)
        why = allowance_text(q, p_value, len(in_a), fixed, rule, k, digits) if explain else ""
        for rank, s in enumerate(in_a, start=1):
            demoted = rank > k
            if demoted:
                s.level = below
                s.values[LEVEL_NAME] = below
            if explain:
                head = "Bị hạ do hạn mức" if demoted else "Trong hạn mức"
                line = (
                    f'{head}: "{q.level}" không quá {base_words_limit(q, p_value)} trong nhóm ({where}); '
                    f"{why}: giữ tối đa {k} người; người này xếp thứ {rank}/{len(in_a)} theo điểm"
                )
                if demoted:
                    line += f' → "{below}"'
                    s.decision = (
                        f'theo điểm là "{q.level}" nhưng bị hạ do hạn mức{cite}: {why}, nên nhóm ({where}) '
                        f'chỉ giữ tối đa {k} người "{q.level}"; người này xếp thứ {rank}/{len(in_a)} theo điểm'
                    )
                s.quota_lines.append(line + cite)


def base_words_limit(q: ast.Quota, p) -> str:
    pct = format_number(Fraction(p) * 100, 6) + "%"
    return f"{pct} số {base_words(q)}" if q.of_level is not None else f"{pct} tổng số {base_words(q)}"
