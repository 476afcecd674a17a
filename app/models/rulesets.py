"""Rulesets, their versions (draft → published → retired) and adoptions (a ward's version adopting a
province version with parameter overrides).

A published version never changes: the services refuse it, and database triggers (created in the
migrations) refuse an UPDATE of its source, hash, identity or effective date, any status change other
than published → retired, and its DELETE."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .common import created_at, updated_at
from .legal import LegalBasis
from .units import Unit
from .users import User

DRAFT, PUBLISHED, RETIRED = "draft", "published", "retired"
STATUSES = (DRAFT, PUBLISHED, RETIRED)
STATUS_LABELS = {DRAFT: "bản nháp", PUBLISHED: "đã công bố", RETIRED: "đã ngừng áp dụng"}


class Ruleset(db.Model):
    __tablename__ = "rulesets"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(128), unique=True)
    title: Mapped[str] = mapped_column(String(500), default="")
    owner_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)  # None: national
    created_at: Mapped[dt.datetime] = created_at()

    owner_unit: Mapped[Unit | None] = relationship()
    versions: Mapped[list[RulesetVersion]] = relationship(
        back_populates="ruleset", order_by="RulesetVersion.version"
    )

    def __repr__(self) -> str:
        return f"<Ruleset {self.code}>"


class RulesetVersion(db.Model):
    __tablename__ = "ruleset_versions"
    __table_args__ = (
        UniqueConstraint("ruleset_id", "version"),
        CheckConstraint("status IN ('draft', 'published', 'retired')", name="status"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ruleset_id: Mapped[int] = mapped_column(ForeignKey("rulesets.id"), index=True)
    version: Mapped[int] = mapped_column(Integer())
    status: Mapped[str] = mapped_column(String(16), default=DRAFT)
    title: Mapped[str] = mapped_column(String(500), default="")
    source: Mapped[str] = mapped_column(Text())
    sha256: Mapped[str] = mapped_column(String(64))  # of the normalised (canon) source
    period: Mapped[str | None] = mapped_column(String(16))  # "tháng", "quý", "năm"
    rollup_from: Mapped[str | None] = mapped_column(String(16))  # roll-up rulesets: "tháng" or "quý"
    subjects: Mapped[list] = mapped_column(JSON(), default=list)  # ["công chức", ...]; []: everyone
    effective_from: Mapped[dt.date | None] = mapped_column(Date())
    effective_to: Mapped[dt.date | None] = mapped_column(Date())
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    publisher_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    retired_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = created_at()
    updated_at: Mapped[dt.datetime] = updated_at()
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    retired_at: Mapped[dt.datetime | None] = mapped_column(DateTime())

    ruleset: Mapped[Ruleset] = relationship(back_populates="versions")
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    publisher: Mapped[User | None] = relationship(foreign_keys=[publisher_id])
    legal_bases: Mapped[list[VersionLegalBasis]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="VersionLegalBasis.position"
    )
    adoption: Mapped[Adoption | None] = relationship(
        back_populates="version", foreign_keys="Adoption.version_id", cascade="all, delete-orphan"
    )

    @property
    def label(self) -> str:
        return f'"{self.ruleset.code}" phiên bản {self.version}'

    @property
    def filename(self) -> str:
        """The name diagnostics use for this version's source."""
        return f"{self.ruleset.code}@{self.version}.kpi"

    def in_force(self, day: dt.date) -> bool:
        return (self.effective_from is None or self.effective_from <= day) and (
            self.effective_to is None or day <= self.effective_to
        )

    def __repr__(self) -> str:
        return f"<RulesetVersion {self.ruleset.code if self.ruleset else '?'}@{self.version} {self.status}>"


class VersionLegalBasis(db.Model):
    """A legal basis cited by a version's header (`căn cứ "…" điều 12, 14`)."""

    __tablename__ = "version_legal_bases"
    __table_args__ = (UniqueConstraint("version_id", "legal_basis_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("ruleset_versions.id", ondelete="CASCADE"), index=True)
    legal_basis_id: Mapped[int] = mapped_column(ForeignKey("legal_bases.id"), index=True)
    position: Mapped[int] = mapped_column(Integer(), default=0)
    articles: Mapped[list] = mapped_column(JSON(), default=list)  # ["12", "14"]

    version: Mapped[RulesetVersion] = relationship(back_populates="legal_bases")
    legal_basis: Mapped[LegalBasis] = relationship()


class Adoption(db.Model):
    """`version` (a ward's) adopts `adopted` (a province's, published) with these parameter overrides."""

    __tablename__ = "adoptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("ruleset_versions.id", ondelete="CASCADE"), unique=True
    )
    adopted_version_id: Mapped[int] = mapped_column(ForeignKey("ruleset_versions.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    overrides: Mapped[dict] = mapped_column(JSON(), default=dict)  # {"mức_trừ_chậm": "20%"}
    created_at: Mapped[dt.datetime] = created_at()

    version: Mapped[RulesetVersion] = relationship(back_populates="adoption", foreign_keys=[version_id])
    adopted: Mapped[RulesetVersion] = relationship(foreign_keys=[adopted_version_id])
    unit: Mapped[Unit | None] = relationship()
