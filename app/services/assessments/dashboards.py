"""Dashboards of a unit subtree for a period, within the caller's scope: per unit (the children of the
chosen unit: a province's wards, a ward's departments) the level distribution against the quota, the
average score and criteria, and how far the unit's assessment went (not run, not decided, not
published); the level distribution per month (trend); the criteria averages per duty group.

Figures come from the revisions' summaries (`summaries`, read by `dash_queries`): one summary row per
dashboard row when one assessment covers the unit's whole subtree (the usual case), else the units' own
summaries added up. Averages are exact sums over counts, rounded half-up to 2 decimals. Levels count as
decided (a leader's decision replaces the computed level); the quota columns say what the ruleset's quota
did (kept, moved down, the most it allows) and compare the decided count with the allowance."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cached_property

from ...extensions import db
from ...models import Assessment
from ...models.summaries import OWN, SUBTREE
from ..errors import NotFound
from . import dash_queries as q
from . import engine, quota_use
from .periods import Period, parse
from .summaries import NOT_RATED, SCORE
from .workflow import DECIDED, LOCKED, PUBLISHED, label

TREND_MONTHS = 12
PAGE_ROWS = 100  # unit rows per page of the tables (a province's wards); totals count every row
NOT_RUN, NOT_DECIDED, NOT_PUBLISHED, DONE = "not_run", "not_decided", "not_published", "published"
PROGRESS_LABELS = {NOT_RUN: "Chưa chạy", NOT_DECIDED: "Đã tính, chưa quyết định",
                   NOT_PUBLISHED: "Đã quyết định, chưa công bố", DONE: "Đã công bố"}  # fmt: skip


@dataclass
class QuotaUse:
    level: str
    kept: int  # computed level A after the quota
    demoted: int  # moved down by the quota
    allowed: int | None  # None: the quota's groups cannot be recounted from stored results
    decided: int  # level A after the leaders' decisions

    @property
    def over(self) -> bool:
        return self.allowed is not None and self.decided > self.allowed


class Averages:
    """Summary rows added up: people, computed levels, quota use, exact sums → rounded means."""

    def __init__(self):
        self.people = 0
        self.levels: Counter = Counter()
        self.quota: dict[str, list] = {}
        self._parts: list[dict] = []
        self._means: dict | None = None

    def add(self, people: int, data: dict, sums: dict | None = None) -> None:
        self.people += people
        self.levels.update(data["levels"])
        for level, (kept, down, allowed) in data["quota"].items():
            mine = self.quota.setdefault(level, [0, 0, 0])
            mine[0] += kept
            mine[1] += down
            mine[2] = None if mine[2] is None or allowed is None else mine[2] + allowed
        self._parts.append((data, sums))
        self._means = None

    def means(self) -> dict[str, Decimal]:
        if self._means is None:
            if len(self._parts) == 1:  # the summary's own rounded means: no arithmetic
                self._means = {code: Decimal(v) for code, v in self._parts[0][0]["means"].items()}
            else:
                from ...tabular.writers import round_decimal

                totals: dict[str, list] = {}
                for _data, sums in self._parts:
                    for code, (num, den, count) in sums.items():
                        got = totals.setdefault(code, [Fraction(0), 0])
                        got[0] += Fraction(num, den)
                        got[1] += count
                self._means = {c: round_decimal(t / n, 2) for c, (t, n) in totals.items() if n}
        return self._means

    @property
    def score(self) -> Decimal | None:
        return self.means().get(SCORE)

    def criterion(self, code: str) -> Decimal | None:
        return self.means().get(code)


@dataclass
class UnitRow:
    unit_id: int
    code: str
    name: str
    own: bool  # the chosen unit's own people (not a child's subtree)
    drill: bool  # has units below it (the dashboard can open it)
    averages: Averages = field(default_factory=Averages)
    moves: Counter = field(default_factory=Counter)  # level -> +/- people by the leaders' decisions
    changed: int = 0  # levels a leader changed
    progress: str = NOT_RUN
    assessment: str = ""  # "HT kỳ 2026-01: đã công bố"

    @cached_property
    def levels(self) -> Counter:  # read once the decisions are counted
        out = Counter(self.averages.levels)
        out.update(self.moves)
        return +out

    @property
    def people(self) -> int:
        return self.averages.people

    @cached_property
    def quotas(self) -> dict[str, QuotaUse]:
        levels = self.levels
        return {lv: QuotaUse(lv, k, d, a, levels.get(lv, 0)) for lv, (k, d, a) in self.averages.quota.items()}


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

    @cached_property
    def totals(self) -> Counter:
        out = Counter()
        for row in self.rows:
            out.update(row.levels)
        return out

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.rows) // PAGE_ROWS))

    def page(self, number: int) -> list[UnitRow]:
        """The unit rows of page `number` (1-based, clamped)."""
        number = min(max(number, 1), self.pages)
        return self.rows[(number - 1) * PAGE_ROWS : number * PAGE_ROWS]

    def by_progress(self) -> dict[str, list[UnitRow]]:
        out = {key: [] for key in PROGRESS_LABELS}
        for row in self.rows:
            out[row.progress].append(row)
        return out


def default_period(scope) -> str:
    """The newest period of an assessment the caller can see, else the current month."""
    found = db.session.scalar(
        db.select(Assessment.period).where(scope.where_unit(Assessment.unit_id), Assessment.current_revision > 0)
        .order_by(Assessment.period.desc()).limit(1)
    )  # fmt: skip
    return found or dt.date.today().strftime("%Y-%m")


class _Plan:
    """Where each figure of one period comes from: (revision, unit, scope) summary rows per target."""

    def __init__(self, tree, visible: set[int], by_root: dict, root_id: int):
        above = set(tree.ancestors(root_id))  # only assessments at or above the chosen unit, or inside it
        by_root = {u: c for u, c in by_root.items() if u in visible or u in above}
        self.tree, self.visible, self.by_root = tree, visible, by_root
        self.covers: dict[int, object] = {}
        self.nested: set[int] = set()  # units with another assessment strictly below them
        for root in by_root:
            if root in visible:
                self.nested.update(tree.ancestors(root)[1:])

    def cover(self, unit_id: int):
        if unit_id not in self.covers:
            self.covers[unit_id] = q.cover_of(self.tree, unit_id, self.by_root)
        return self.covers[unit_id]

    @property
    def revisions(self) -> set[int]:
        return {c.revision_id for c in self.by_root.values() if c.revision_id}

    def sources(self, unit_id: int, own: bool) -> list[tuple[int, int, str]]:
        if own or unit_id not in self.nested:
            c = self.cover(unit_id)
            return [(c.revision_id, unit_id, OWN if own else SUBTREE)] if c and c.revision_id else []
        below = self.tree.subtree(unit_id) & self.visible
        return [(c.revision_id, u, OWN) for u in below if (c := self.cover(u)) and c.revision_id]


def _fetch(plans: list[tuple[list[tuple[int, int, str]], bool]], roots: dict[int, int]) -> dict:
    """(revision, unit, scope, grouped?) -> [(duty group, people, data, sums)] for every source wanted;
    the exact sums only when some figure adds several summaries up."""
    wanted: dict[tuple, set[int]] = defaultdict(set)
    for sources, grouped in plans:
        for rid, unit_id, scope in sources:
            wanted[(rid, scope, grouped)].add(unit_id)
    several = any(len(sources) > 1 for sources, _ in plans)
    found: dict[tuple, list] = defaultdict(list)
    asks = [(rid, sorted(units), scope, grouped) for (rid, scope, grouped), units in wanted.items()]
    for rid, unit_id, scope, group, people, data, *sums in q.records(asks, roots, sums=several):
        found[(rid, unit_id, scope, group is not None)].append(
            (group, people, data, sums[0] if sums else None)
        )
    return found


def build(scope, unit_code: str | None = None, period_text: str | None = None) -> Dashboard:
    """The dashboard of `unit_code` (default: the root of the caller's scope) for the period (default:
    the newest assessed); Forbidden outside the scope, NotFound for an unknown unit."""
    tree = scope.units()
    root_id = _root(scope, tree, unit_code)
    period = parse(period_text or default_period(scope))
    visible = tree.subtree(root_id) if scope.unit_ids is None else tree.subtree(root_id) & scope.unit_ids
    has_children = {tree.parent.get(u) for u in visible}
    root = tree.rows[tree.code_of[root_id]]
    rows = {root_id: UnitRow(root_id, root.code, root.name, True, False)}
    for child in sorted((u for u in visible if tree.parent.get(u) == root_id), key=tree.code_of.get):
        r = tree.rows[tree.code_of[child]]
        rows[child] = UnitRow(child, r.code, r.name, False, child in has_children)
    months = _trend_months(period)
    by_period = q.assessments_for(sorted({period.code, *months}))
    roots = {
        c.revision_id: c.unit_id for found in by_period.values() for c in found.values() if c.revision_id
    }
    plan = _Plan(tree, visible, by_period.get(period.code, {}), root_id)
    row_sources = {u: plan.sources(u, row.own) for u, row in rows.items()}
    group_sources = _whole(plan, root_id, rows, row_sources)
    month_plans = {m: _Plan(tree, visible, by_period.get(m, {}), root_id) for m in months}
    month_sources = {m: _whole(p, root_id, rows, None) for m, p in month_plans.items()}
    found = _fetch([*((s, False) for s in row_sources.values()), (group_sources, True),
                    *((s, False) for s in month_sources.values())], roots)  # fmt: skip
    for u, row in rows.items():
        for rid, unit_id, sc in row_sources[u]:
            for _g, people, data, sums in found.get((rid, unit_id, sc, False), ()):
                row.averages.add(people, data, sums)
    groups: dict[str, Averages] = defaultdict(Averages)
    for rid, unit_id, sc in group_sources:
        for g, people, data, sums in found.get((rid, unit_id, sc, True), ()):
            groups[g or "(không nhóm)"].add(people, data, sums)
    _progress(rows, tree, plan)
    decisions = defaultdict(list)
    for rid, *rest in q.decided(plan.revisions):
        decisions[rid].append(rest)
    row_of: dict[int, int] = {}
    for unit_id, computed, decided, n in _counted(plan, visible, decisions):
        if unit_id not in row_of:
            row_of[unit_id] = next(a for a in tree.ancestors(unit_id) if a in rows)
        row = rows[row_of[unit_id]]
        row.moves[computed] -= n
        row.moves[decided] += n
        row.changed += n
    moved = _month_decisions(month_plans, root_id, visible)
    trend = []
    for m in months:
        counts: Counter = Counter()
        for rid, unit_id, sc in month_sources[m]:
            for _g, _people, data, _sums in found.get((rid, unit_id, sc, False), ()):
                counts.update(data["levels"])
        for computed, decided, n in moved.get(m, ()):
            counts[computed] -= n
            counts[decided] += n
        trend.append((m, +counts))
    versions = _versions({rid for sources in row_sources.values() for rid, _, _ in sources})
    shown = [r for r in rows.values() if not r.own or r.people]
    parent = tree.parent.get(root_id)
    rules = [rule for program in versions for rule in quota_use.rules_of(program)]
    return Dashboard(
        period, root.code, root.name, tree.code_of[parent] if parent is not None and scope.sees_unit(parent) else None,
        _level_order(versions, rows.values(), trend), _criteria(versions), shown, dict(sorted(groups.items())),
        trend, {rule.level: rule.words for rule in rules},
    )  # fmt: skip


def _whole(plan: _Plan, root_id: int, rows, row_sources) -> list[tuple[int, int, str]]:
    """The sources of the whole chosen subtree: its own summary when one assessment covers all of it,
    else those of its rows."""
    if root_id not in plan.nested:
        return plan.sources(root_id, False)
    return [
        s for u, row in rows.items() for s in (row_sources[u] if row_sources else plan.sources(u, row.own))
    ]


def _root(scope, tree, unit_code: str | None) -> int:
    if unit_code:
        unit_id = tree.by_code.get(unit_code.strip())
        if unit_id is None:
            raise NotFound(f'không có đơn vị mã "{unit_code}"')
        scope.require_unit(unit_id)
        return unit_id
    if scope.root_id is not None:
        return scope.root_id
    tops = sorted(code for code, uid in tree.by_code.items() if tree.parent.get(uid) is None)
    if not tops:
        raise NotFound("chưa có đơn vị nào")
    return tree.by_code[tops[0]]


def _progress(rows: dict[int, UnitRow], tree, plan: _Plan) -> None:
    for row in rows.values():
        c = plan.cover(row.unit_id)
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


def _counted(plan: _Plan, visible, decisions: dict[int, list]):
    """The decided results that count for the plan: their unit is shown and its covering revision is
    theirs."""
    for rid in plan.revisions:
        for unit_id, computed, decided, n in decisions.get(rid, ()):
            if unit_id in visible and (c := plan.cover(unit_id)) is not None and c.revision_id == rid:
                yield unit_id, computed, decided, n


def _month_decisions(plans: dict[str, _Plan], root_id: int, visible: set[int]) -> dict[str, list]:
    """month -> (computed, decided, people) of the chosen subtree's decisions: per revision in one query
    for the months one assessment covers whole (its own subtree, or the chosen units of a larger one),
    per unit with each unit's covering revision for the others."""
    out: dict[str, list] = defaultdict(list)
    whole: dict[int, str] = {}  # revision -> month: every result of it counts
    part: dict[int, str] = {}  # revision -> month: the chosen units' results count
    for m, plan in plans.items():
        if root_id in plan.nested:
            decisions = defaultdict(list)
            for rid, *rest in q.decided(plan.revisions):
                decisions[rid].append(rest)
            out[m] += [(c, d, n) for _u, c, d, n in _counted(plan, visible, decisions)]
        elif (c := plan.cover(root_id)) is not None and c.revision_id is not None:
            (whole if c.unit_id == root_id else part)[c.revision_id] = m
    for found, units in ((whole, None), (part, visible)):
        for rid, _unit, computed, decided, n in q.decided(list(found), unit_ids=units, by_unit=False):
            out[found[rid]].append((computed, decided, n))
    return out


def _versions(revision_ids: set[int]) -> list:
    """The programs of the versions the revisions ran (level names, criteria, quotas)."""
    from ...models import AssessmentRevision

    if not revision_ids:
        return []
    ids: list[int] = []
    for (versions,) in db.session.execute(
        db.select(AssessmentRevision.versions).where(AssessmentRevision.id.in_(sorted(revision_ids)))
    ):
        ids += [v["version_id"] for v in versions or () if v.get("version_id") not in ids]
    return [engine.version_program(vid)[1] for vid in ids]


def _level_order(programs, rows, trend) -> list[str]:
    names: list[str] = []
    for program in programs:
        names += [n for n in program.level_names if n not in names]
    seen = {level for row in rows for level in row.levels} | {level for _, c in trend for level in c}
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


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def to_json(board: Dashboard, page: int = 1) -> dict:
    """The dashboard as JSON: counts as numbers, averages as exact decimal text rounded to 2 places; the
    unit rows of one page (`pages` says how many), the progress of every unit."""

    def averages(a: Averages) -> dict:
        return {"people": a.people, "score": _text(a.score),
                "criteria": {code: _text(a.criterion(code)) for code, _ in board.criteria}}  # fmt: skip

    return {
        "period": board.period.code,
        "unit": {"code": board.root_code, "name": board.root_name, "parent": board.parent_code},
        "levels": board.levels,
        "criteria": [{"code": c, "title": t} for c, t in board.criteria],
        "quota_words": board.quota_words,
        "page": min(max(page, 1), board.pages),
        "pages": board.pages,
        "progress": {key: [r.code for r in rows] for key, rows in board.by_progress().items()},
        "totals": {lv: board.totals.get(lv, 0) for lv in board.levels},
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
            for r in board.page(page)
        ],  # fmt: skip
        "groups": [{"group": g, **averages(a)} for g, a in board.groups.items()],
        "trend": [{"period": m, "levels": {lv: c.get(lv, 0) for lv in board.levels}} for m, c in board.trend],
    }
