"""Whether an assessment (or a compiled program) is a roll-up: read by the runner, the queries, the impact
of a publication and the CLI without importing the roll-up run (`rollup_run`), which imports the runner."""

from __future__ import annotations

from sqlalchemy import select

from ...extensions import db
from ...models import AssessmentRevision, RulesetVersion


def is_rollup(assessment) -> bool:
    """Whether the assessment stores roll-ups: its pinned versions (or, after a re-pin, the versions of
    its current revision) are roll-up rulesets."""
    if assessment is None:
        return False
    versions = [pin.version for pin in assessment.pins]
    if not versions and assessment.current_revision:
        ids = db.session.scalars(
            select(AssessmentRevision.versions).where(
                AssessmentRevision.assessment_id == assessment.id,
                AssessmentRevision.number == assessment.current_revision,
            )
        ).first()
        wanted = [v["version_id"] for v in ids or [] if "version_id" in v]
        versions = list(db.session.scalars(select(RulesetVersion).where(RulesetVersion.id.in_(wanted))))
    return any(v.rollup_from for v in versions)


def is_rollup_program(program) -> bool:
    return bool(program.ruleset.header.rollup_from)
