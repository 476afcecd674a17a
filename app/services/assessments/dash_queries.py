"""The dashboards' reads: which stored revision counts for each unit and period, the summary rows of
those revisions (`assessment_summaries`: one row per unit subtree or unit's own people, every duty group
or one), and the few decided levels, read from the results through `ix_assessment_results_revision_decided`.

Which revision counts for a unit: the current revision of the assessment of the nearest unit at or
above it for that period (a ward's own assessment before the province's). Callers ask only for units of
the caller's scope."""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass

from sqlalchemy import (
    ARRAY,
    BigInteger,
    Integer,
    Numeric,
    and_,
    any_,
    bindparam,
    cast,
    func,
    null,
    select,
    true,
    tuple_,
)

from ...extensions import db
from ...models import Assessment, AssessmentResult, AssessmentRevision, AssessmentSummary
from . import summaries
from .workflow import LOCKED, PUBLISHED


@dataclass(frozen=True)
class Covering:
    assessment_id: int
    unit_id: int  # the assessment's root unit
    period: str
    status: str
    revision_id: int | None  # None: never stored
    stored_at: object = None  # the revision's creation time: with its id, what names it in the memo


def assessments_for(periods: list[str]) -> dict[str, dict[int, Covering]]:
    """period -> assessment root unit id -> its assessment (with the current revision's id)."""
    r = AssessmentRevision.__table__.c
    a = Assessment.__table__.c
    query = (
        select(a.id, a.unit_id, a.period, a.status, r.id, r.created_at)
        .select_from(Assessment.__table__)
        .outerjoin(
            AssessmentRevision.__table__, and_(r.assessment_id == a.id, r.number == a.current_revision)
        )
        .where(a.period.in_(periods))
    )
    out: dict[str, dict[int, Covering]] = defaultdict(dict)
    for aid, unit_id, period, status, rid, stored_at in db.session.execute(query):
        out[period][unit_id] = Covering(aid, unit_id, period, status, rid, stored_at)
    return out


def cover_of(tree, unit_id: int, by_root: dict[int, Covering]) -> Covering | None:
    """The assessment that counts for the unit: the nearest at or above it."""
    for above in tree.ancestors(unit_id):
        found = by_root.get(above)
        if found is not None:
            return found
    return None


def among(column, values):
    """`column IN values` as one array parameter on PostgreSQL (a statement of a thousand placeholders
    costs more to send and plan than to run), else an IN list."""
    values = sorted(set(values))
    if len(values) == 1:
        return column == values[0]
    if _postgresql():
        return column == any_(bindparam(None, values, type_=ARRAY(Integer)))
    return column.in_(values)


def records(wanted: list[tuple[int, list[int], str, bool, bool]], known: dict[int, Covering]) -> list:
    """Summary rows (revision, unit, scope, duty group, people, data, sums or None) for each (revision id,
    unit ids, scope, per duty group?, with the exact sums?) in `wanted`; `known`: revision id -> its
    assessment (whose root unit summarises a revision stored without a summary). One statement per kind of
    row, the wanted (revision, unit) pairs found through `ix_assessment_summaries_lookup`."""
    wanted = [w for w in wanted if w[1]]
    if not wanted:
        return []
    out = _records(wanted)
    missing = {w[0] for w in wanted} - {r[0] for r in out}
    if missing:  # stored before the summaries existed (or without any result: nothing to add then)
        summaries.ensure({rid: known[rid].unit_id for rid in missing})
        out += _records([w for w in wanted if w[0] in missing])
    return out


def _records(wanted) -> list:
    s = AssessmentSummary.__table__.c
    asks: dict[tuple, set[tuple[int, int]]] = defaultdict(set)
    for rid, units, scope, grouped, sums in wanted:
        asks[(scope, grouped, sums)].update((rid, u) for u in units)
    out = []
    for (scope, grouped, sums), pairs in asks.items():
        condition = and_(_pairs(s.revision_id, s.unit_id, pairs), s.scope == scope,
                         s.duty_group.is_not(None) if grouped else s.duty_group.is_(None))  # fmt: skip
        # a duty group's figure added up from several summaries needs their sums only
        columns = (s.revision_id, s.unit_id, s.scope, s.duty_group, s.people,
                   null() if grouped and sums else s.data, s.sums if sums else null())  # fmt: skip
        out += db.session.execute(select(*columns).where(condition)).all()
    return out


def _pairs(first, second, pairs: set[tuple[int, int]]):
    """`(first, second) IN pairs`: on PostgreSQL two array parameters zipped by `unnest` (an index probe
    per pair), else a VALUES list."""
    if len(pairs) == 1:
        ((a, b),) = pairs
        return and_(first == a, second == b)
    ordered = sorted(pairs)
    if _postgresql():
        zipped = select(
            func.unnest(bindparam(None, [a for a, _ in ordered], type_=ARRAY(Integer))),
            func.unnest(bindparam(None, [b for _, b in ordered], type_=ARRAY(Integer))),
        )
        return tuple_(first, second).in_(zipped)
    return tuple_(first, second).in_(ordered)


def _postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


# A revision's summary never changes (its results' computed columns cannot): figures read from summaries
# are kept per process, named by the database, the revision's id and creation time, and what was read.
_MEMO: OrderedDict = OrderedDict()
MEMO_SIZE = 50_000
_MEMO_LOCK = threading.Lock()


def _database() -> str:
    """The memo's name of the database (text: an URL object renders itself on every hash)."""
    return str(db.session.get_bind().url)


def _memo_get(key):
    with _MEMO_LOCK:  # requests may run in threads
        found = _MEMO.get(key)
        if found is not None:
            _MEMO.move_to_end(key)
        return found


def _memo_put(key, value) -> None:
    with _MEMO_LOCK:
        _MEMO[key] = value
        while len(_MEMO) > MEMO_SIZE:
            _MEMO.popitem(last=False)


def forget() -> None:
    """Empty the memo (benchmarks; a test that recreates its database)."""
    with _MEMO_LOCK:
        _MEMO.clear()


def level_counts(sources, known: dict[int, Covering]) -> dict[tuple[int, int, str], dict[str, int]]:
    """(revision, unit, scope) -> computed level -> people, of the every-group summaries of `sources`
    ((revision, unit, scope) triples), read as rows of (level, count) by the database's JSON functions
    (no document decoded here) or from the memo. A revision without any summary row is summarised
    first."""
    url = _database()
    out, todo = {}, []
    for source in set(sources):
        found = _memo_get((url, "levels", source, known[source[0]].stored_at))
        if found is None:
            todo.append(source)
        else:
            out[source] = found
    if not todo:
        return out
    got = _level_counts(todo)
    missing = {rid for rid, _u, _s in todo} - {rid for rid, _u, _s in got}
    if missing:
        summaries.ensure({rid: known[rid].unit_id for rid in missing})
        got.update(_level_counts([s for s in todo if s[0] in missing]))
    for source in todo:
        out[source] = got.get(source, {})
        _memo_put((url, "levels", source, known[source[0]].stored_at), out[source])
    return out


def _by_scope(sources) -> dict[str, set]:
    """Summary scope -> the (revision id, unit id) pairs of `sources` ((revision, unit, scope) triples)."""
    pairs: dict[str, set] = defaultdict(set)
    for rid, unit_id, scope in sources:
        pairs[scope].add((rid, unit_id))
    return pairs


def _level_counts(sources) -> dict:
    pairs = _by_scope(sources)
    s = AssessmentSummary.__table__.c
    if _postgresql():
        each = func.json_each_text(s.data.op("->")("levels")).table_valued("key", "value")
    else:
        each = func.json_each(s.data, "$.levels").table_valued("key", "value")
    out: dict[tuple, dict[str, int]] = defaultdict(dict)
    for scope, wanted in pairs.items():
        query = (
            select(s.revision_id, s.unit_id, each.c.key, cast(each.c.value, Integer))
            .select_from(AssessmentSummary.__table__.join(each, true()))
            .where(_pairs(s.revision_id, s.unit_id, wanted), s.scope == scope, s.duty_group.is_(None))
        )
        for rid, unit_id, level, n in db.session.execute(query):
            out[(rid, unit_id, scope)][level] = n
    return out


def group_sums(sources, known: dict[int, Covering]) -> dict[str, tuple[int, dict, dict]]:
    """Duty group -> (people, {code: {denominator: numerator}}, {code: count}) of the per-group summaries
    of `sources` added up by the database (exact: integer numerators per denominator, PostgreSQL's
    numeric), for a figure made of many summaries (a province whose wards run their own assessments);
    kept in the memo (summaries written: `level_counts` first)."""
    key = (_database(), "groups", frozenset((s, known[s[0]].stored_at) for s in sources))
    found = _memo_get(key)
    if found is None:
        found = _group_sums(sources)
        _memo_put(key, found)
    return found


def _group_sums(sources) -> dict:
    pairs = _by_scope(sources)
    s = AssessmentSummary.__table__.c
    each = func.json_each(s.sums).table_valued("key", "value")
    if _postgresql():
        num, den, count = (each.c.value.op("->>")(i) for i in range(3))
        num, den, count = cast(num, Numeric()), cast(den, Numeric()), cast(count, BigInteger)
    else:
        num, den, count = (func.json_extract(each.c.value, f"$[{i}]") for i in range(3))
    out: dict[str, tuple] = {}
    for scope, wanted in pairs.items():
        where = (_pairs(s.revision_id, s.unit_id, wanted), s.scope == scope, s.duty_group.is_not(None))
        people = select(s.duty_group, func.sum(s.people)).where(*where).group_by(s.duty_group)
        for group, n in db.session.execute(people):
            got = out.setdefault(group, (0, defaultdict(lambda: defaultdict(int)), defaultdict(int)))
            out[group] = (got[0] + int(n), got[1], got[2])
        parts = (
            select(s.duty_group, each.c.key, den, func.sum(num), func.sum(count))
            .select_from(AssessmentSummary.__table__.join(each, true()))
            .where(*where)
            .group_by(s.duty_group, each.c.key, den)
        )
        for group, code, d, n, c in db.session.execute(parts):
            _people, sums, counts = out[group]
            sums[code][int(d)] += int(n)
            counts[code] += int(c)
    return out


def decided(revision_ids, *, unit_ids=None, by_unit: bool = True, known: dict | None = None) -> list:
    """(revision, unit or None, computed level, decided level, people) of the results whose level a
    leader changed, of the given units only when `unit_ids` is given, per unit unless `by_unit` is
    false. Those of a published or locked assessment (`known`: revision id -> its assessment) can no
    longer change: kept in the memo."""
    ids = set(revision_ids)
    if not ids:
        return []
    url, units = _database(), None if unit_ids is None else frozenset(unit_ids)
    keys = {
        rid: (url, "decided", rid, c.stored_at, by_unit, units)
        for rid in ids
        if (c := (known or {}).get(rid)) is not None and c.status in (PUBLISHED, LOCKED)
    }
    out, todo = [], []
    for rid in sorted(ids):
        found = _memo_get(keys[rid]) if rid in keys else None
        if found is None:
            todo.append(rid)
        else:
            out += found
    if not todo:
        return out
    t = AssessmentResult.__table__.c
    columns = [t.revision_id, *((t.unit_id,) if by_unit else ()), t.level, t.decided_level]
    query = select(*columns, func.count()).where(among(t.revision_id, todo),
                                                 t.decided_level.is_not(None)).group_by(*columns)  # fmt: skip
    if unit_ids is not None:
        query = query.where(among(t.unit_id, unit_ids))
    got: dict[int, list] = defaultdict(list)
    for row in db.session.execute(query):
        got[row[0]].append(tuple(row) if by_unit else (row[0], None, *row[1:]))
    for rid in todo:
        if rid in keys:
            _memo_put(keys[rid], got[rid])
        out += got[rid]
    return out
