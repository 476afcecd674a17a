"""The field catalog: task fields and period inputs declared by administrators, usable by rulesets at
once (the validation gate passes them to the checker as `dsl.fields.FieldSpec`)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .common import created_at

FIELD_SCOPES = ("task", "input")  # a task field, or a per-person-and-period input
FIELD_KINDS = ("số", "văn bản", "đúng sai", "ngày", "thang")


class FieldDefinition(db.Model):
    __tablename__ = "field_definitions"
    __table_args__ = (UniqueConstraint("scope", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(128))  # identifier in rulesets: "số_hồ_sơ_đúng_hạn"
    label: Mapped[str] = mapped_column(String(255))  # Vietnamese header: "Số hồ sơ giải quyết đúng hạn"
    kind: Mapped[str] = mapped_column(String(16))
    aliases: Mapped[list] = mapped_column(JSON(), default=list)  # further accepted headers
    scale: Mapped[list] = mapped_column(JSON(), default=list)  # for kind "thang"
    low: Mapped[str | None] = mapped_column(String(64))
    high: Mapped[str | None] = mapped_column(String(64))
    default: Mapped[object | None] = mapped_column(JSON())
    required: Mapped[bool] = mapped_column(Boolean(), default=False)
    description: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[dt.datetime] = created_at()

    def to_spec(self):
        from dsl.fields import FieldSpec

        return FieldSpec(
            name=self.name,
            label=self.label,
            kind=self.kind,
            required=self.required,
            aliases=tuple(self.aliases or ()),
            scale=tuple(self.scale or ()),
            low=self.low,
            high=self.high,
            default=self.default,
        )
