"""Organisational units as a tree: province → ward/commune/special zone → department."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .common import created_at

# Vietnamese kind names, as in the import template (Loại).
UNIT_KINDS = ("tỉnh", "thành phố", "phường", "xã", "đặc khu", "phòng", "sở")


class Unit(db.Model):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(32))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    created_at: Mapped[dt.datetime] = created_at()

    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent")

    def ancestors(self) -> list[Unit]:
        """This unit, then its parent, … up to the root (cycle-safe)."""
        chain: list[Unit] = []
        node: Unit | None = self
        while node is not None and node not in chain:
            chain.append(node)
            node = node.parent
        return chain

    def is_within(self, root: Unit) -> bool:
        return root in self.ancestors()

    def __repr__(self) -> str:
        return f"<Unit {self.code}>"
