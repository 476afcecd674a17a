"""Column helpers shared by the models."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Numeric
from sqlalchemy.orm import mapped_column

# Exact decimals (quantities, coefficients, scores): never floats.
DECIMAL = Numeric(18, 6, asdecimal=True)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def created_at():
    return mapped_column(DateTime(), default=utcnow, nullable=False)


def updated_at():
    return mapped_column(DateTime(), default=utcnow, onupdate=utcnow, nullable=False)
