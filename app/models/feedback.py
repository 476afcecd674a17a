"""Officials' self-assessments and comments on an assessment (Điều 22: tự đánh giá, ý kiến), kept
per revision; the newest self-assessment of a person is the one shown."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .common import created_at

SELF_ASSESSMENT, COMMENT = "tự đánh giá", "ý kiến"


class AssessmentFeedback(db.Model):
    __tablename__ = "assessment_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    revision: Mapped[int] = mapped_column(Integer())
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)  # about whom
    kind: Mapped[str] = mapped_column(String(16))  # SELF_ASSESSMENT or COMMENT
    text: Mapped[str] = mapped_column(Text())
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    author: Mapped[str] = mapped_column(String(128), default="")
    created_at: Mapped[dt.datetime] = created_at()
