"""Assessment summaries: the stored results of one revision counted per (person's unit, duty group,
version, level before and after the quota), with exact sums of the score and of each criterion. A
revision's computed columns never change (database triggers), so its summary never goes stale; decided
levels (written later by the workflow) are read from the results themselves, through an index.

What the dashboards aggregate: a province's revision of 50,000 results is about ten thousand summary
rows, and reading criteria out of 50,000 JSON documents per page view is what this table saves."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class AssessmentSummary(db.Model):
    __tablename__ = "assessment_summaries"
    # one row per group: `key` is the SHA-1 of the group's columns (two requests filling the summary of
    # one revision at once: the second insert fails and reads the first one's rows)
    __table_args__ = (UniqueConstraint("revision_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("assessment_revisions.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(40))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    duty_group: Mapped[str] = mapped_column(String(255), default="")
    version_id: Mapped[int] = mapped_column(ForeignKey("ruleset_versions.id"))
    level: Mapped[str | None] = mapped_column(String(128))  # computed, after the quota
    level_before_quota: Mapped[str | None] = mapped_column(String(128))
    not_rated: Mapped[bool] = mapped_column(Boolean(), default=False)
    people: Mapped[int] = mapped_column(Integer(), default=0)
    scored: Mapped[int] = mapped_column(Integer(), default=0)  # people with a score
    score_sum: Mapped[str] = mapped_column(String(255), default="0")  # exact text ("4521.5", "p/q")
    criteria: Mapped[dict] = mapped_column(JSON(), default=dict)  # code -> [exact sum text, count]
