"""Test helpers: people in the test units, the shipped national rulesets, and monthly results stored
directly as a run would store them (assessment, revision, snapshot, results)."""

from __future__ import annotations

import hashlib
import zlib
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]


def add_people(session, units, rows):
    """rows: (code, name, unit code, leader, manager code or "")."""
    from app.models import Person

    made = {}
    for code, name, unit, leader, manager in rows:
        made[code] = Person(code=code, full_name=name, unit=units[unit], is_leader=leader,
                            manager=made.get(manager), category="công chức")  # fmt: skip
        session.add(made[code])
    session.flush()
    return made


def load_national(session, names=("nd-335-2025.kpi", "nd-335-2025-nam.kpi")):
    """Publish the named national rulesets (only those: each one runs its embedded tests)."""
    import shutil
    import tempfile

    from app.services.loader import load_shipped

    with tempfile.TemporaryDirectory() as tmp:
        national = Path(tmp) / "quoc-gia"
        national.mkdir()
        for name in names:
            shutil.copy(ROOT / "rulesets" / "quoc-gia" / name, national / name)
        report = load_shipped(tmp)
    session.flush()
    return report


def version_of(session, code: str):
    from app.models import Ruleset, RulesetVersion

    return session.scalars(
        session.query(RulesetVersion).join(Ruleset).filter(Ruleset.code == code).order_by(RulesetVersion.version.desc()).statement
    ).first()  # fmt: skip


def store_period(session, unit, period: str, version, results, *, status="computed", revision=1):
    """results: (person, score text or None, level or None, criteria dict, outputs dict)."""
    from app.models import Assessment, AssessmentPin, AssessmentResult, AssessmentRevision, AssessmentSnapshot

    kind = "năm" if len(period) == 4 else ("quý" if "-Q" in period else "tháng")
    assessment = session.query(Assessment).filter_by(unit_id=unit.id, period=period).one_or_none()
    if assessment is None:
        assessment = Assessment(unit_id=unit.id, period=period, period_kind=kind, status=status)
        session.add(assessment)
        session.flush()
        session.add(AssessmentPin(assessment_id=assessment.id, version_id=version.id, sha256=version.sha256))
    assessment.status = status
    assessment.current_revision = revision
    rev = AssessmentRevision(assessment_id=assessment.id, number=revision, people=len(results),
                             versions=[{"version_id": version.id}])  # fmt: skip
    data = repr((period, revision)).encode()
    snap = AssessmentSnapshot(assessment_id=assessment.id, block_unit_id=unit.id,
                              digest=hashlib.sha256(data).hexdigest(), data=zlib.compress(data))  # fmt: skip
    session.add_all([rev, snap])
    session.flush()
    for person, score, level, criteria, outputs in results:
        session.add(AssessmentResult(
            assessment_id=assessment.id, revision_id=rev.id, person_id=person.id, person_code=person.code,
            person_name=person.full_name, unit_id=unit.id, unit_code=unit.code, version_id=version.id,
            snapshot_id=snap.id, score=None if score is None else Decimal(score), score_text=score or "",
            level=level, level_before_quota=level, not_rated=level is None, criteria=criteria or {},
            vetoes=[], outputs=outputs or {},
        ))  # fmt: skip
    session.flush()
    return assessment
