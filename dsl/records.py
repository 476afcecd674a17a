"""The records a ruleset is evaluated against: people, task columns, period inputs, sub-period results.

Columns, not row objects, so that the vectorised engine reads them without copying:
- numbers: numpy float64 arrays. Loaders accept at most 15 significant digits, so `exact(x)` =
  `Fraction(repr(x))` recovers the decimal that was written (the exact engine uses it);
- dates: numpy float64 arrays of proleptic ordinals (`date.toordinal()`), NaN when empty;
- booleans: numpy bool arrays; text: numpy object arrays of `canon()`-normalised str.
Inputs are per person: plain Python values (Fraction, str, bool, datetime.date, None when empty).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np


def exact(x: float) -> Fraction:
    """The decimal a loaded float stands for (loaders guarantee <= 15 significant digits)."""
    return Fraction(repr(float(x)))


def date_of(ordinal: float) -> dt.date | None:
    return None if ordinal != ordinal else dt.date.fromordinal(int(ordinal))


@dataclass(slots=True)
class PersonRecord:
    code: str
    name: str = ""
    unit: str = ""
    position: str = ""  # chức vụ
    leader: bool = False
    duty_group: str = ""
    manager: str = ""  # code of the direct leader, "" if none
    extra: dict[str, object] = field(default_factory=dict)


@dataclass(slots=True)
class Dataset:
    people: list[PersonRecord]
    # one entry per task row: index into `people`
    task_person: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    # field name (canonical identifier, e.g. "khối_lượng_giao") -> column
    task_columns: dict[str, np.ndarray] = field(default_factory=dict)
    # source row number of each task (for messages), optional
    task_rows: np.ndarray | None = None
    # person code -> input name -> value
    inputs: dict[str, dict[str, object]] = field(default_factory=dict)
    # roll-up rulesets: person index per sub-period result, and their columns
    # ("kỳ": text, "điểm": number, "xếp_loại": text, criteria codes: numbers)
    period_person: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    period_columns: dict[str, np.ndarray] = field(default_factory=dict)
    period: str | None = None  # "2026-01", "2026-Q1", "2026"
    # task fields whose columns dsl.defaults.complete_tasks has completed (defaults applied)
    completed_fields: set[str] = field(default_factory=set)

    @property
    def task_count(self) -> int:
        return int(self.task_person.shape[0])

    def index(self) -> dict[str, int]:
        return {p.code: i for i, p in enumerate(self.people)}
