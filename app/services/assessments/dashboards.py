"""Dashboards of a unit subtree for a period, within the caller's scope: per unit (the children of the
chosen unit: a province's wards, a ward's departments) the level distribution against the quota, the
average score and criteria, and how far the unit's assessment went (not run, not decided, not
published); the level distribution per month (trend); the criteria averages per duty group.

Figures come from the revisions' summaries (`dash_queries`); averages are exact sums over counts,
rounded half-up to 2 decimals for display. Levels count as decided: a leader's decision replaces the
computed level; the quota columns are the computed ones (what the ruleset's quota did)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from ...extensions import db
from ...models import Assessment
from ..errors import NotFound
from . import dash_queries as q
from . import engine, quota_use
from .periods import Period, parse
from .workflow import DECIDED, LOCKED, PUBLISHED, label

NOT_RATED = "Không xếp loại"
TREND_MONTHS = 12
NOT_RUN, NOT_DECIDED, NOT_PUBLISHED, DONE = "not_run", "not_decided", "not_published", "published"
PROGRESS_LABELS = {NOT_RUN: "Chưa chạy", NOT_DECIDED: "Đã tính, chưa quyết định",
                   NOT_PUBLISHED: "Đã quyết định, chưa công bố", DONE: "Đã công bố"}  # fmt: skip


@dataclass
class QuotaUse:
    level: str
    words: str
    kept: int = 0  # computed level A after the quota
    demoted: int = 0  # moved down by the quota
    allowed: int | None = 0  # None: the quota's groups cannot be recounted from stored results
    decided: int = 0  # level A after the leaders' decisions

    @property
    def over(self) -> bool:
        return self.allowed is not None and self.decided > self.allowed


@dataclass
class Averages:
    people: int = 0
    scored: int = 0
    score_sum: Fraction = Fraction(0)
    criteria: dict = field(default_factory=dict)  # code -> [sum, count]

    def add(self, row) -> None:
        self.people += row.people
        self.scored += row.scored
        self.score_sum += Fraction(row.score_sum)
        for code, (total, count) in (row.criteria or {}).items():
            got = self.criteria.setdefault(code, [Fraction(0), 0])
            got[0] += Fraction(total)
            got[1] += count

    @property
    def score(self) -> Decimal | None:
        return _mean(self.score_sum, self.scored)

    def criterion(self, code: str) -> Decimal | None:
        got = self.criteria.get(code)
        return _mean(got[0], got[1]) if got else None


@dataclass
class UnitRow:
    unit_id: int
    code: str
    name: str
    own: bool  # the chosen unit's own people (not a child's subtree)
    drill: bool  # has units below it (the dashboard can open it)
    levels: Counter = field(default_factory=Counter)
    quotas: dict = field(default_factory=dict)  # level -> QuotaUse
    averages: Averages = field(default_factory=Averages)
    changed: int = 0  # levels a leader changed
    progress: str = NOT_RUN
    assessment: str = ""  # "HT 2026-01: đã công bố"

    @property
    def people(self) -> int:
        return sum(self.levels.values())


@dataclass
class Dashboard:
    period: Period
    root_code: str
    root_name: str
    parent_code: str | None  # the unit above, when the caller may open it
    levels: list[str]
    criteria: list[tuple[str, str]]  # (code, title)
    rows: list[UnitRow]
    groups: dict[str, Averages]  # duty group -> averages over the chosen subtree
    trend: list[tuple[str, Counter]]  # (month, level -> people)
    quota_words: dict[str, str]  # level -> the ruleset's words

    @property
    def totals(self) -> Counter:
        out = Counter()
        for row in self.rows:
            out.update(row.levels)
        return out

    def by_progress(self) -> dict[str, list[UnitRow]]:
        out = {key: [] for key in PROGRESS_LABELS}
        for row in self.rows:
            out[row.progress].append(row)
        return out


def _mean(total: Fraction, count: int) -> Decimal | None:
    if not count:
        return None
    from ...tabular.writers import round_decimal

    return round_decimal(Fraction(total) / count, 2)


def default_period(scope) -> str:
    """The newest period of an assessment the caller can see, else the current month."""
    found = db.session.scalar(
        db.select(Assessment.period).where(scope.where_unit(Assessment.unit_id), Assessment.current_revision > 0)
        .order_by(Assessment.period.desc()).limit(1)
    )  # fmt: skip
    return found or dt.date.today().strftime("%Y-%m")


def build(scope, unit_code: str | None = None, period_text: str | None = None) -> Dashboard:
    """The dashboard of `unit_code` (default: the root of the caller's scope) for the period (default:
    the newest assessed); Forbidden outside the scope, NotFound for an unknown unit."""
    tree = scope.units()
    root_id = _root(scope, tree, unit_code)
    period = parse(period_text or default_period(scope))
    visible = tree.subtree(root_id) if scope.unit_ids is None else tree.subtree(root_id) & scope.unit_ids
    children = _children(tree, visible)
    row_of = {}
    rows = {root_id: UnitRow(root_id, tree.code_of[root_id], tree.rows[tree.code_of[root_id]].name, True,
                             False)}  # fmt: skip
    for child in sorted(children.get(root_id, ()), key=tree.code_of.get):
        r = tree.rows[tree.code_of[child]]
        rows[child] = UnitRow(child, r.code, r.name, False, bool(children.get(child)))
    for u in visible:
        row_of[u] = next(a for a in tree.ancestors(u) if a in rows)
    by_period = q.assessments_for([period.code, *_trend_months(period)])
    cover = q.covering(tree, visible, by_period.get(period.code, {}))
    _progress(rows, tree, cover)
    versions: dict[int, object] = {}
    rules: dict[int, list] = {}  # version id -> its quotas
    groups: dict[str, Averages] = defaultdict(Averages)
    before: dict[tuple, Counter] = defaultdict(Counter)  # (version, row, group key) -> level before quota
    wanted = q.targets(cover)
    for s in q.summary_rows(tree, wanted):
        row = rows[row_of[s.unit_id]]
        if s.version_id not in versions:
            versions[s.version_id] = _program(s.version_id)
            rules[s.version_id] = quota_use.rules_of(versions[s.version_id])
        row.levels[_level(s.level, s.not_rated)] += s.people
        row.averages.add(s)
        groups[s.duty_group or "(không nhóm)"].add(s)
        for rule in rules[s.version_id]:
            use = row.quotas.setdefault(rule.level, QuotaUse(rule.level, rule.words))
            if not s.not_rated and s.level is not None:
                use.kept += s.people if s.level == rule.level else 0
                use.demoted += s.people if s.level_before_quota == rule.level != s.level else 0
                if rule.recountable:
                    key = (s.version_id, rule.level, *(getattr(s, f) for f in rule.fields))
                    before[(row.unit_id, *key)][s.level_before_quota] += s.people
                    before[(row.unit_id, *key)]["\0kept"] += s.people if s.level == rule.level else 0
                else:
                    use.allowed = None
    for key, counts in before.items():
        row, version_id, level = rows[key[0]], key[1], key[2]
        use = row.quotas[level]
        if use.allowed is not None:
            rule = next(r for r in rules[version_id] if r.level == level)
            kept = counts.pop("\0kept")
            use.allowed += quota_use.allowed(rule, counts, kept)
    for _rid, unit_id, _group, computed, decided, n in q.decided_rows(tree, wanted):
        row = rows[row_of[unit_id]]
        row.levels[computed] -= n
        row.levels[decided] += n
        row.changed += n
    for row in rows.values():
        row.levels = +row.levels
        for use in row.quotas.values():
            use.decided = row.levels.get(use.level, 0)
    levels = _level_order(versions.values(), rows.values())
    criteria = _criteria(versions.values())
    shown = [r for r in rows.values() if not r.own or r.people]
    parent = tree.parent.get(root_id)
    return Dashboard(
        period, tree.code_of[root_id], rows[root_id].name,
        tree.code_of[parent] if parent is not None and scope.sees_unit(parent) else None,
        levels, criteria, shown, dict(sorted(groups.items())), _trend(tree, visible, period, by_period),
        {rule.level: rule.words for found in rules.values() for rule in found},
    )  # fmt: skip


def _root(scope, tree, unit_code: str | None) -> int:
    if unit_code:
        unit_id = tree.by_code.get(unit_code.strip())
        if unit_id is None:
            raise NotFound(f'không có đơn vị mã "{unit_code}"')
        scope.require_unit(unit_id)
        return unit_id
    if scope.root_id is not None:
        return scope.root_id
    tops = sorted((code for code, uid in tree.by_code.items() if tree.parent.get(uid) is None))
    if not tops:
        raise NotFound("chưa có đơn vị nào")
    return tree.by_code[tops[0]]


def _children(tree, visible: set[int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = defaultdict(list)
    for u in visible:
        parent = tree.parent.get(u)
        if parent in visible:
            out[parent].append(u)
    return out


def _progress(rows: dict[int, UnitRow], tree, cover) -> None:
    for row in rows.values():
        c = cover.get(row.unit_id)
        if c is None:
            continue
        row.assessment = f"{tree.code_of[c.unit_id]} kỳ {c.period}: {label(c.status)}"
        if c.revision_id is None:
            row.progress = NOT_RUN
        elif c.status in (PUBLISHED, LOCKED):
            row.progress = DONE
        elif c.status == DECIDED:
            row.progress = NOT_PUBLISHED
        else:
            row.progress = NOT_DECIDED


def _program(version_id: int):
    return engine.version_program(version_id)[1]


def _level(level: str | None, not_rated: bool) -> str:
    return NOT_RATED if not_rated or not level else level


def _level_order(programs, rows) -> list[str]:
    names: list[str] = []
    for program in programs:
        names += [n for n in program.level_names if n not in names]
    seen = {level for row in rows for level in row.levels}
    names += sorted(seen - set(names) - {NOT_RATED})
    return names + ([NOT_RATED] if NOT_RATED in seen else [])


def _criteria(programs) -> list[tuple[str, str]]:
    out: dict[str, str] = {}
    for program in programs:
        for code, title, _citation in program.criteria:
            out.setdefault(code, title)
    return list(out.items())


def _trend_months(period: Period) -> list[str]:
    """The 12 months up to the period's last month."""
    year, month = period.last.year, period.last.month
    out = []
    for _ in range(TREND_MONTHS):
        out.append(f"{year}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


def _trend(tree, visible, period: Period, by_period) -> list[tuple[str, Counter]]:
    """Per month, the levels (as decided) of the units shown: two queries for the twelve months."""
    months = _trend_months(period)
    wanted: dict = {}
    month_of: dict[int, str] = {}
    for month in months:
        cover = q.covering(tree, visible, by_period.get(month, {}))
        month_of.update({c.revision_id: month for c in cover.values() if c.revision_id is not None})
        q.targets(cover, wanted)
    counts: dict[str, Counter] = {m: Counter() for m in months}
    for rid, level, not_rated, people in q.level_counts(tree, wanted):
        counts[month_of[rid]][_level(level, not_rated)] += int(people)
    for rid, computed, decided, n in q.decided_rows(tree, wanted, by_unit=False):
        counts[month_of[rid]][computed] -= n
        counts[month_of[rid]][decided] += n
    return [(m, +counts[m]) for m in months]


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def to_json(board: Dashboard) -> dict:
    """The dashboard as JSON: counts as numbers, averages as exact decimal text rounded to 2 places."""

    def averages(a: Averages) -> dict:
        return {"people": a.people, "score": _text(a.score),
                "criteria": {code: _text(a.criterion(code)) for code, _ in board.criteria}}  # fmt: skip

    return {
        "period": board.period.code,
        "unit": {"code": board.root_code, "name": board.root_name, "parent": board.parent_code},
        "levels": board.levels,
        "criteria": [{"code": c, "title": t} for c, t in board.criteria],
        "quota_words": board.quota_words,
        "units": [
            {
                "code": r.code,
                "name": r.name,
                "own": r.own,
                "people": r.people,
                "levels": {lv: r.levels.get(lv, 0) for lv in board.levels},
                "changed": r.changed,
                "quota": [
                    {
                        "level": u.level,
                        "kept": u.kept,
                        "demoted": u.demoted,
                        "allowed": u.allowed,
                        "decided": u.decided,
                        "over": u.over,
                    }
                    for u in r.quotas.values()
                ],
                "averages": averages(r.averages),
                "progress": r.progress,
                "assessment": r.assessment,
            }
            for r in board.rows
        ],  # fmt: skip
        "groups": [{"group": g, **averages(a)} for g, a in board.groups.items()],
        "trend": [{"period": m, "levels": {lv: c.get(lv, 0) for lv in board.levels}} for m, c in board.trend],
    }
