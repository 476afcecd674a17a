"""How much of a quota (`hạn mức`) a group used: of the people whose score gave level A, how many kept
it, how many the quota moved down, and how many it allowed at most, computed with the dsl's own rule of
the base (`dsl.engine.quota.base_rule`, `base_of`, the ruleset's rounding), from stored counts.

Only quotas grouped by unit and/or duty group can be recounted from stored results (the fields a result
keeps); any other grouping is reported without its allowance."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

from dsl.engine.env import Env
from dsl.engine.quota import base_of, base_rule, base_words_limit
from dsl.engine.values import round_count

# quota group fields -> the stored result's column, and how a person says them
KNOWN_FIELDS = {"đơn_vị": "unit_id", "nhóm_nhiệm_vụ": "duty_group"}
FIELD_WORDS = {"đơn_vị": "đơn vị", "nhóm_nhiệm_vụ": "nhóm nhiệm vụ"}


@dataclass(frozen=True)
class QuotaRule:
    level: str  # the level the quota limits (A)
    words: str  # 'không quá 20% số người "Hoàn thành tốt nhiệm vụ" trong cùng đơn vị và nhóm nhiệm vụ'
    fields: tuple[str, ...]  # stored columns of the group (unit_id, duty_group); None: not recountable
    recountable: bool
    p: Fraction
    quota: object  # the dsl's ast.Quota
    levels: tuple[str, ...]


def rules_of(program) -> list[QuotaRule]:
    """The quotas of a compiled program, with their percentage evaluated from the parameters."""
    out = []
    params = program.param_values(None)
    levels = tuple(program.level_names)
    for step in program.quota_steps:
        q = step.quota
        if q.level not in levels or levels.index(q.level) + 1 >= len(levels):
            continue
        p = Fraction(step.limit(Env(None, None, params)))
        fields = tuple(KNOWN_FIELDS.get(f, "") for f in q.scope)
        where = " và ".join(FIELD_WORDS.get(f, f.replace("_", " ")) for f in q.scope)
        words = f"không quá {base_words_limit(q, p)} " + (
            f"trong cùng {where}" if where else "trên toàn đợt đánh giá"
        )
        out.append(QuotaRule(q.level, words, fields, all(fields) and bool(fields), p, q, levels))
    return out


def allowed(rule: QuotaRule, before: Counter, kept: int) -> int:
    """The most people the quota lets keep level A in one group, given the group's levels before the
    quota (`before`: level -> rated people) and the number who kept it (the base may count them)."""
    base = base_rule(rule.quota, rule.levels)
    rank = {name: i for i, name in enumerate(rule.levels)}
    n_a = before.get(rule.level, 0)
    fixed = sum(n for level, n in before.items() if level != rule.level and rank.get(level) in base.levels)
    return round_count(rule.p * base_of(base, fixed, n_a, kept), rule.quota.rounding)
