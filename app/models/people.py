"""People (cán bộ, công chức, viên chức, người lao động) and the history of their unit assignments."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .common import created_at, updated_at
from .positions import DutyGroup, Position
from .units import Unit

PERSON_CATEGORIES = ("cán bộ", "công chức", "viên chức", "người lao động")


class Person(db.Model):
    """The current state of a person; `assignments` keeps where they worked before (moves)."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(255))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    position_id: Mapped[int | None] = mapped_column(ForeignKey("positions.id"), index=True)
    category: Mapped[str] = mapped_column(String(32), default="công chức")
    leadership_post: Mapped[str] = mapped_column(String(128), default="")  # chức vụ
    is_leader: Mapped[bool] = mapped_column(Boolean(), default=False)
    duty_group_id: Mapped[int | None] = mapped_column(ForeignKey("duty_groups.id"), index=True)
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean(), default=True)
    created_at: Mapped[dt.datetime] = created_at()
    updated_at: Mapped[dt.datetime] = updated_at()

    unit: Mapped[Unit] = relationship()
    position: Mapped[Position | None] = relationship()
    duty_group: Mapped[DutyGroup | None] = relationship()
    manager: Mapped[Person | None] = relationship(remote_side=[id])
    assignments: Mapped[list[PersonAssignment]] = relationship(
        back_populates="person", order_by="PersonAssignment.valid_from", cascade="all, delete-orphan"
    )

    def unit_on(self, day: dt.date) -> Unit:
        """The unit the person belonged to on `day` (the current unit when no history covers it)."""
        for a in self.assignments:
            if a.covers(day):
                return a.unit
        return self.unit

    def position_on(self, day: dt.date) -> Position | None:
        for a in self.assignments:
            if a.covers(day):
                return a.position
        return self.position

    def __repr__(self) -> str:
        return f"<Person {self.code}>"


class PersonAssignment(db.Model):
    """One stretch of a person's career: unit and position from `valid_from` to `valid_to` (inclusive;
    None: still there). A move closes the open stretch and opens a new one."""

    __tablename__ = "person_assignments"
    # a proper time line: at most one open stretch per person, no stretch ending before it starts; no
    # two stretches of a person overlap (PostgreSQL: an exclusion constraint; SQLite: triggers; 0003)
    __table_args__ = (
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="valid_range"),
        Index(
            "uq_person_assignments_open",
            "person_id",
            unique=True,
            sqlite_where=text("valid_to IS NULL"),
            postgresql_where=text("valid_to IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    position_id: Mapped[int | None] = mapped_column(ForeignKey("positions.id"))
    duty_group_id: Mapped[int | None] = mapped_column(ForeignKey("duty_groups.id"))
    valid_from: Mapped[dt.date] = mapped_column(Date())
    valid_to: Mapped[dt.date | None] = mapped_column(Date())

    person: Mapped[Person] = relationship(back_populates="assignments")
    unit: Mapped[Unit] = relationship()
    position: Mapped[Position | None] = relationship()

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)
