"""Outputs at a decided level: when the competent leader decides a level other than the computed one,
the ruleset's outputs (the Đà Nẵng income coefficient and floor…) follow the decision. They are
evaluated again by the pinned version from the result's stored snapshot, with the decided level as the
final one (`Program.outputs_at_level`): never copied from somebody else's result."""

from __future__ import annotations

import zlib

from sqlalchemy import select

from ...extensions import db
from ...models import Assessment, AssessmentSnapshot
from ..errors import ServiceError
from . import engine, snapshot
from .values import stored


def outputs_at_decided_level(results) -> dict[int, dict | str]:
    """result id -> its outputs (stored form: exact text…) at its decided level, or a Vietnamese reason
    why they cannot be evaluated, for stored AssessmentResults carrying a decision."""
    from .explain import rederive

    chosen = [r for r in results if r.decided_level]
    if not chosen:
        return {}
    snapshots = dict(
        db.session.execute(
            select(AssessmentSnapshot.id, AssessmentSnapshot.data).where(
                AssessmentSnapshot.id.in_(sorted({r.snapshot_id for r in chosen}))
            )
        ).all()
    )
    periods = dict(
        db.session.execute(
            select(Assessment.id, Assessment.period).where(
                Assessment.id.in_(sorted({r.assessment_id for r in chosen}))
            )
        ).all()
    )
    out: dict[int, dict | str] = {}
    for r in chosen:
        try:
            _, program = engine.version_program(r.version_id)
            block = snapshot.decode(snapshots[r.snapshot_id])
            _, states = rederive(r, block, program, periods[r.assessment_id], explain=False)
            outputs = program.outputs_at_level(states[r.person_code], r.decided_level)
        except ServiceError as exc:
            out[r.id] = exc.message
            continue
        except (ValueError, zlib.error):  # a snapshot that does not decode: never guess
            out[r.id] = "không đọc được bản lưu dữ liệu đầu vào của kết quả"
            continue
        out[r.id] = {name: stored(value) for name, value in sorted(outputs.items())}
    return out
