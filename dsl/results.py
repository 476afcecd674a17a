"""What an evaluation returns: per person, criteria, score, level, vetoes, outputs and an explanation."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction


@dataclass(slots=True)
class PersonResult:
    person: str  # mã cán bộ
    unit: str
    criteria: dict[str, Fraction] = field(default_factory=dict)  # applicable criteria only, unrounded
    score: Fraction | None = None  # rounded as the ruleset declares (what is classified)
    level: str | None = None  # final level (after caps, vetoes and quotas); None: not rated
    level_before_quota: str | None = None
    vetoes: list[str] = field(default_factory=list)  # Vietnamese reasons of the vetoes/caps that applied
    outputs: dict[str, object] = field(default_factory=dict)
    explanation: list[str] = field(default_factory=list)  # Vietnamese lines
    duty_group: str = ""
    not_rated: bool = False


@dataclass(slots=True)
class RunResult:
    code: str
    version: int
    sha256: str
    period: str | None
    results: list[PersonResult]
    rounding_digits: int = 2
    # how the run went: {"backend": "vector" | "exact", "fallback_reason": why not vector (None
    # when it ran), and for vector runs "people", "layers", "exact" (persons re-checked), "flagged"}
    stats: dict = field(default_factory=dict)
