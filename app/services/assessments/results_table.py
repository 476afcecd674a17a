"""The results table of an assessment as the web admin shows it: the stored results of the current
revision within the caller's scope, filtered (unit, level, duty group, leader or not) and sorted, and the
quota situation per quota group above it: how many may keep the capped level (the ruleset's quota
computed with `dsl.engine.quota`, as the run applied it) and how many hold it."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import select

from ...extensions import db
from ...models import Person, Unit
from .queries import pinned_versions, results_of

NOT_RATED = "Không xếp loại"
SORTS = {
    "ma": lambda r: r.code,
    "ten": lambda r: (r.name.split()[-1:] or [""], r.name),
    "don-vi": lambda r: (r.unit_code, r.code),
    "nhom": lambda r: (r.duty_group, r.code),
    "diem": lambda r: (r.score is None, r.score if r.score is not None else 0, r.code),
    "xep-loai": lambda r: (r.rank, r.code),
}


@dataclass(slots=True)
class Line:
    code: str
    name: str
    unit_code: str
    unit_name: str
    duty_group: str
    leader: bool
    score: Fraction | None
    level: str  # the computed level (NOT_RATED when not rated)
    level_before_quota: str | None
    decided_level: str | None
    decided_reason: str
    vetoes: list
    quota_note: str
    rank: int  # position of the final level in the ruleset's order (for sorting)

    @property
    def final_level(self) -> str:
        return self.decided_level or self.level


@dataclass(slots=True)
class QuotaGroup:
    level: str  # the capped level
    group: str  # "đơn vị HT-VP, nhóm chuyên môn"
    allowed: int  # at most this many may keep `level`
    used: int  # holding it after the quota (computed levels)
    candidates: int  # rated `level` before the quota
    demoted: int
    rule: str  # "20% số người "Hoàn thành tốt nhiệm vụ"" (as the ruleset says it)

    @property
    def over(self) -> bool:
        return self.used > self.allowed


@dataclass(slots=True)
class Table:
    lines: list[Line]
    quotas: list[QuotaGroup]
    levels: list[str]  # the levels of the pinned rulesets, in order
    groups: list[str]
    units: list[tuple[str, str]]  # (code, name) of the units with results
    total: int  # results in scope before filters


def _levels(assessment) -> tuple[list[str], dict]:
    from .engine import program_of

    levels: list[str] = []
    programs = {}
    for version in pinned_versions(assessment):
        program = programs[version.id] = program_of(version)
        levels += [n for n in program.level_names if n not in levels]
    return levels, programs


def table(assessment, *, scope, unit: str = "", level: str = "", group: str = "", leader: str = "",
          sort: str = "ma", descending: bool = False) -> Table:  # fmt: skip
    """`leader`: "co" (leaders only), "khong" (the others) or "" (everyone)."""
    scope.require_unit(assessment.unit_id)
    results = [r for r in results_of(assessment) if scope.sees_unit(r.unit_id)]
    levels, programs = _levels(assessment)
    ids = [r.person_id for r in results]
    leaders = set(db.session.scalars(select(Person.id).where(Person.id.in_(ids), Person.is_leader.is_(True))))
    names = dict(db.session.execute(select(Unit.code, Unit.name).where(Unit.id.in_({r.unit_id for r in results}))).all())  # fmt: skip
    rank = {name: i for i, name in enumerate(levels)}
    lines = []
    for r in results:
        computed = NOT_RATED if r.not_rated or not r.level else r.level
        final = r.decided_level or computed
        lines.append(Line(r.person_code, r.person_name, r.unit_code, names.get(r.unit_code, r.unit_code),
                          r.duty_group or "", r.person_id in leaders,
                          Fraction(r.score_text) if r.score_text else None, computed, r.level_before_quota,
                          r.decided_level, r.decided_reason or "", list(r.vetoes or []), r.quota_note or "",
                          rank.get(final, len(levels))))  # fmt: skip
    quotas = quota_groups(results, programs)
    out = Table([], quotas, levels, sorted({x.duty_group for x in lines}),
                sorted({(x.unit_code, x.unit_name) for x in lines}), len(lines))  # fmt: skip
    chosen = [
        x for x in lines
        if (not unit or x.unit_code == unit) and (not level or x.final_level == level)
        and (not group or x.duty_group == group) and (not leader or x.leader == (leader == "co"))
    ]  # fmt: skip
    chosen.sort(key=SORTS.get(sort, SORTS["ma"]), reverse=descending)
    out.lines = chosen
    return out


def quota_groups(results, programs: dict) -> list[QuotaGroup]:
    """Each quota of each pinned ruleset, per group of its scope (unit, duty group), from the stored
    levels before and after the quota."""
    from dsl.engine.env import Env
    from dsl.engine.quota import base_rule, base_words_limit, kept_count

    out = []
    fields = {"đơn_vị": lambda r: r.unit_code, "nhóm_nhiệm_vụ": lambda r: r.duty_group or ""}
    words = {"đơn_vị": "đơn vị", "nhóm_nhiệm_vụ": "nhóm"}
    for version_id, program in programs.items():
        levels = tuple(program.level_names)
        rated = [
            r for r in results if r.version_id == version_id and not r.not_rated and r.level_before_quota
        ]
        for step in program.quota_steps:
            q = step.quota
            if q.level not in levels or any(f not in fields for f in q.scope):
                continue
            p = step.limit(Env(None, None, program.param_values()))
            rule = base_rule(q, levels)
            rank = {n: i for i, n in enumerate(levels)}
            by_key: dict[tuple, list] = {}
            for r in rated:
                by_key.setdefault(tuple(fields[f](r) for f in q.scope), []).append(r)
            for key, members in sorted(by_key.items()):
                n_a = sum(1 for r in members if r.level_before_quota == q.level)
                fixed = sum(1 for r in members if r.level_before_quota != q.level
                            and rank.get(r.level_before_quota) in rule.levels)  # fmt: skip
                allowed = kept_count(q, p, n_a, fixed, rule)
                used = sum(1 for r in members if r.level == q.level)
                label = ", ".join(f"{words[f]} {v or '(trống)'}" for f, v in zip(q.scope, key, strict=True))
                out.append(QuotaGroup(q.level, label or "toàn bộ", allowed, used, n_a, n_a - used,
                                      base_words_limit(q, p)))  # fmt: skip
    return out
