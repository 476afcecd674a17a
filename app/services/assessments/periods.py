"""Assessment periods: a month ("2026-01"), a quarter ("2026-Q1") or a year ("2026")."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from ..errors import ServiceError


@dataclass(frozen=True, slots=True)
class Period:
    code: str  # "2026-01", "2026-Q1", "2026"
    kind: str  # "tháng", "quý", "năm"
    first: dt.date
    last: dt.date

    @property
    def members(self) -> list[str]:
        """The period codes a task or an input row may carry to belong to this period."""
        year = self.code[:4]
        if self.kind == "tháng":
            return [self.code]
        if self.kind == "quý":
            q = int(self.code[-1])
            return [self.code, *(f"{year}-{m:02d}" for m in range(3 * q - 2, 3 * q + 1))]
        return [year, *(f"{year}-Q{q}" for q in range(1, 5)), *(f"{year}-{m:02d}" for m in range(1, 13))]


def parse(text: str) -> Period:
    """A Period from user text ("2026-01", "01/2026", "Quý I/2026", "2026"…), else ServiceError."""
    from ...tabular.values import parse_period

    try:
        code = parse_period(text)
    except ValueError as exc:
        raise ServiceError(f"kỳ đánh giá không hợp lệ: {text} ({exc})") from None
    if code is None:
        raise ServiceError("thiếu kỳ đánh giá (ví dụ 2026-01, 2026-Q1, 2026)")
    year = int(code[:4])
    if "-Q" in code:
        q = int(code[-1])
        first = dt.date(year, 3 * q - 2, 1)
        last_month = 3 * q
        return Period(code, "quý", first, dt.date(year, last_month, calendar.monthrange(year, last_month)[1]))
    if len(code) == 7:
        month = int(code[5:7])
        return Period(
            code, "tháng", dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
        )
    return Period(code, "năm", dt.date(year, 1, 1), dt.date(year, 12, 31))
