"""The results table of an assessment as the web admin shows it: the stored results of the current
revision within the caller's scope, filtered (unit, level, duty group, leader or not in the assessed
period: the run's snapshot, `leaders_of`) and sorted, and the
quota situation per quota group above it (`quota_use.groups`, the one home of "allowed vs used")."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import select

from ...extensions import db
from ...models import AssessmentSnapshot, Unit
from . import quota_use, snapshot
from .queries import pinned_programs, results_of
from .quota_use import QuotaGroup

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
class Table:
    lines: list[Line]
    quotas: list[QuotaGroup]
    levels: list[str]  # the levels of the pinned rulesets, in order
    groups: list[str]
    units: list[tuple[str, str]]  # (code, name) of the units with results
    total: int  # results in scope before filters


def _levels(assessment) -> tuple[list[str], dict]:
    levels: list[str] = []
    programs = pinned_programs(assessment)
    for program in programs.values():
        levels += [n for n in program.level_names if n not in levels]
    return levels, programs


def leaders_of(results) -> set[str]:
    """The codes of the people who were leaders in the assessed period: the flag the run read, stored in
    each result's snapshot (a person promoted or stepping down later keeps the period's flag)."""
    t = AssessmentSnapshot.__table__.c
    ids = sorted({r.snapshot_id for r in results})
    wanted = {r.person_code for r in results}
    out: set[str] = set()
    for (data,) in db.session.execute(select(t.data).where(t.id.in_(ids))):
        out.update(p["code"] for p in snapshot.people_of(data) if p.get("leader") and p["code"] in wanted)
    return out


def table(assessment, *, scope, unit: str = "", level: str = "", group: str = "", leader: str = "",
          sort: str = "ma", descending: bool = False) -> Table:  # fmt: skip
    """`leader`: "co" (leaders only), "khong" (the others) or "" (everyone)."""
    scope.require_unit(assessment.unit_id)
    results = [r for r in results_of(assessment) if scope.sees_unit(r.unit_id)]
    levels, programs = _levels(assessment)
    leaders = leaders_of(results)
    names = dict(db.session.execute(select(Unit.code, Unit.name).where(Unit.id.in_({r.unit_id for r in results}))).all())  # fmt: skip
    rank = {name: i for i, name in enumerate(levels)}
    lines = []
    for r in results:
        computed = NOT_RATED if r.not_rated or not r.level else r.level
        final = r.decided_level or computed
        lines.append(Line(r.person_code, r.person_name, r.unit_code, names.get(r.unit_code, r.unit_code),
                          r.duty_group or "", r.person_code in leaders,
                          Fraction(r.score_text) if r.score_text else None, computed, r.level_before_quota,
                          r.decided_level, r.decided_reason or "", list(r.vetoes or []), r.quota_note or "",
                          rank.get(final, len(levels))))  # fmt: skip
    quotas = quota_use.groups(results, programs)
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
