"""What the reports show, independent of how results are stored: a unit's sheet (header, lines) and one
official's evaluation sheet. `reports_xlsx`, `reports_pdf` and `income` render these; `exports` builds
them from a stored assessment."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction


@dataclass(slots=True)
class Criterion:
    code: str
    title: str
    value: Fraction | None
    citation: str = ""  # "Điều 14 Nghị định 335/2025/NĐ-CP"


@dataclass(slots=True)
class ResultLine:
    """One official's result as filed: the computed level, and the decided one with its reason."""

    person: str
    name: str
    unit: str  # unit name (or code)
    post: str = ""  # chức vụ
    criteria: dict[str, Fraction | None] = field(default_factory=dict)
    score: Fraction | None = None
    level: str | None = None  # computed (after vetoes and quota); None: not rated
    level_before_quota: str | None = None
    vetoes: list[str] = field(default_factory=list)
    decided_level: str | None = None  # None: the computed level stands
    decision_reason: str = ""
    self_assessment: str = ""
    comments: list[str] = field(default_factory=list)
    outputs: dict[str, object] = field(default_factory=dict)

    @property
    def final_level(self) -> str | None:
        return self.decided_level or self.level


@dataclass(slots=True)
class SheetHeader:
    """The heading of a filed sheet: the issuing body, the period and the rules applied."""

    body: str  # "UBND PHƯỜNG HẠC THÀNH"
    unit: str  # "Phường Hạc Thành"
    period: str  # "2026-01"
    rulesets: list[str] = field(default_factory=list)  # "ND335-2025 phiên bản 1 (sha256 …)"
    revision: int = 1
    status: str = ""  # Vietnamese workflow status
    place: str = ""  # "Thanh Hóa" for "Thanh Hóa, ngày … tháng … năm …"
    day: dt.date | None = None
    legal_bases: list[str] = field(default_factory=list)
    digits: int = 2


@dataclass(slots=True)
class UnitSheet:
    header: SheetHeader
    criteria: list[tuple[str, str]]  # (code, title) in ruleset order
    lines: list[ResultLine]
    signers: list[tuple[str, str]] = field(default_factory=list)  # (title, name): "NGƯỜI LẬP BIỂU", …


@dataclass(slots=True)
class PersonSheet:
    """Phiếu đánh giá: one official, criteria with their legal basis, score, level, explanation."""

    header: SheetHeader
    line: ResultLine
    criteria: list[Criterion]
    explanation: list[str]
    levels_citation: str = ""
    signers: list[tuple[str, str]] = field(default_factory=list)


def period_label(period: str) -> str:
    """ "2026-01" -> "tháng 01/2026"; "2026-Q1" -> "quý I/2026"; "2026" -> "năm 2026"."""
    if "-Q" in period:
        year, quarter = period.split("-Q")
        return f"quý {('I', 'II', 'III', 'IV')[int(quarter) - 1]}/{year}"
    if "-" in period:
        year, month = period.split("-")
        return f"tháng {month}/{year}"
    return f"năm {period}"


def date_line(header: SheetHeader) -> str:
    """ "Thanh Hóa, ngày 05 tháng 02 năm 2026" (blanks to fill by hand when no day is given)."""
    place = header.place or "……………"
    if header.day is None:
        return f"{place}, ngày …… tháng …… năm ……"
    d = header.day
    return f"{place}, ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"
