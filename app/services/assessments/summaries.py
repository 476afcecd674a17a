"""Summaries of stored revisions (`assessment_summaries`, see the model): per unit of the revision's tree,
its subtree's and its own people's counts, quota use, exact sums and rounded means. Written by the run
when it stores a revision (`write`, from the rows it has in memory) and, for a revision stored before
this table existed, by the first dashboard that needs it (`ensure`). Flush only: the caller commits.

Exact sums are kept as numerators per denominator while adding (integer additions), turned into one
Fraction per summary at the end; the quota's allowance is counted per quota group with the ruleset's
own rule (`quota_use`)."""

from __future__ import annotations

import hashlib
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from fractions import Fraction
from operator import itemgetter

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models import AssessmentResult, AssessmentRevision, AssessmentSummary
from ...models.summaries import OWN, SUBTREE
from . import engine, quota_use

CHUNK = 2000
NOT_RATED = "Không xếp loại"
SCORE = ""  # the score's entry among the sums and means
_COLUMNS = ("unit_id", "duty_group", "version_id", "level", "level_before_quota", "not_rated", "score_text",
            "criteria")  # fmt: skip


class _Acc:
    """What one summary adds up: people, levels, quota [kept, moved down, allowed], exact sums as
    {code: {denominator: numerator}} with counts."""

    __slots__ = ("people", "levels", "quota", "sums", "counts")

    def __init__(self):
        self.people = 0
        self.levels: Counter = Counter()
        self.quota: dict[str, list] = {}
        self.sums: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        self.counts: Counter = Counter()

    def add(self, other: _Acc) -> None:
        self.people += other.people
        self.levels.update(other.levels)
        for level, (kept, down, allowed) in other.quota.items():
            mine = self.quota.setdefault(level, [0, 0, 0])
            mine[0] += kept
            mine[1] += down
            mine[2] = None if mine[2] is None or allowed is None else mine[2] + allowed
        for code, parts in other.sums.items():
            mine = self.sums[code]
            for den, num in parts.items():
                mine[den] += num
        self.counts.update(other.counts)

    def data(self) -> tuple[dict, dict]:
        from ...tabular.writers import round_decimal

        totals = {code: _total(parts) for code, parts in self.sums.items()}
        return {
            "levels": dict(self.levels),
            "quota": {level: list(v) for level, v in self.quota.items()},
            "means": {code: str(round_decimal(t / self.counts[code], 2)) for code, t in sorted(totals.items())
                      if self.counts[code]},
        }, {code: [t.numerator, t.denominator, self.counts[code]] for code, t in sorted(totals.items())}  # fmt: skip


def _total(parts: dict[int, int]) -> Fraction:
    """{denominator: numerator} added up exactly with integers (one Fraction at the end)."""
    common = math.lcm(*parts)
    return Fraction(sum(num * (common // den) for den, num in parts.items()), common)


def _parse(text: str, memo: dict) -> tuple[int, int]:
    """(numerator, denominator) of an exact value text ("97.5" -> (975, 10), "2923/30"), not reduced."""
    got = memo.get(text)
    if got is None:
        whole, dot, frac = text.partition(".")
        if dot and "/" not in text and whole.lstrip("-").isdigit() and frac.isdigit():
            got = (int(whole + frac), 10 ** len(frac))
        else:
            f = Fraction(text)
            got = (f.numerator, f.denominator)
        memo[text] = got
    return got


def _base(rows: Iterable) -> tuple[dict[tuple, _Acc], dict[tuple, Counter]]:
    """Accumulators per (unit, duty group, version), and the levels before the quota per group. Each
    distinct value text is counted first, parsed once and multiplied by its count."""
    base: dict[tuple, _Acc] = {}
    texts: dict[tuple, Counter] = defaultdict(Counter)  # (base key, code) -> value text -> people
    before: dict[tuple, Counter] = defaultdict(Counter)
    columns = itemgetter(*_COLUMNS)
    for r in rows:
        unit_id, group, version_id, level, lbq, not_rated, score, criteria = columns(r)
        key = (unit_id, group, version_id)
        acc = base.get(key)
        if acc is None:
            acc = base[key] = _Acc()
        acc.people += 1
        if not_rated or not level:
            acc.levels[NOT_RATED] += 1
        else:
            acc.levels[level] += 1
            before[key][lbq] += 1
        if score:
            texts[(key, SCORE)][score] += 1
        for code, text in (criteria or {}).items():
            texts[(key, code)][text] += 1
    memo: dict[str, tuple[int, int]] = {}
    for (key, code), counted in texts.items():
        acc = base[key]
        parts = acc.sums[code]
        for text, n in counted.items():
            if isinstance(text, str) and text:
                num, den = _parse(text, memo)
                parts[den] += num * n
                acc.counts[code] += n
    return base, before


def _quota(base: dict[tuple, _Acc], before: dict[tuple, Counter]) -> None:
    """Each base accumulator's quota use; the allowance per quota group (unit and duty group, or unit:
    then the unit's first group carries it), None when the ruleset groups otherwise."""
    rules = {vid: quota_use.rules_of(engine.version_program(vid)[1]) for vid in {k[2] for k in base}}
    for (unit_id, group, vid), acc in base.items():
        counts = before.get((unit_id, group, vid), Counter())
        for rule in rules[vid]:
            kept = acc.levels.get(rule.level, 0)
            down = sum(n for lbq, n in counts.items() if lbq == rule.level) - kept
            allowed = quota_use.allowed(rule, counts) if rule.fields == ("unit_id", "duty_group") else None
            acc.quota[rule.level] = [kept, max(down, 0), allowed]
    # a quota per unit only: the unit's first accumulator carries the allowance (dashboards show it per
    # unit; the per-group summaries of such a ruleset then say nothing of the allowance)
    per_unit: dict[tuple, list] = defaultdict(list)  # (unit, version) -> [accumulators, levels before]
    for (unit_id, group, vid), acc in base.items():
        got = per_unit[(unit_id, vid)]
        if not got:
            got.extend(([], Counter()))
        got[0].append(acc)
        got[1].update(before.get((unit_id, group, vid), Counter()))
    for (_unit_id, vid), (accs, counts) in per_unit.items():
        for rule in (r for r in rules[vid] if r.fields == ("unit_id",)):
            for i, acc in enumerate(accs):
                acc.quota[rule.level][2] = quota_use.allowed(rule, counts) if i == 0 else 0


def summarise(rows: Iterable, ancestors) -> list[dict]:
    """Summary rows (without revision id) of result rows (mappings with the stored columns);
    `ancestors(unit_id)` lists the unit and the units above it within the revision's tree."""
    base, before = _base(rows)
    _quota(base, before)
    out: dict[tuple, _Acc] = defaultdict(_Acc)
    for (unit_id, group, _vid), acc in base.items():
        out[(unit_id, OWN, None)].add(acc)
        out[(unit_id, OWN, group)].add(acc)
        for above in ancestors(unit_id):
            out[(above, SUBTREE, None)].add(acc)
            out[(above, SUBTREE, group)].add(acc)
    return [
        {"key": hashlib.sha1(repr(key).encode()).hexdigest(), "unit_id": key[0], "scope": key[1],
         "duty_group": key[2], "people": acc.people, **dict(zip(("data", "sums"), acc.data(), strict=True))}
        for key, acc in out.items()
    ]  # fmt: skip


def _ancestors_within(root_id: int):
    from ..scope import UnitTree

    tree = UnitTree()

    def ancestors(unit_id: int) -> list[int]:
        chain = tree.ancestors(unit_id)
        return chain[: chain.index(root_id) + 1] if root_id in chain else chain[:1]

    return ancestors


def write(revision_id: int, rows: Iterable, root_id: int) -> None:
    """Store the summary of a revision (of an assessment of `root_id`) from its result rows."""
    summary = [{**s, "revision_id": revision_id} for s in summarise(rows, _ancestors_within(root_id))]
    for start in range(0, len(summary), CHUNK):
        db.session.execute(insert(AssessmentSummary.__table__), summary[start : start + CHUNK])


def ensure(revisions: dict[int, int]) -> None:
    """Summarise the revisions (id -> the assessment's root unit) that have no summary yet, from their
    stored results."""
    wanted = sorted(revisions)
    if not wanted:
        return
    s, r = AssessmentSummary.__table__.c, AssessmentRevision.__table__.c
    summarised = select(s.revision_id).where(s.revision_id == r.id).exists()  # one index probe each
    done = set(db.session.scalars(select(r.id).where(r.id.in_(wanted), summarised)))
    t = AssessmentResult.__table__.c
    for revision_id in (r for r in wanted if r not in done):
        results = db.session.execute(select(*(t[n] for n in _COLUMNS)).where(t.revision_id == revision_id))
        try:
            with db.session.begin_nested():  # another request may be filling the same revision
                write(revision_id, results.mappings(), revisions[revision_id])
        except IntegrityError:
            continue  # it did: its rows are there now
