"""Job positions (vị trí việc làm), their standard products with conversion coefficients, duty groups."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .common import DECIMAL


class Position(db.Model):
    __tablename__ = "positions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    # None: a catalog shared by every unit; else the unit that defines it
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)

    products: Mapped[list[StandardProduct]] = relationship(
        back_populates="position", cascade="all, delete-orphan"
    )

    def product_on(self, code: str, day: dt.date) -> StandardProduct | None:
        """The standard product `code` of this position in force on `day` (the latest start wins)."""
        found = [p for p in self.products if p.code == code and p.in_force(day)]
        return max(found, key=lambda p: p.effective_from or dt.date.min, default=None)


class StandardProduct(db.Model):
    """A kind of product of a position and its conversion coefficient (hệ số quy đổi), in force
    from `effective_from` to `effective_to` (inclusive; None: open)."""

    __tablename__ = "standard_products"
    __table_args__ = (UniqueConstraint("position_id", "code", "effective_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("positions.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(255))
    unit_of_measure: Mapped[str] = mapped_column(String(64), default="")
    coefficient: Mapped[Decimal] = mapped_column(DECIMAL, default=Decimal(1))
    effective_from: Mapped[dt.date | None] = mapped_column(Date())
    effective_to: Mapped[dt.date | None] = mapped_column(Date())

    position: Mapped[Position] = relationship(back_populates="products")

    def in_force(self, day: dt.date) -> bool:
        return (self.effective_from is None or self.effective_from <= day) and (
            self.effective_to is None or day <= self.effective_to
        )


class DutyGroup(db.Model):
    """A group of similar duties (nhóm nhiệm vụ tương đồng): the scope of quotas."""

    __tablename__ = "duty_groups"
    __table_args__ = (UniqueConstraint("unit_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(255))
