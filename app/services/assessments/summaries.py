"""Summaries of stored revisions (`assessment_summaries`, see the model): per unit of the revision's tree,
its subtree's and its own people's counts, quota use, exact sums and rounded means. Written by the run
when it stores a revision (`write`, from the rows it has in memory) and, for a revision stored before
this table existed, by the first dashboard that needs it (`ensure`). Flush only: the caller commits.

Array arithmetic, no object per person and summary (50,000 results, 12,500 summaries: about 0.3 s):
the results are counted into bases (unit, duty group, version) with `np.bincount`, each base's figures
added into every summary it belongs to with `np.add.at`. Exact sums are integer numerators per
denominator (each distinct value text parsed once), in int64 when no sum can overflow it and as Python
integers otherwise; one numerator over the code's common denominator per summary at the end, reduced
by its gcd. The quota's allowance is counted per quota group with the ruleset's own rule (`quota_use`)."""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

import numpy as np
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models import AssessmentResult, AssessmentRevision, AssessmentSummary
from ...models.summaries import OWN, SUBTREE
from . import engine, quota_use
from .copy_text import CopyText

CHUNK = 2000
NOT_RATED = "Không xếp loại"
SCORE = ""  # the score's entry among the sums and means
_COLUMNS = ("unit_id", "duty_group", "version_id", "level", "level_before_quota", "not_rated", "score_text",
            "criteria")  # fmt: skip
_SAFE = 2**62  # int64 sums below this cannot overflow


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


def _indexes(values: list) -> tuple[list, np.ndarray]:
    """(distinct values in order of appearance, each value's index among them)."""
    distinct = list(dict.fromkeys(values))
    position = {v: i for i, v in enumerate(distinct)}
    return distinct, np.fromiter(map(position.__getitem__, values), np.int64, len(values))


def _counts(base: np.ndarray, index: np.ndarray, n_base: int, n: int) -> np.ndarray:
    """[base, value] -> how many rows of the base have the value."""
    return np.bincount(base * n + index, minlength=n_base * n).reshape(n_base, n)


class _Bases:
    """The results counted per (unit, duty group, version): people, levels, levels before the quota,
    and per value code (the score, each criterion) whether any row has it, how many have a value and
    the exact sum of the values as {denominator: numerators per base}."""

    def __init__(self, rows: list):
        n = len(rows)
        col = {name: [r[name] for r in rows] for name in _COLUMNS}
        self.keys, self.of = _indexes(
            list(zip(col["unit_id"], col["duty_group"], col["version_id"], strict=True))
        )
        nb = len(self.keys)
        self.people = np.bincount(self.of, minlength=nb)
        rated = [not nr and bool(lv) for nr, lv in zip(col["not_rated"], col["level"], strict=True)]
        labels = [lv if ok else NOT_RATED for lv, ok in zip(col["level"], rated, strict=True)]
        self.level_names, li = _indexes(labels)
        self.levels = _counts(self.of, li, nb, len(self.level_names))
        self.first = np.full(self.levels.shape, n, dtype=np.int64)  # [base, level] -> its first row
        np.minimum.at(self.first, (self.of, li), np.arange(n))
        mask = np.fromiter(rated, bool, n)
        self.before_names, bi = _indexes(
            [b for b, ok in zip(col["level_before_quota"], rated, strict=True) if ok]
        )
        self.before = _counts(self.of[mask], bi, nb, len(self.before_names))
        criteria = [c or {} for c in col["criteria"]]
        codes = {SCORE: None, **dict.fromkeys(k for c in criteria for k in c)}
        self.values = {}  # code -> (present [base], counted [base], {den: sums [base]})
        memo: dict[str, tuple[int, int]] = {}
        for code in codes:
            if code == SCORE:
                texts = col["score_text"]
                present = np.bincount(self.of[np.fromiter(map(bool, texts), bool, n)], minlength=nb) > 0
            else:
                texts = [c.get(code) for c in criteria]
                has = np.fromiter((code in c for c in criteria), bool, n)
                present = np.bincount(self.of[has], minlength=nb) > 0
            self.values[code] = (present, *self._sums(texts, memo, nb))

    def _sums(self, texts: list, memo: dict, nb: int):
        distinct, ti = _indexes(texts)
        parsed = [_parse(t, memo) if isinstance(t, str) and t else None for t in distinct]
        valid = np.fromiter((p is not None for p in parsed), bool, len(parsed))[ti]
        counted = np.bincount(self.of[valid], minlength=nb)
        sums: dict[int, np.ndarray] = {}
        nums = [p[0] if p else 0 for p in parsed]
        big = max(map(abs, nums), default=0) * max(len(texts), 1) >= _SAFE
        for den in sorted({p[1] for p in parsed if p}):
            pick = np.fromiter((p is not None and p[1] == den for p in parsed), bool, len(parsed))[ti]
            total = np.zeros(nb, dtype=object if big else np.int64)
            values = np.array(nums, dtype=object if big else np.int64)[ti[pick]]
            np.add.at(total, self.of[pick], values)
            sums[den] = total
        return counted, sums

    def quota(self) -> tuple[list[str], np.ndarray, np.ndarray]:
        """(quota levels, [base, level, kept / moved down / allowed] numbers, [base, level, has / allowed
        unknown] flags). The allowance per quota group (unit and duty group, or unit: then the unit's first
        group carries it), unknown when the ruleset groups otherwise."""
        rules = {vid: quota_use.rules_of(engine.version_program(vid)[1]) for vid in {k[2] for k in self.keys}}
        level_at = {name: i for i, name in enumerate(self.level_names)}
        before_of: list[Counter] = [Counter() for _ in self.keys]
        for b, j in zip(*np.nonzero(self.before), strict=True):
            before_of[b][self.before_names[j]] = int(self.before[b, j])
        allowed = _Allowed()
        per_base: list[dict[str, list]] = []
        for b, (_unit_id, _group, vid) in enumerate(self.keys):
            counts, mine = before_of[b], {}
            for rule in rules[vid]:
                kept = int(self.levels[b, level_at[rule.level]]) if rule.level in level_at else 0
                down = counts.get(rule.level, 0) - kept
                share = allowed(rule, counts) if rule.fields == ("unit_id", "duty_group") else None
                mine[rule.level] = [kept, max(down, 0), share]
            per_base.append(mine)
        # a quota per unit only: the unit's first base carries the allowance (dashboards show it per unit;
        # the per-group summaries of such a ruleset then say nothing of the allowance)
        per_unit: dict[tuple, list[int]] = defaultdict(list)
        for b, (unit_id, _group, vid) in enumerate(self.keys):
            per_unit[(unit_id, vid)].append(b)
        for (_unit_id, vid), bases in per_unit.items():
            unit_rules = [r for r in rules[vid] if r.fields == ("unit_id",)]
            if not unit_rules:
                continue
            counts = sum((before_of[b] for b in bases), Counter())
            for rule in unit_rules:
                for i, b in enumerate(bases):
                    per_base[b][rule.level][2] = allowed(rule, counts) if i == 0 else 0
        names = list(dict.fromkeys(level for mine in per_base for level in mine))
        numbers = np.zeros((len(self.keys), len(names), 3), dtype=np.int64)
        flags = np.zeros((len(self.keys), len(names), 2), dtype=bool)
        at = {name: i for i, name in enumerate(names)}
        for b, mine in enumerate(per_base):
            for level, (kept, down, share) in mine.items():
                numbers[b, at[level]] = (kept, down, share or 0)
                flags[b, at[level]] = (True, share is None)
        return names, numbers, flags


class _Allowed(dict):
    """quota_use.allowed, once per rule and levels before the quota."""

    def __call__(self, rule, counts: Counter) -> int:
        key = (id(rule), tuple(sorted(counts.items(), key=repr)))
        got = self.get(key)
        if got is None:
            got = self[key] = quota_use.allowed(rule, counts)
        return got


def _targets(keys: list[tuple], ancestors) -> tuple[list[tuple], np.ndarray, np.ndarray]:
    """(summary keys (unit, scope, duty group or None) in order of appearance, base and summary index of
    each pair where a base adds into a summary)."""
    index: dict[tuple, int] = {}
    sources, targets = [], []
    for b, (unit_id, group, _vid) in enumerate(keys):
        wanted = [(unit_id, OWN, None), (unit_id, OWN, group)]
        for above in ancestors(unit_id):
            wanted += [(above, SUBTREE, None), (above, SUBTREE, group)]
        for key in wanted:
            sources.append(b)
            targets.append(index.setdefault(key, len(index)))
    return list(index), np.array(sources, dtype=np.int64), np.array(targets, dtype=np.int64)


def _added(values: np.ndarray, sources: np.ndarray, targets: np.ndarray, n: int) -> np.ndarray:
    """Per-base values (first axis) added up per summary."""
    out = np.zeros((n, *values.shape[1:]), dtype=values.dtype)
    np.add.at(out, targets, values[sources])
    return out


def _level_order(bases: _Bases, sources: np.ndarray, targets: np.ndarray, n: int) -> np.ndarray:
    """[summary] -> the level indexes in the order a summary met them: its bases in order, each base's
    levels in the order of their first row (the order the stored JSON has always had)."""
    nb, nl = bases.levels.shape
    rows = len(bases.of)
    holder = np.where(bases.first < rows, np.arange(nb)[:, None], nb)  # [base, level] -> base, or nb
    first_base = np.full((n, nl), nb, dtype=np.int64)
    np.minimum.at(first_base, targets, holder[sources])
    at = np.where(first_base < nb, bases.first[np.minimum(first_base, nb - 1), np.arange(nl)], rows)
    return np.argsort(first_base * (rows + 1) + at, axis=1, kind="stable")


def _mean_text(num: int, den: int, count: int, memo: dict) -> str:
    """The mean num / den / count rounded half-up (away from zero) to 2 decimals, as
    `writers.round_decimal` writes it."""
    n, d = num * 100, den * count
    q = (2 * abs(n) + d) // (2 * d)
    q = q if n >= 0 else -q
    text = memo.get(q)
    if text is None:
        text = memo[q] = str(Decimal(q).scaleb(-2))
    return text


def summarise(rows: Iterable, ancestors) -> list[dict]:
    """Summary rows (without revision id) of result rows (mappings with the stored columns);
    `ancestors(unit_id)` lists the unit and the units above it within the revision's tree."""
    rows = rows if isinstance(rows, list) else list(rows)
    if not rows:
        return []
    bases = _Bases(rows)
    keys, sources, targets = _targets(bases.keys, ancestors)
    n = len(keys)
    people = _added(bases.people, sources, targets, n).tolist()
    levels = _added(bases.levels, sources, targets, n).tolist()
    level_order = _level_order(bases, sources, targets, n).tolist()
    quota_names, numbers, flags = bases.quota()
    quota = _added(numbers, sources, targets, n).tolist()
    quota_flags = _added(flags.astype(np.int64), sources, targets, n) > 0
    has, unknown = quota_flags[:, :, 0].tolist(), quota_flags[:, :, 1].tolist()
    per_code = {}  # code -> (present, counted, numerator, denominator) per summary
    for code, (present, counted, sums) in sorted(bases.values.items()):
        common = math.lcm(*sums) if sums else 1
        total = np.zeros(n, dtype=object)
        for den, base_sums in sums.items():
            total += _added(base_sums, sources, targets, n).astype(object) * (common // den)
        divisor = np.gcd(total, common)
        per_code[code] = (
            (_added(present.astype(np.int64), sources, targets, n) > 0).tolist(),
            _added(counted, sources, targets, n).tolist(),
            (total // divisor).tolist(),
            (common // divisor).tolist(),
        )
    out, memo = [], {}
    for t, key in enumerate(keys):
        means, code_sums = {}, {}
        for code, (present, counted, num, den) in per_code.items():
            if present[t]:
                code_sums[code] = [num[t], den[t], counted[t]]
                if counted[t]:
                    means[code] = _mean_text(num[t], den[t], counted[t], memo)
        data = {
            "levels": {bases.level_names[i]: levels[t][i] for i in level_order[t] if levels[t][i]},
            "quota": {name: [q[0], q[1], None if unknown[t][i] else q[2]]
                      for i, (name, q) in enumerate(zip(quota_names, quota[t], strict=True)) if has[t][i]},
            "means": means,
        }  # fmt: skip
        out.append({"key": hashlib.sha1(repr(key).encode()).hexdigest(), "unit_id": key[0], "scope": key[1],
                    "duty_group": key[2], "people": people[t], "data": data, "sums": code_sums})  # fmt: skip
    return out


def _ancestors_within(root_id: int):
    from ..scope import UnitTree

    tree = UnitTree()

    def ancestors(unit_id: int) -> list[int]:
        chain = tree.ancestors(unit_id)
        return chain[: chain.index(root_id) + 1] if root_id in chain else chain[:1]

    return ancestors


# the JSON columns last: JSON text escapes tabs and line breaks itself, COPY needs its backslashes doubled
_NAMES = ("revision_id", "key", "unit_id", "scope", "duty_group", "people", "data", "sums")


def write(revision_id: int, rows: Iterable, root_id: int) -> None:
    """Store the summary of a revision (of an assessment of `root_id`) from its result rows: COPY text on
    PostgreSQL (the JSON as the dialect's serializer writes it), executemany elsewhere."""
    summary = [{**s, "revision_id": revision_id} for s in summarise(rows, _ancestors_within(root_id))]
    conn = db.session.connection()
    if conn.dialect.name != "postgresql" or not summary:
        for start in range(0, len(summary), CHUNK):
            db.session.execute(insert(AssessmentSummary.__table__), summary[start : start + CHUNK])
        return
    dumps = getattr(conn.dialect, "_json_serializer", None) or json.dumps
    field = CopyText.field
    lines = [
        "\t".join([*(field(s[name]) for name in _NAMES[:-2]),
                   dumps(s["data"]).replace("\\", "\\\\"), dumps(s["sums"]).replace("\\", "\\\\")])
        for s in summary
    ]  # fmt: skip
    cursor = conn.connection.dbapi_connection.cursor()
    with cursor.copy(f"COPY assessment_summaries ({', '.join(_NAMES)}) FROM STDIN") as copy:
        for start in range(0, len(lines), CHUNK):
            copy.write("\n".join(lines[start : start + CHUNK]) + "\n")


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
