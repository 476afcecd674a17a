"""The dashboards' reads: which stored revision counts for each unit and period, the summary rows of
those revisions (`assessment_summaries`: one row per unit subtree or unit's own people, every duty group
or one), and the few decided levels, read from the results through `ix_assessment_results_revision_decided`.

Which revision counts for a unit: the current revision of the assessment of the nearest unit at or
above it for that period (a ward's own assessment before the province's). Callers ask only for units of
the caller's scope."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select

from ...extensions import db
from ...models import Assessment, AssessmentResult, AssessmentRevision, AssessmentSummary
from . import summaries

LONG_LIST = 200  # unit ids: past this, filtered after reading


@dataclass(frozen=True)
class Covering:
    assessment_id: int
    unit_id: int  # the assessment's root unit
    period: str
    status: str
    revision_id: int | None  # None: never stored


def assessments_for(periods: list[str]) -> dict[str, dict[int, Covering]]:
    """period -> assessment root unit id -> its assessment (with the current revision's id)."""
    r = AssessmentRevision.__table__.c
    a = Assessment.__table__.c
    query = (
        select(a.id, a.unit_id, a.period, a.status, r.id)
        .select_from(Assessment.__table__)
        .outerjoin(
            AssessmentRevision.__table__, and_(r.assessment_id == a.id, r.number == a.current_revision)
        )
        .where(a.period.in_(periods))
    )
    out: dict[str, dict[int, Covering]] = defaultdict(dict)
    for aid, unit_id, period, status, rid in db.session.execute(query):
        out[period][unit_id] = Covering(aid, unit_id, period, status, rid)
    return out


def cover_of(tree, unit_id: int, by_root: dict[int, Covering]) -> Covering | None:
    """The assessment that counts for the unit: the nearest at or above it."""
    for above in tree.ancestors(unit_id):
        found = by_root.get(above)
        if found is not None:
            return found
    return None


def records(wanted: list[tuple[int, list[int], str, bool]], roots: dict[int, int], *, sums: bool = False):
    """Summary rows (revision, unit, scope, duty group, people, data[, sums]) for each (revision id, unit
    ids, scope, per duty group?) in `wanted`; `roots`: revision id -> its assessment's root unit (to
    summarise a revision stored without a summary). A long unit list is filtered here, not in SQL (a
    province's wards: the revision's every subtree row)."""
    wanted = [w for w in wanted if w[1]]
    if not wanted:
        return []
    summaries.ensure({w[0]: roots[w[0]] for w in wanted})
    s = AssessmentSummary.__table__.c
    conditions, later = [], {}
    for rid, units, scope, grouped in wanted:
        condition = and_(s.revision_id == rid, s.scope == scope,
                         s.duty_group.is_not(None) if grouped else s.duty_group.is_(None))  # fmt: skip
        if len(units) > LONG_LIST:
            later[(rid, scope, grouped)] = set(units)
        else:
            condition = and_(condition, s.unit_id.in_(units) if len(units) > 1 else s.unit_id == units[0])
        conditions.append(condition)
    columns = [
        s.revision_id,
        s.unit_id,
        s.scope,
        s.duty_group,
        s.people,
        s.data,
        *((s.sums,) if sums else ()),
    ]
    rows = db.session.execute(select(*columns).where(or_(*conditions)))
    if not later:
        return list(rows)
    return [r for r in rows if (k := later.get((r[0], r[2], r[3] is not None))) is None or r[1] in k]


def decided(revision_ids, *, unit_ids=None, by_unit: bool = True) -> list:
    """(revision, unit or None, computed level, decided level, people) of the results whose level a
    leader changed, of the given units only when `unit_ids` is given, per unit unless `by_unit` is
    false."""
    if not revision_ids:
        return []
    t = AssessmentResult.__table__.c
    keys = [t.revision_id, *((t.unit_id,) if by_unit else ()), t.level, t.decided_level]
    query = select(*keys, func.count()).where(t.revision_id.in_(sorted(set(revision_ids))),
                                              t.decided_level.is_not(None)).group_by(*keys)  # fmt: skip
    if unit_ids is not None:
        query = query.where(t.unit_id.in_(sorted(unit_ids)))
    rows = db.session.execute(query)
    return list(rows) if by_unit else [(r[0], None, *r[1:]) for r in rows]
