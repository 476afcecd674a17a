"""Tasks (per person and period, identified by an external id per source system) and period inputs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .common import DECIMAL, created_at, updated_at
from .people import Person
from .positions import StandardProduct

MANUAL_SOURCE = "thu-cong"  # source system of rows imported from files without one


class Task(db.Model):
    __tablename__ = "tasks"
    # external ids are namespaced per source system AND owning unit (the root of the writer's scope):
    # one ward can neither take over nor probe another's ids
    __table_args__ = (
        UniqueConstraint("source_system", "owner_unit_id", "external_id"),
        # the admin's task list: one filter and the default order (newest first) from a single index, so
        # a page of 50 is read without collecting every matching task (1,000,000 tasks: see bench/)
        Index("ix_tasks_period_id", "period", "id"),
        Index("ix_tasks_status_id", "status", "id"),
        Index("ix_tasks_unit_id_id", "unit_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_system: Mapped[str] = mapped_column(String(64), default=MANUAL_SOURCE)
    owner_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)  # the id's namespace
    external_id: Mapped[str] = mapped_column(String(128), index=True)  # Mã nhiệm vụ (admin filter)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)  # unit in the period
    period: Mapped[str] = mapped_column(String(16), index=True)  # "2026-01", "2026-Q1"
    title: Mapped[str] = mapped_column(String(1000), default="")
    assigned_on: Mapped[dt.date | None] = mapped_column(Date())
    deadline: Mapped[dt.date | None] = mapped_column(Date())
    completed_on: Mapped[dt.date | None] = mapped_column(Date())
    status: Mapped[str] = mapped_column(String(32))
    quantity_assigned: Mapped[Decimal] = mapped_column(DECIMAL, default=Decimal(1))
    quantity_completed: Mapped[Decimal] = mapped_column(DECIMAL, default=Decimal(0))
    standard_product_id: Mapped[int | None] = mapped_column(ForeignKey("standard_products.id"))
    conversion_factor: Mapped[Decimal] = mapped_column(DECIMAL, default=Decimal(1))
    major_errors: Mapped[int] = mapped_column(Integer(), default=0)
    delays: Mapped[int] = mapped_column(Integer(), default=0)
    exempt: Mapped[bool] = mapped_column(Boolean(), default=False)
    exempt_reason: Mapped[str] = mapped_column(String(500), default="")
    exempt_confirmed_by: Mapped[str] = mapped_column(String(255), default="")
    evidence: Mapped[str] = mapped_column(Text(), default="")  # document number, file or link
    extra: Mapped[dict] = mapped_column(JSON(), default=dict)  # catalog task fields by name
    created_at: Mapped[dt.datetime] = created_at()
    updated_at: Mapped[dt.datetime] = updated_at()

    person: Mapped[Person] = relationship()
    owner_unit = relationship("Unit", foreign_keys=[owner_unit_id])
    standard_product: Mapped[StandardProduct | None] = relationship()


class PeriodInput(db.Model):
    """What is entered by hand for a person and a period: the general-criteria score (0–30), the
    discipline, and any further declared input (leaders' scores…) in `values` by name."""

    __tablename__ = "period_inputs"
    __table_args__ = (UniqueConstraint("person_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    period: Mapped[str] = mapped_column(String(16), index=True)
    general_score: Mapped[Decimal | None] = mapped_column(DECIMAL)
    discipline: Mapped[str] = mapped_column(String(32), default="")
    values: Mapped[dict] = mapped_column(JSON(), default=dict)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = created_at()
    updated_at: Mapped[dt.datetime] = updated_at()

    person: Mapped[Person] = relationship()
