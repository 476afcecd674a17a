"""The append-only audit log: who did what, when, with the state before and after (JSON). The database
refuses UPDATE and DELETE on it (triggers created in the migrations)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .common import created_at


class AuditLog(db.Model):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = created_at()
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    actor: Mapped[str] = mapped_column(String(128))  # username (kept even if the user goes away)
    action: Mapped[str] = mapped_column(String(64))  # "ruleset.publish", "task.upsert", ...
    entity: Mapped[str] = mapped_column(String(64))  # table/model name
    entity_id: Mapped[str] = mapped_column(String(128), default="")
    before: Mapped[dict | None] = mapped_column(JSON())
    after: Mapped[dict | None] = mapped_column(JSON())
