"""Quotas (`hạn mức`): per group of rated people, keep at most k with level A, demote the rest.

- `số "B"`: the largest k <= n_A with k <= round(p × (n_B + n_A − k)) (the demoted join level B's count);
- `tổng số`: k <= round(p × N), N the rated people of the group.
Demotion order: lowest score first; ties: the larger tie-field value (`mã_cán_bộ` by default) first.
The demoted go to the next level below A; `level_before_quota` keeps the earlier level.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .. import ast
from ..fields import LEVEL_NAME
from .env import PersonState
from .values import round_count

_GROUP_WORD = {"đơn_vị": "đơn vị", "nhóm_nhiệm_vụ": "nhóm"}


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


def kept_count(q: ast.Quota, p, n_a: int, n_b: int, n_all: int) -> int:
    """How many of the n_A people with level A may keep it."""
    if q.of_level is None:
        return max(0, min(n_a, round_count(p * n_all, q.rounding)))
    k = n_a
    while k > 0 and k > round_count(p * (n_b + n_a - k), q.rounding):
        k -= 1
    return k


def apply_quota(
    step: QuotaStep, states: list[PersonState], levels: tuple[str, ...], p_value, explain: bool
) -> None:
    q = step.quota
    if q.level not in levels:
        return
    pos = levels.index(q.level)
    if pos + 1 >= len(levels):
        return
    below = levels[pos + 1]
    groups: dict[tuple, list[PersonState]] = {}
    for s in states:
        if s.not_rated or s.level is None:
            continue
        groups.setdefault(tuple(_field(s, f) for f in q.scope), []).append(s)
    for key, members in groups.items():
        in_a = [s for s in members if s.level == q.level]
        if not in_a:
            continue
        n_b = sum(1 for s in members if s.level == q.of_level) if q.of_level else 0
        k = kept_count(q, p_value, len(in_a), n_b, len(members))
        in_a.sort(key=lambda s: _field(s, q.tie_field))
        in_a.sort(key=lambda s: s.score if s.score is not None else 0, reverse=True)
        cite = f" ({step.citation})" if step.citation else ""
        where = _group_text(q, key)
        for rank, s in enumerate(in_a, start=1):
            demoted = rank > k
            if demoted:
                s.level = below
                s.values[LEVEL_NAME] = below
            if explain:
                head = "Bị hạ do hạn mức" if demoted else "Trong hạn mức"
                line = (
                    f'{head}: xếp thứ {rank}/{len(in_a)} trong nhóm ({where}), tối đa {k} người "{q.level}"'
                )
                if demoted:
                    line += f' → "{below}"'
                s.quota_lines.append(line + cite)
