"""Assessment summaries: what the dashboards read instead of every result row. For each stored revision
and each unit of its tree, the revision's results of the people in the unit's subtree (`scope`
"subtree"), and of the unit's own people ("own"), over every duty group (`duty_group` NULL) and, for
subtrees, per duty group: the number of people, the computed levels, the quota (kept, moved down, the
most allowed), the exact sums of the score and of each criterion and their means rounded for display.

A revision's computed columns never change (database triggers), so neither does its summary; decided
levels (written later by the workflow) are read from the results through an index. A province's
revision of 50,000 results is about 7,500 summary rows, and one dashboard row is one summary row."""

from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

SUBTREE, OWN = "subtree", "own"


class AssessmentSummary(db.Model):
    __tablename__ = "assessment_summaries"
    # `key`: the SHA-1 of (unit, scope, duty group); two requests filling the summary of one revision at
    # once: the second insert fails and reads the first one's rows
    __table_args__ = (
        UniqueConstraint("revision_id", "key"),
        # every read: a revision's subtree or own rows, every group or per group, some units
        Index("ix_assessment_summaries_lookup", "revision_id", "scope", "duty_group", "unit_id"),
        # (revision, unit) pairs: a ward's figures in each of a thousand ward revisions (migration 0013)
        Index("ix_assessment_summaries_unit", "revision_id", "unit_id", "scope", "duty_group"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("assessment_revisions.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(40))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    scope: Mapped[str] = mapped_column(String(8))  # "subtree" | "own"
    duty_group: Mapped[str | None] = mapped_column(String(255))  # None: every duty group
    people: Mapped[int] = mapped_column(Integer(), default=0)
    # {"levels": {level: n}, "quota": {level: [kept, moved down, allowed or null]},
    #  "means": {"": "93.62" (the score), code: "95.41"}}: what one dashboard row shows
    data: Mapped[dict] = mapped_column(JSON(), default=dict)
    # {"": [numerator, denominator, scored] of the score's exact sum, code: [numerator, denominator, count]}:
    # read only to add summaries up
    sums: Mapped[dict] = mapped_column(JSON(), default=dict)
