"""Assessments (đợt đánh giá): a unit subtree and a period evaluated under pinned ruleset versions.

- `Assessment`: the unit subtree, the period, the workflow status and the current revision.
- `AssessmentPin`: each ruleset version the assessment runs under, with its hash (re-pinning to a newer
  version is an explicit, audited action).
- `AssessmentRevision`: every run that stored results (number, reason, who, when, the change list).
- `AssessmentResult`: one person's stored result in one revision. The computed columns never change
  (database triggers); only the decision (`decided_*`) and the provisional flag may be written later.
- `AssessmentSnapshot`: the exact inputs used for one unit block (compressed JSON), shared by the
  revisions whose inputs for that block are identical; never changes.
- `AssessmentJob`: a run's progress (people done / total), readable while it runs; cancellable.
- `AssessmentLock`: one run at a time per assessment (owner, process, heartbeat).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .common import DECIMAL, created_at, updated_at
from .units import Unit

DRAFT, COMPUTED, LOCKED = "draft", "computed", "locked"
PERIOD_KINDS = ("tháng", "quý", "năm")


class Assessment(db.Model):
    __tablename__ = "assessments"
    __table_args__ = (UniqueConstraint("unit_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    period: Mapped[str] = mapped_column(String(16), index=True)  # "2026-01", "2026-Q1", "2026"
    period_kind: Mapped[str] = mapped_column(String(16))  # "tháng", "quý", "năm"
    status: Mapped[str] = mapped_column(String(16), default=DRAFT)  # workflow (part B's transitions)
    current_revision: Mapped[int] = mapped_column(Integer(), default=0)  # 0: never stored
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = created_at()
    updated_at: Mapped[dt.datetime] = updated_at()

    unit: Mapped[Unit] = relationship()
    pins: Mapped[list[AssessmentPin]] = relationship(
        back_populates="assessment", order_by="AssessmentPin.id", cascade="all, delete-orphan"
    )

    @property
    def label(self) -> str:
        return f"đợt đánh giá {self.unit.code} kỳ {self.period}"


class AssessmentPin(db.Model):
    __tablename__ = "assessment_pins"
    __table_args__ = (UniqueConstraint("assessment_id", "version_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("ruleset_versions.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    pinned_at: Mapped[dt.datetime] = created_at()
    pinned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    assessment: Mapped[Assessment] = relationship(back_populates="pins")
    version = relationship("RulesetVersion")


class AssessmentRevision(db.Model):
    __tablename__ = "assessment_revisions"
    __table_args__ = (
        UniqueConstraint("assessment_id", "number"),
        # the parent key of a result's (revision, assessment): a result's assessment is its revision's
        Index("ix_assessment_revisions_id_assessment", "id", "assessment_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer())
    reason: Mapped[str] = mapped_column(String(1000), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = created_at()
    unchanged: Mapped[bool] = mapped_column(Boolean(), default=False)  # "không thay đổi"
    digest: Mapped[str] = mapped_column(String(64), default="")  # of every input and pinned version
    people: Mapped[int] = mapped_column(Integer(), default=0)
    versions: Mapped[list] = mapped_column(JSON(), default=list)  # [{version_id, code, version, sha256}]
    changes: Mapped[list] = mapped_column(JSON(), default=list)  # [{person, what, before, after, why}]
    uncovered: Mapped[list] = mapped_column(JSON(), default=list)  # people no version covers


class AssessmentSnapshot(db.Model):
    """The exact inputs of one unit block (people, their task columns, their period inputs) as
    zlib-compressed canonical JSON; `digest` is the SHA-256 of the uncompressed bytes."""

    __tablename__ = "assessment_snapshots"
    __table_args__ = (UniqueConstraint("assessment_id", "block_unit_id", "digest"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    block_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    digest: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary())
    created_at: Mapped[dt.datetime] = created_at()


class AssessmentResult(db.Model):
    __tablename__ = "assessment_results"
    # Foreign keys: (revision, assessment) -> the revision, which belongs to that assessment (one check for
    # both), the person, the snapshot, who decided. The unit and version ids are copies the run made (no
    # foreign key: units are never deleted, and the assessment's pins hold the versions, which the guards
    # keep); migration 0011 and docs/architecture.md (Assessment performance) say why. Indexes: only what a
    # query reads by (the unique pair serves every read by revision).
    __table_args__ = (
        UniqueConstraint("revision_id", "person_id"),
        ForeignKeyConstraint(
            ["revision_id", "assessment_id"],
            ["assessment_revisions.id", "assessment_revisions.assessment_id"],
            ondelete="CASCADE",
        ),
        Index("ix_assessment_results_assessment_person", "assessment_id", "person_id"),
        Index("ix_assessment_results_unit_revision", "unit_id", "revision_id"),
        Index("ix_assessment_results_revision_manager", "revision_id", "manager_code"),
        Index("ix_assessment_results_revision_decided", "revision_id", "decided_level"),  # dashboards
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(Integer())
    revision_id: Mapped[int] = mapped_column(Integer())
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    person_code: Mapped[str] = mapped_column(String(64))
    person_name: Mapped[str] = mapped_column(String(255), default="")
    unit_id: Mapped[int] = mapped_column(Integer())
    unit_code: Mapped[str] = mapped_column(String(64), default="")
    duty_group: Mapped[str] = mapped_column(String(255), default="")
    manager_code: Mapped[str] = mapped_column(String(64), default="")  # as in the run (leaders read them)
    version_id: Mapped[int] = mapped_column(Integer())
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("assessment_snapshots.id"))
    score: Mapped[Decimal | None] = mapped_column(DECIMAL)  # rounded as the ruleset declares
    score_text: Mapped[str] = mapped_column(String(64), default="")  # exact: "97.42" or "2923/30"
    level: Mapped[str | None] = mapped_column(String(128))
    level_before_quota: Mapped[str | None] = mapped_column(String(128))
    not_rated: Mapped[bool] = mapped_column(Boolean(), default=False)
    criteria: Mapped[dict] = mapped_column(JSON(), default=dict)  # code -> exact value text
    vetoes: Mapped[list] = mapped_column(JSON(), default=list)
    outputs: Mapped[dict] = mapped_column(JSON(), default=dict)  # name -> exact text / text / bool
    quota_note: Mapped[str] = mapped_column(Text(), default="")
    # SHA-256 of the computed columns and the version: two revisions compare by it, without reading JSON
    result_key: Mapped[str] = mapped_column(String(64), default="")
    # the decision of the competent leader (part B's workflow): beside the computed level, never over it
    decided_level: Mapped[str | None] = mapped_column(String(128))
    decided_reason: Mapped[str] = mapped_column(Text(), default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    provisional: Mapped[bool] = mapped_column(Boolean(), default=False)


class AssessmentJob(db.Model):
    __tablename__ = "assessment_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    unit_code: Mapped[str] = mapped_column(String(64), default="")
    period: Mapped[str] = mapped_column(String(16), default="")
    status: Mapped[str] = mapped_column(String(16), default="queued")  # queued running done failed cancelled
    total: Mapped[int] = mapped_column(Integer(), default=0)  # people
    done: Mapped[int] = mapped_column(Integer(), default=0)
    parts: Mapped[int] = mapped_column(Integer(), default=1)
    parts_done: Mapped[int] = mapped_column(Integer(), default=0)
    cancel_requested: Mapped[bool] = mapped_column(Boolean(), default=False)
    message: Mapped[str] = mapped_column(Text(), default="")
    owner: Mapped[str] = mapped_column(String(128), default="")
    created_at: Mapped[dt.datetime] = created_at()
    updated_at: Mapped[dt.datetime] = updated_at()


class AssessmentLock(db.Model):
    """Held by the process running an assessment (key: "unit id:period", the assessment row may not
    exist yet). A row whose process is gone (same host) or whose heartbeat is old is stale."""

    __tablename__ = "assessment_locks"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    owner: Mapped[str] = mapped_column(String(128))
    host: Mapped[str] = mapped_column(String(255), default="")
    pid: Mapped[int] = mapped_column(Integer(), default=0)
    token: Mapped[str] = mapped_column(String(64))
    acquired_at: Mapped[dt.datetime] = created_at()
    heartbeat: Mapped[dt.datetime] = created_at()
