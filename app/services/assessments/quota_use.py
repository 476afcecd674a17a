"""The one home of the quota's "allowed vs used" (`hạn mức`) of stored results: per quota group, how
many people the ruleset's quota lets hold the capped level A, how many hold it, how many had it before
the quota and how many it moved down. The allowance is computed with the dsl's own rule of the base
(`dsl.engine.quota.base_rule`, `kept_count`, the ruleset's rounding) from the group's levels before the
quota, so it is what the run applied. Used by the results table above the admin's results page
(`results_table`, through `groups`) and by the stored summaries the dashboards read (`summaries`,
through `allowed`).

Only quotas grouped by unit and/or duty group can be recounted from stored results (the fields a result
keeps); any other grouping is reported without its allowance."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

from dsl.engine.env import Env
from dsl.engine.quota import base_of, base_rule, base_words_limit, kept_count
from dsl.engine.values import round_count

# quota group fields -> the stored result's column, and how a person says them
KNOWN_FIELDS = {"đơn_vị": "unit_id", "nhóm_nhiệm_vụ": "duty_group"}
FIELD_WORDS = {"đơn_vị": "đơn vị", "nhóm_nhiệm_vụ": "nhóm nhiệm vụ"}
_LABEL_WORDS = {"đơn_vị": "đơn vị", "nhóm_nhiệm_vụ": "nhóm"}  # the group's name in the results table
_LABEL_VALUE = {"đơn_vị": "unit_code", "nhóm_nhiệm_vụ": "duty_group"}

__all__ = ["QuotaGroup", "QuotaRule", "allowed", "groups", "overruns", "round_count", "rules_of"]


@dataclass(frozen=True)
class QuotaRule:
    level: str  # the level the quota limits (A)
    words: str  # 'không quá 20% số người "Hoàn thành tốt nhiệm vụ" trong cùng đơn vị và nhóm nhiệm vụ'
    fields: tuple[str, ...]  # stored columns of the group (unit_id, duty_group); "": not recountable
    recountable: bool
    p: Fraction
    quota: object  # the dsl's ast.Quota
    levels: tuple[str, ...]
    limit: str = ""  # '20% số người "Hoàn thành tốt nhiệm vụ"' (as the ruleset says it)
    scope: tuple[str, ...] = ()  # the ruleset's group fields (đơn_vị, nhóm_nhiệm_vụ)


@dataclass(slots=True)
class QuotaGroup:
    level: str  # the capped level
    group: str  # "đơn vị HT-VP, nhóm chuyên môn"
    allowed: int  # at most this many may hold `level`
    used: int  # holding it after the quota (computed levels)
    candidates: int  # rated `level` before the quota
    demoted: int
    rule: str  # '20% số người "Hoàn thành tốt nhiệm vụ"' (as the ruleset says it)
    final: int | None = None  # holding it after the competent leader's decisions (None: as `used`)
    members: tuple[str, ...] = ()  # the group's person codes

    @property
    def held(self) -> int:
        """How many hold the capped level in the end: the decided level where there is one."""
        return self.used if self.final is None else self.final

    @property
    def over(self) -> bool:
        return self.held > self.allowed

    def warning(self) -> str:
        """The Vietnamese warning when the decisions take the group over its quota."""
        return (f'nhóm {self.group} có {self.held} người "{self.level}" sau quyết định, vượt hạn mức '
                f"(không quá {self.rule}: tối đa {self.allowed} người)")  # fmt: skip


def rules_of(program) -> list[QuotaRule]:
    """The quotas of a compiled program, with their percentage evaluated from the parameters (a quota on
    the lowest level, which the engine cannot apply, is left out)."""
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
        limit = base_words_limit(q, p)
        words = f"không quá {limit} " + (f"trong cùng {where}" if where else "trên toàn đợt đánh giá")
        out.append(QuotaRule(q.level, words, fields, all(fields), p, q, levels, limit, tuple(q.scope)))
    return out


def allowed(rule: QuotaRule, before: Counter) -> int:
    """The most people the quota lets hold level A in one group, from the group's rated people by their
    level before the quota (`before`: level -> people). When the quota binds, the number the run kept
    (`kept_count`: the largest k whose own base allows it, the demoted counted where the base counts
    them); when it does not, what the base with everyone kept allows (at least the candidates)."""
    base = base_rule(rule.quota, rule.levels)
    rank = {name: i for i, name in enumerate(rule.levels)}
    n_a = before.get(rule.level, 0)
    fixed = sum(n for level, n in before.items() if level != rule.level and rank.get(level) in base.levels)
    kept = kept_count(rule.quota, rule.p, n_a, fixed, base)
    if kept < n_a:
        return kept
    return round_count(rule.p * base_of(base, fixed, n_a, n_a), rule.quota.rounding)


def groups(results, programs: dict) -> list[QuotaGroup]:
    """Each recountable quota of each ruleset version (`programs`: version id -> compiled program), per
    group of its scope among the stored `results` (rows with unit_id, unit_code, duty_group, version_id,
    level, level_before_quota, decided_level, not_rated, person_code), every group with rated people, in
    group order."""
    out = []
    for version_id, program in programs.items():
        rated = [
            r for r in results if r.version_id == version_id and not r.not_rated and r.level_before_quota
        ]
        for rule in rules_of(program):
            if not rule.recountable:
                continue
            by_key: dict[tuple, list] = {}
            for r in rated:
                by_key.setdefault(tuple(getattr(r, f) or "" for f in rule.fields), []).append(r)
            found = []
            for members in by_key.values():
                before = Counter(r.level_before_quota for r in members)
                used = sum(1 for r in members if r.level == rule.level)
                final = sum(1 for r in members if (r.decided_level or r.level) == rule.level)
                first = members[0]
                label = ", ".join(
                    f"{_LABEL_WORDS[f]} {getattr(first, _LABEL_VALUE[f]) or '(trống)'}" for f in rule.scope
                )
                found.append(QuotaGroup(rule.level, label or "toàn bộ", allowed(rule, before), used,
                                        before[rule.level], max(before[rule.level] - used, 0), rule.limit,
                                        final, tuple(r.person_code for r in members)))  # fmt: skip
            out += sorted(found, key=lambda g: g.group)
    return out


def overruns(results, programs: dict, codes) -> list[str]:
    """Warnings for the quota groups of the people `codes` that the decided levels take over their quota
    (the law caps the final levels; the competent leader's decision is kept, with this said beside it)."""
    codes = set(codes)
    return [g.warning() for g in groups(results, programs) if g.over and codes & set(g.members)]
