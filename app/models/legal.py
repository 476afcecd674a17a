"""Legal bases (căn cứ pháp lý: decrees, decisions…) and their articles."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .common import created_at


class LegalBasis(db.Model):
    __tablename__ = "legal_bases"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(128), unique=True)  # "Nghị định 335/2025/NĐ-CP"
    title: Mapped[str] = mapped_column(String(500), default="")
    issuer: Mapped[str] = mapped_column(String(255), default="")
    issued_on: Mapped[dt.date | None] = mapped_column(Date())
    effective_on: Mapped[dt.date | None] = mapped_column(Date())
    created_at: Mapped[dt.datetime] = created_at()

    articles: Mapped[list[LegalArticle]] = relationship(
        back_populates="legal_basis", cascade="all, delete-orphan", order_by="LegalArticle.id"
    )

    def __repr__(self) -> str:
        return f"<LegalBasis {self.number}>"


class LegalArticle(db.Model):
    __tablename__ = "legal_articles"
    __table_args__ = (UniqueConstraint("legal_basis_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    legal_basis_id: Mapped[int] = mapped_column(ForeignKey("legal_bases.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(32))  # "14"
    title: Mapped[str] = mapped_column(String(500), default="")
    text: Mapped[str] = mapped_column(Text(), default="")

    legal_basis: Mapped[LegalBasis] = relationship(back_populates="articles")
