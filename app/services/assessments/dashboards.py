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
from decimal import Decimal

from ...extensions import db
from ...models import Assessment
from ...models.summaries import OWN, SUBTREE
from ..errors import NotFound, ServiceError
from . import dash_queries as q
from . import engine, quota_use
from .dash_figures import (
    DONE,
    NOT_DECIDED,
    NOT_PUBLISHED,
    NOT_RUN,
    PAGE_ROWS,
    PROGRESS_LABELS,
    Averages,
    Dashboard,
    QuotaUse,
    UnitRow,
)
from .periods import Period, parse
from .queries import latest_task_month
from .summaries import NOT_RATED
from .workflow import DECIDED, LOCKED, PUBLISHED, label

TREND_MONTHS = 12
__all__ = ["DONE", "NOT_DECIDED", "NOT_PUBLISHED", "NOT_RUN", "PAGE_ROWS", "PROGRESS_LABELS", "Averages",
           "Dashboard", "QuotaUse", "UnitRow", "build", "default_period", "to_json"]  # fmt: skip


def default_period(scope, root_id: int | None = None) -> str:
    """The latest period with data for the chosen unit (default: the caller's root): of an assessment
    with a stored revision covering it (at or above it) or inside it — the latest end, a month before
    the quarter or year ending with it —, else the latest month of its tasks
    (`queries.latest_task_month`), else the current month."""
    tree = scope.units()
    root_id = root_id if root_id is not None else scope.root_id
    units = None  # every unit
    if root_id is not None:
        units = tree.subtree(root_id) | set(tree.ancestors(root_id))
        if scope.unit_ids is not None:
            units &= scope.unit_ids | set(tree.ancestors(root_id))
    a = Assessment.__table__.c
    query = db.select(a.period).where(a.current_revision > 0).distinct()
    found = list(db.session.scalars(query if units is None else query.where(q.among(a.unit_id, units))))
    periods = []
    for text in found:
        try:
            p = parse(text)
        except ServiceError:
            continue
        periods.append((p.last, p.first, text))
    if periods:
        return max(periods)[2]
    tasks = scope if root_id is None else scope.within(root_id)
    return latest_task_month(scope=tasks) or dt.date.today().strftime("%Y-%m")


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


def _fetch(plans: list[tuple[list[tuple[int, int, str]], bool]], known: dict) -> dict:
    """(revision, unit, scope, grouped?) -> [(duty group, people, data, sums)] for every source of the
    `plans` ((sources, per duty group?): the exact sums read only for a figure that adds several
    summaries up)."""
    wanted: dict[tuple, bool] = {}
    for sources, grouped in plans:
        several = len(sources) > 1
        for rid, unit_id, scope in sources:
            key = (rid, unit_id, scope, grouped)
            wanted[key] = wanted.get(key, False) or several
    asks: dict[tuple, list[int]] = defaultdict(list)
    for (rid, unit_id, scope, grouped), sums in wanted.items():
        asks[(rid, scope, grouped, sums)].append(unit_id)
    found: dict[tuple, list] = defaultdict(list)
    for rid, unit_id, scope, group, people, data, sums in q.records(
        [(rid, units, scope, grouped, sums) for (rid, scope, grouped, sums), units in asks.items()], known
    ):
        found[(rid, unit_id, scope, group is not None)].append((group, people, data, sums))
    return found


def build(scope, unit_code: str | None = None, period_text: str | None = None, page: int | None = None):
    """The dashboard of `unit_code` (default: the root of the caller's scope) for the period (default:
    the newest assessed); Forbidden outside the scope, NotFound for an unknown unit. With `page`, only
    that page's unit rows carry their figures (the totals, trend and groups cover every row)."""
    tree = scope.units()
    root_id = _root(scope, tree, unit_code)
    period = parse(period_text or default_period(scope, root_id))
    visible = tree.subtree(root_id) if scope.unit_ids is None else tree.subtree(root_id) & scope.unit_ids
    has_children = {tree.parent.get(u) for u in visible}
    root = tree.rows[tree.code_of[root_id]]
    rows = {root_id: UnitRow(root_id, root.code, root.name, True, False)}
    for child in sorted((u for u in visible if tree.parent.get(u) == root_id), key=tree.code_of.get):
        r = tree.rows[tree.code_of[child]]
        rows[child] = UnitRow(child, r.code, r.name, False, child in has_children)
    months = _trend_months(period)
    by_period = q.assessments_for(sorted({period.code, *months}))
    known = {c.revision_id: c for found in by_period.values() for c in found.values() if c.revision_id}
    plan = _Plan(tree, visible, by_period.get(period.code, {}), root_id)
    row_sources = {u: plan.sources(u, row.own) for u, row in rows.items()}
    whole = _whole(plan, root_id, rows, row_sources)
    month_plans = {m: _Plan(tree, visible, by_period.get(m, {}), root_id) for m in months}
    month_sources = {m: _whole(p, root_id, rows, None) for m, p in month_plans.items()}
    # levels of the whole subtree, of every month and of the chosen unit's own people, as rows
    counts = q.level_counts(
        {*whole, *row_sources[root_id], *(s for m in month_sources.values() for s in m)}, known
    )
    own_people = sum(n for source in row_sources[root_id] for n in counts.get(source, {}).values())
    shown = [r for u, r in rows.items() if u != root_id or own_people]
    number = None if page is None else min(max(page, 1), max(1, -(-len(shown) // PAGE_ROWS)))
    filled = shown if number is None else shown[(number - 1) * PAGE_ROWS : number * PAGE_ROWS]
    several_groups = len(whole) > 1
    found = _fetch([*((row_sources[r.unit_id], False) for r in filled),
                    *(() if several_groups else ((whole, True),))], known)  # fmt: skip
    for row in filled:
        for rid, unit_id, sc in row_sources[row.unit_id]:
            for _g, people, data, sums in found.get((rid, unit_id, sc, False), ()):
                row.averages.add(people, data, sums)
    groups: dict[str, Averages] = defaultdict(Averages)
    if several_groups:  # a province whose wards run their own assessments: added up by the database
        for g, (people, sums, n) in q.group_sums(whole, known).items():
            groups[g] = Averages.added_up(people, sums, n)
    for rid, unit_id, sc in () if several_groups else whole:
        for g, people, data, sums in found.get((rid, unit_id, sc, True), ()):
            groups[g or "(không nhóm)"].add(people, data, sums)
    _progress(rows, tree, plan)
    decisions = _decisions(plan, known)
    totals: Counter = Counter()
    for source in whole:
        totals.update(counts.get(source, {}))
    row_of: dict[int, int] = {}
    for unit_id, computed, decided, n in _counted(plan, visible, decisions):
        if unit_id not in row_of:
            row_of[unit_id] = next(a for a in tree.ancestors(unit_id) if a in rows)
        row = rows[row_of[unit_id]]
        row.moves[computed] -= n
        row.moves[decided] += n
        row.changed += n
        totals[computed] -= n
        totals[decided] += n
    moved = _month_decisions(month_plans, root_id, visible, known, (period.code, decisions))
    trend = []
    for m in months:
        month: Counter = Counter()
        for source in month_sources[m]:
            month.update(counts.get(source, {}))
        for computed, decided, n in moved.get(m, ()):
            month[computed] -= n
            month[decided] += n
        trend.append((m, +month))
    versions = _versions({rid for sources in row_sources.values() for rid, _, _ in sources})
    parent = tree.parent.get(root_id)
    rules = [rule for program in versions for rule in quota_use.rules_of(program)]
    return Dashboard(
        period, root.code, root.name, tree.code_of[parent] if parent is not None and scope.sees_unit(parent) else None,
        _level_order(versions, +totals, trend), _criteria(versions), shown, dict(sorted(groups.items())),
        trend, {rule.level: rule.words for rule in rules}, +totals, number,
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


def _month_decisions(plans: dict[str, _Plan], root_id: int, visible: set[int], known: dict, current) -> dict:
    """month -> (computed, decided, people) of the chosen subtree's decisions: per revision in one query
    for the months one assessment covers whole (its own subtree, or the chosen units of a larger one),
    per unit with each unit's covering revision for the others (`current`: (month, decisions per
    revision) already read for the period)."""
    out: dict[str, list] = defaultdict(list)
    whole: dict[int, str] = {}  # revision -> month: every result of it counts
    part: dict[int, str] = {}  # revision -> month: the chosen units' results count
    for m, plan in plans.items():
        if root_id in plan.nested:
            decisions = current[1] if m == current[0] else _decisions(plan, known)
            out[m] += [(c, d, n) for _u, c, d, n in _counted(plan, visible, decisions)]
        elif (c := plan.cover(root_id)) is not None and c.revision_id is not None:
            (whole if c.unit_id == root_id else part)[c.revision_id] = m
    for found, units in ((whole, None), (part, visible)):
        for rid, _unit, computed, decided, n in q.decided(found, unit_ids=units, by_unit=False, known=known):
            out[found[rid]].append((computed, decided, n))
    return out


def _decisions(plan: _Plan, known: dict) -> dict[int, list]:
    """revision -> [(unit, computed, decided, people)] of the plan's revisions."""
    out = defaultdict(list)
    for rid, *rest in q.decided(plan.revisions, known=known):
        out[rid].append(rest)
    return out


def _versions(revision_ids: set[int]) -> list:
    """The programs of the versions the revisions ran (level names, criteria, quotas)."""
    import json

    from sqlalchemy import Text, cast

    from ...models import AssessmentRevision

    if not revision_ids:
        return []
    r = AssessmentRevision.__table__.c
    ids: list[int] = []
    for (text,) in db.session.execute(
        db.select(cast(r.versions, Text)).where(q.among(r.id, revision_ids)).distinct()
    ):  # a thousand ward revisions run the same few versions
        ids += [v["version_id"] for v in json.loads(text) or () if v.get("version_id") not in ids]
    return [engine.version_program(vid)[1] for vid in sorted(ids)]


def _level_order(programs, totals: Counter, trend) -> list[str]:
    names: list[str] = []
    for program in programs:
        names += [n for n in program.level_names if n not in names]
    seen = set(totals) | {level for _, c in trend for level in c}
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


def to_json(board: Dashboard, page: int | None = None) -> dict:
    """The dashboard as JSON: counts as numbers, averages as exact decimal text rounded to 2 places; the
    unit rows of one page (default: the page built, else the first; `pages` says how many), the progress
    of every unit."""
    page = (board.shown or 1) if page is None else page

    def averages(a: Averages) -> dict:
        return {"people": a.people, "score": _text(a.score),
                "criteria": {code: _text(a.criterion(code)) for code, _ in board.criteria}}  # fmt: skip

    return {
        "period": board.period.code,
        "unit": {"code": board.root_code, "name": board.root_name, "parent": board.parent_code},
        "levels": board.levels,
        "criteria": [{"code": c, "title": t} for c, t in board.criteria],
        "quota_words": board.quota_words,
        "page": board.clamp(page),
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
