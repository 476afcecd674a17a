"""Summaries of stored revisions (`assessment_summaries`): the results of a revision counted per
(person's unit, duty group, version, level after and before the quota, not rated), with the exact sums
of the score and of each criterion. What the dashboards read instead of every result row.

Written by the run when it stores a revision (`write`, from the rows it has in memory) and, for a
revision stored before this table existed, by the first dashboard that needs it (`ensure`). Flush only:
the caller commits. A revision's computed columns never change, so neither does its summary."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from fractions import Fraction

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models import AssessmentResult, AssessmentSummary
from .values import exact_text

CHUNK = 2000
_GROUP = ("unit_id", "duty_group", "version_id", "level", "level_before_quota", "not_rated")


def summarise(rows: Iterable[dict]) -> list[dict]:
    """Summary rows (without revision id) of result rows (dicts with the stored columns)."""
    groups: dict[tuple, list] = {}
    for r in rows:
        key = tuple(r[n] for n in _GROUP)
        g = groups.get(key)
        if g is None:
            g = groups[key] = [0, Counter(), {}]  # people, score texts, criterion -> texts
        g[0] += 1
        if r["score_text"]:
            g[1][r["score_text"]] += 1
        for code, text in (r["criteria"] or {}).items():
            if isinstance(text, str) and text:
                g[2].setdefault(code, Counter())[text] += 1
    values: dict[str, Fraction] = {}
    out = []
    for key, (people, scores, criteria) in groups.items():
        row = dict(zip(_GROUP, key, strict=True))
        row["key"] = hashlib.sha1(repr(key).encode()).hexdigest()
        row["people"] = people
        row["scored"] = sum(scores.values())
        row["score_sum"] = exact_text(_sum(scores, values))
        row["criteria"] = {
            c: [exact_text(_sum(t, values)), sum(t.values())] for c, t in sorted(criteria.items())
        }
        out.append(row)
    return out


def _sum(texts: Counter, values: dict[str, Fraction]) -> Fraction:
    total = Fraction(0)
    for text, n in texts.items():
        v = values.get(text)
        if v is None:
            v = values[text] = Fraction(text)
        total += v * n
    return total


def write(revision_id: int, rows: Iterable[dict]) -> None:
    """Store the summary of a revision from its result rows (the run's, still in memory)."""
    summary = [{**s, "revision_id": revision_id} for s in summarise(rows)]
    for start in range(0, len(summary), CHUNK):
        db.session.execute(insert(AssessmentSummary.__table__), summary[start : start + CHUNK])


def ensure(revision_ids: Iterable[int]) -> None:
    """Summarise the revisions that have no summary yet, from their stored results."""
    wanted = sorted(set(revision_ids))
    if not wanted:
        return
    s = AssessmentSummary.__table__.c
    done = set(db.session.scalars(select(s.revision_id).where(s.revision_id.in_(wanted)).distinct()))
    t = AssessmentResult.__table__.c
    columns = [t[n] for n in (*_GROUP, "score_text", "criteria")]
    for revision_id in (r for r in wanted if r not in done):
        results = db.session.execute(select(*columns).where(t.revision_id == revision_id)).mappings()
        try:
            with db.session.begin_nested():  # another request may be filling the same revision
                write(revision_id, results)
        except IntegrityError:
            continue  # it did: its rows are there now
