"""Provisional results: where a person stands today in an open period, re-evaluated after every change
of their tasks or inputs (never a decided result: assessments hold those)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import JSON, Boolean, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .common import DECIMAL, updated_at


class ProvisionalResult(db.Model):
    __tablename__ = "provisional_results"
    __table_args__ = (UniqueConstraint("person_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    period: Mapped[str] = mapped_column(String(16), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("ruleset_versions.id"))
    score: Mapped[Decimal | None] = mapped_column(DECIMAL)
    level: Mapped[str | None] = mapped_column(String(64))
    not_rated: Mapped[bool] = mapped_column(Boolean(), default=False)
    criteria: Mapped[dict] = mapped_column(JSON(), default=dict)  # code -> exact value as text ("97.5")
    vetoes: Mapped[list] = mapped_column(JSON(), default=list)
    problem: Mapped[str] = mapped_column(String(500), default="")  # why it could not be evaluated
    updated_at: Mapped[dt.datetime] = updated_at()
