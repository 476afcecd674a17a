"""Result rows and block snapshots of a computed run; comparison with the current revision; the bulk
write of a new revision (flushed, never committed: the caller owns the one commit)."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction

import numpy as np
from sqlalchemy import insert, select

from ...extensions import db
from ...models import AssessmentResult, AssessmentRevision, AssessmentSnapshot
from . import snapshot
from .changes import describe, result_key, why
from .compute import Computed
from .copy_text import CopyText
from .driver_rows import raw_rows
from .values import exact_text, score_decimal, stored

CHUNK = 5000
JSON_COLUMNS = ("criteria", "vetoes", "outputs")


class _Texts(dict):
    """Fraction -> exact text, each distinct value converted once (keyed by numerator and denominator:
    cheaper to hash than a Fraction)."""

    def of(self, value) -> str:
        key = (value.numerator, value.denominator)
        text = self.get(key)
        if text is None:
            text = self[key] = exact_text(value)
        return text


def result_rows(c: Computed) -> dict[str, dict]:
    """code -> the stored columns of its result (without ids of revision and snapshot)."""
    rows = {}
    of = _Texts().of
    for m in c.members:
        r = c.results.get(m.code)
        if r is None:
            continue
        lbq, level = r.level_before_quota, r.level
        score_text = of(r.score) if r.score is not None else ""
        note = f'Bị hạ do hạn mức: "{lbq}" → "{level}"' if lbq is not None and level != lbq else ""
        rows[m.code] = {
            "person_id": m.person_id, "person_code": m.code, "person_name": m.name, "unit_id": m.unit_id,
            "unit_code": m.unit_code, "duty_group": m.duty_group, "manager_code": m.manager_code,
            "version_id": m.version_id,
            "score": _decimal(score_text), "score_text": score_text,
            "level": level, "level_before_quota": lbq, "not_rated": bool(r.not_rated),
            "criteria": {k: of(v) for k, v in sorted(r.criteria.items())},
            "vetoes": list(r.vetoes), "outputs": {k: stored(v) for k, v in sorted(r.outputs.items())},
            "quota_note": note,
        }  # fmt: skip
        rows[m.code]["result_key"] = result_key(rows[m.code])
    return rows


def _decimal(text: str):
    if not text:
        return None
    return Decimal(text) if "/" not in text else score_decimal(Fraction(text))


def blocks(c: Computed, only: set[int] | None = None) -> dict[int, tuple[str, bytes]]:
    """block unit id -> (digest, compressed snapshot) of its people, tasks and inputs (of the blocks in
    `only`, when given)."""
    members_of: dict[int, list[int]] = defaultdict(list)
    for i, m in enumerate(c.members):
        if only is None or m.block_id in only:
            members_of[m.block_id].append(i)
    out = {}
    order = np.argsort(c.owner, kind="stable")
    starts = np.searchsorted(c.owner[order], np.arange(len(c.members) + 1))
    for block_id, indexes in members_of.items():
        picked = np.concatenate([order[starts[i] : starts[i + 1]] for i in indexes]) if indexes else []
        picked = np.asarray(picked, dtype=np.int64)
        people = [
            {"id": m.person_id, "code": m.code, "name": m.name, "unit": m.unit_code, "unit_id": m.unit_id,
             "post": m.post, "leader": m.leader, "group": m.duty_group, "manager": m.manager_code,
             "version": m.version_id}
            for m in (c.members[i] for i in indexes)
        ]  # fmt: skip
        columns = {k: v[picked] for k, v in c.columns.items() if k != "mã_cán_bộ"}
        task_codes = c.columns["mã_cán_bộ"][picked]
        inputs = {
            c.members[i].code: c.inputs[c.members[i].code] for i in indexes if c.members[i].code in c.inputs
        }
        out[block_id] = snapshot.encode(people, task_codes, columns, c.dates, inputs)
    return out


def digest_of(encoded: dict[int, tuple[str, bytes]]) -> str:
    h = hashlib.sha256()
    for block_id in sorted(encoded):
        h.update(f"{block_id}:{encoded[block_id][0]};".encode())
    return h.hexdigest()


def current_rows(revision: AssessmentRevision | None) -> dict[str, dict]:
    if revision is None:
        return {}
    t = AssessmentResult.__table__.c
    names = ["person_code", "score_text", "level", "level_before_quota", "not_rated", "version_id", "snapshot_id",
             "result_key"]  # fmt: skip
    query = select(*(t[n] for n in names)).where(t.revision_id == revision.id)
    return {r[0]: dict(zip(names, r, strict=True)) for r in raw_rows(query)}


def changes(old: dict[str, dict], new: dict[str, dict], encoded, c: Computed) -> list[dict]:
    """Who changed score or level (or appeared, or left) and why."""
    changed = [code for code in sorted(set(old) | set(new)) if
               (code in old) != (code in new) or old[code]["result_key"] != new[code]["result_key"]]  # fmt: skip
    if not changed:
        return []
    block_of = {m.code: m.block_id for m in c.members}
    old_blocks: dict[int, snapshot.Block] = {}
    ids = {old[code]["snapshot_id"] for code in changed if code in old}
    if ids:
        t = AssessmentSnapshot.__table__.c
        for sid, data in db.session.execute(select(t.id, t.data).where(t.id.in_(sorted(ids)))):
            old_blocks[sid] = snapshot.decode(data)
    new_blocks: dict[int, snapshot.Block] = {}
    labels = _VersionLabels()
    out = []
    for code in changed:
        before, after = old.get(code), new.get(code)
        old_block = old_blocks.get(before["snapshot_id"]) if before else None
        new_block = None
        if code in block_of:
            bid = block_of[code]
            if bid not in new_blocks:
                new_blocks[bid] = snapshot.decode(encoded[bid][1])
            new_block = new_blocks[bid]
        out.append(
            {
                "person": code,
                "change": describe(before, after),
                "why": why(code, old_block, new_block, labels),
            }
        )
    return out


class _VersionLabels(dict):
    """version id -> "CODE phiên bản N", read once per id."""

    def __missing__(self, version_id):
        from ...models import RulesetVersion

        v = db.session.get(RulesetVersion, version_id) if version_id is not None else None
        label = self[version_id] = (
            f"{v.ruleset.code} phiên bản {v.version}" if v is not None else str(version_id)
        )
        return label


def write(assessment, number: int, rows: dict[str, dict], encoded, c: Computed, *, user, reason, digest,
          versions, change_list, uncovered) -> AssessmentRevision:  # fmt: skip
    revision = AssessmentRevision(
        assessment_id=assessment.id, number=number, reason=reason, created_by_id=user.id if user else None,
        unchanged=False, digest=digest, people=len(rows), versions=versions, changes=change_list,
        uncovered=uncovered,
    )  # fmt: skip
    db.session.add(revision)
    db.session.flush()
    snapshot_ids = _snapshots(assessment.id, encoded)
    block_of = {m.code: m.block_id for m in c.members}
    ids = {"assessment_id": assessment.id, "revision_id": revision.id}
    _insert_results(rows, ids, {code: snapshot_ids[block_of[code]] for code in rows})
    return revision


def _insert_results(rows: dict[str, dict], ids: dict[str, int], snapshot_of: dict[str, int]) -> None:
    """Bulk insert in the session's transaction: COPY text built by joins on PostgreSQL (see
    `copy_text`), executemany elsewhere."""
    table = AssessmentResult.__table__
    conn = db.session.connection()
    if conn.dialect.name != "postgresql" or not rows:
        values = [{**row, **ids, "snapshot_id": snapshot_of[code]} for code, row in rows.items()]
        for start in range(0, len(values), CHUNK):
            db.session.execute(insert(table), values[start : start + CHUNK])
        return
    names = [c.name for c in table.columns if c.name != "id"]
    constant = {**ids, "decided_level": None, "decided_reason": "", "decided_by_id": None, "decided_at": None,
                "provisional": False}  # fmt: skip
    fmt = CopyText()
    listed = list(rows.values())
    columns = []
    for name in names:
        if name in constant:
            columns.append([fmt.field(constant[name])] * len(listed))
        elif name == "snapshot_id":
            columns.append([str(snapshot_of[code]) for code in rows])
        else:
            values = [row[name] for row in listed]
            columns.append(fmt.column([fmt.json(v) for v in values] if name in JSON_COLUMNS else values))
    cursor = conn.connection.dbapi_connection.cursor()
    with cursor.copy(f"COPY assessment_results ({', '.join(names)}) FROM STDIN") as copy:
        lines = list(map("\t".join, zip(*columns, strict=True)))
        for start in range(0, len(lines), CHUNK):
            copy.write("\n".join(lines[start : start + CHUNK]) + "\n")


def _snapshots(assessment_id: int, encoded) -> dict[int, int]:
    """block id -> snapshot id, inserting the blocks whose digest is not stored yet."""
    t = AssessmentSnapshot.__table__.c
    known = {
        (b, d): i
        for i, b, d in db.session.execute(
            select(t.id, t.block_unit_id, t.digest).where(t.assessment_id == assessment_id)
        )
    }
    fresh = [
        {"assessment_id": assessment_id, "block_unit_id": b, "digest": d, "data": data}
        for b, (d, data) in encoded.items()
        if (b, d) not in known
    ]
    for start in range(0, len(fresh), 500):
        db.session.execute(insert(AssessmentSnapshot.__table__), fresh[start : start + 500])
    if fresh:
        known = {
            (b, d): i
            for i, b, d in db.session.execute(
                select(t.id, t.block_unit_id, t.digest).where(t.assessment_id == assessment_id)
            )
        }
    return {b: known[(b, d)] for b, (d, _) in encoded.items()}
