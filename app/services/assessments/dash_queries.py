"""The dashboards' reads: which stored revision counts for each unit and period, and the summary rows
of those revisions, aggregated in SQL (`assessment_summaries`, plus the few decided levels read from the
results through `ix_assessment_results_revision_decided`).

Which revision counts for a unit: the current revision of the assessment of the nearest unit at or
above it for that period (a ward's own assessment before the province's). Only units of the caller's
scope are ever read."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select

from ...extensions import db
from ...models import Assessment, AssessmentResult, AssessmentRevision, AssessmentSummary
from . import summaries


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


def covering(tree, unit_ids, by_root: dict[int, Covering]) -> dict[int, Covering]:
    """unit id -> the assessment that counts for it (nearest at or above), for the units covered."""
    out = {}
    for u in unit_ids:
        for above in tree.ancestors(u):
            found = by_root.get(above)
            if found is not None:
                out[u] = found
                break
    return out


def targets(cover: dict[int, Covering], into: dict | None = None) -> dict[int, tuple[int, set[int]]]:
    """revision id -> (its assessment's root unit, the units it counts for), added to `into`."""
    out = into if into is not None else {}
    for u, c in cover.items():
        if c.revision_id is not None:
            out.setdefault(c.revision_id, (c.unit_id, set()))[1].add(u)
    return out


def revision_filter(columns, tree, wanted: dict[int, tuple[int, set[int]]]):
    """A WHERE clause selecting, per revision, the rows of the units it counts for (no unit list when it
    counts for its assessment's whole subtree: the usual case, one condition per revision)."""
    if not wanted:
        return None
    conditions = []
    for rid, (root, units) in sorted(wanted.items()):
        if units >= tree.subtree(root):
            conditions.append(columns.revision_id == rid)
        else:
            conditions.append(and_(columns.revision_id == rid, columns.unit_id.in_(sorted(units))))
    return or_(*conditions)


def summary_rows(tree, wanted) -> list:
    """Summary rows (revision, unit, duty group, version, level, before quota, not rated, people,
    scored, score sum, criteria sums) of the revisions and units `wanted` (see `targets`)."""
    summaries.ensure(wanted)
    s = AssessmentSummary.__table__.c
    where = revision_filter(s, tree, wanted)
    if where is None:
        return []
    query = select(s.revision_id, s.unit_id, s.duty_group, s.version_id, s.level, s.level_before_quota,
                   s.not_rated, s.people, s.scored, s.score_sum, s.criteria).where(where)  # fmt: skip
    return list(db.session.execute(query))


def decided_rows(tree, wanted, *, by_unit: bool = True) -> list:
    """(revision, [unit, duty group,] computed level, decided level, people) of the results whose level
    a leader changed."""
    t = AssessmentResult.__table__.c
    where = revision_filter(t, tree, wanted)
    if where is None:
        return []
    keys = [t.revision_id, *((t.unit_id, t.duty_group) if by_unit else ()), t.level, t.decided_level]
    query = select(*keys, func.count()).where(where, t.decided_level.is_not(None)).group_by(*keys)
    return list(db.session.execute(query))


def level_counts(tree, wanted) -> list:
    """(revision, level, not rated, people) summed in SQL: the trend's figures."""
    summaries.ensure(wanted)
    s = AssessmentSummary.__table__.c
    where = revision_filter(s, tree, wanted)
    if where is None:
        return []
    keys = [s.revision_id, s.level, s.not_rated]
    return list(db.session.execute(select(*keys, func.sum(s.people)).where(where).group_by(*keys)))
