"""Salaries per person and month (tiền lương làm căn cứ tính thu nhập tăng thêm), imported from files."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .common import DECIMAL, created_at, updated_at
from .people import Person


class Salary(db.Model):
    """The salary a person's supplementary income is computed from, for one month ("2026-01")."""

    __tablename__ = "salaries"
    __table_args__ = (UniqueConstraint("person_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    period: Mapped[str] = mapped_column(String(16), index=True)
    amount: Mapped[Decimal] = mapped_column(DECIMAL)  # đồng
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[dt.datetime] = created_at()
    updated_at: Mapped[dt.datetime] = updated_at()

    person: Mapped[Person] = relationship()
