"""Hypothetical variations of ONE person's own data, evaluated by the exact engine (`engine.evaluate`,
the pinned program, the person's subordinates as fixed external states): what the level would be if the
remaining tasks were finished, or if a manual input were higher. Bounded: a number of tries and a time
budget shared by every variation; searches are binary (the score does not fall when more tasks are
finished on time or an input grows), and every answer given is one the engine actually computed."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from dsl.defaults import COMPLETED, DELAYS, DONE, derived_task_defaults
from dsl.errors import DslError
from dsl.records import Dataset

from . import engine

CANCELLED, PAUSED = "Hủy", "Tạm dừng"  # not for the official to finish (dsl.fields.TASK_STATUSES)
STATUS, DUE, DONE_ON, GIVEN, FACTOR = (
    "trạng_thái", "hạn_hoàn_thành", "ngày_hoàn_thành", "khối_lượng_giao", "hệ_số_quy_đổi",
)  # fmt: skip


@dataclass(slots=True)
class Outcome:
    score: Fraction | None
    level: str | None  # before quota


@dataclass
class Budget:
    tries: int = 40
    seconds: float = 1.0  # idle: 40 tries of one person take about 40 ms
    used: int = 0
    started: float = field(default_factory=time.perf_counter)

    def left(self) -> bool:
        return self.used < self.tries and time.perf_counter() - self.started < self.seconds


class Trial:
    """Evaluate variations of `code`'s tasks and inputs in `dataset` (the person first, their
    subordinates present only as `external` states)."""

    def __init__(self, program, dataset: Dataset, code: str, external: dict | None, budget: Budget):
        self.program, self.data, self.code, self.external, self.budget = (
            program,
            dataset,
            code,
            external,
            budget,
        )
        self.rows = np.flatnonzero(np.asarray(dataset.task_person) == dataset.index()[code])
        self.rank = {name: i for i, name in enumerate(program.level_names)}  # 0 = best

    def reaches(self, outcome: Outcome | None, target: str) -> bool:
        return (
            outcome is not None
            and outcome.level in self.rank
            and self.rank[outcome.level] <= self.rank[target]
        )

    def evaluate(self, columns: dict | None = None, inputs: dict | None = None) -> Outcome | None:
        """The outcome with the person's task columns and/or inputs replaced; None when out of budget or
        the engine refuses the variation."""
        if not self.budget.left():
            return None
        self.budget.used += 1
        d = self.data
        data = Dataset(people=d.people, task_person=d.task_person,
                       task_columns={k: v.copy() for k, v in (columns or d.task_columns).items()},
                       inputs={**d.inputs, self.code: inputs} if inputs is not None else d.inputs,
                       period=d.period)  # fmt: skip
        try:
            result, _ = engine.evaluate(self.program, data, only={self.code}, external=self.external or None,
                                        quotas=False)  # fmt: skip
        except (DslError, ArithmeticError, ValueError, TypeError):
            return None
        mine = next((r for r in result.results if r.person == self.code), None)
        return None if mine is None else Outcome(mine.score, mine.level_before_quota)

    # ------------------------------------------------------------------ tasks
    def remaining(self, as_of: dt.date | None) -> list[int]:
        """Rows of the person's tasks not finished, not cancelled, not paused: the ones on time first
        (still before their deadline), the heaviest (khối lượng × hệ số) first, then by deadline."""
        cols = self.data.task_columns
        if STATUS not in cols:
            return []
        status = cols[STATUS]
        rows = [int(r) for r in self.rows if status[r] not in (DONE, CANCELLED, PAUSED)]

        def key(r: int):
            weight = _number(cols, GIVEN, r, 1) * _number(cols, FACTOR, r, 1)
            due = _number(cols, DUE, r, float("inf"))
            late = as_of is not None and due < as_of.toordinal()
            return (late, -weight, due, r)

        return sorted(rows, key=key)

    def overdue(self, rows: list[int], as_of: dt.date | None) -> int:
        cols = self.data.task_columns
        return sum(
            1 for r in rows if as_of is not None and _number(cols, DUE, r, float("inf")) < as_of.toordinal()
        )

    def finish(self, rows: list[int], as_of: dt.date | None) -> dict:
        """Task columns with `rows` finished: status "Hoàn thành", done on `as_of` (late when that is past
        the deadline) or on the deadline when no date is given; the completed quantity and the delays
        left empty so that the one rule of derived defaults (dsl.defaults) fills them."""
        cols = {k: np.array(v, copy=True) for k, v in self.data.task_columns.items()}
        if not rows:
            return cols
        picked = np.array(rows, dtype=np.int64)
        status = cols[STATUS].astype(object)
        status[picked] = DONE
        cols[STATUS] = status
        if DONE_ON in cols:
            due = cols.get(DUE)
            for r in rows:
                deadline = float(due[r]) if due is not None and due[r] == due[r] else float("nan")
                on = float(as_of.toordinal()) if as_of is not None else deadline
                on = on if on == on else float(self.data_day())
                cols[DONE_ON][r] = on if cols[DONE_ON].dtype.kind == "f" else dt.date.fromordinal(int(on))
        for name in (COMPLETED, DELAYS):
            if name in cols:
                col = (
                    cols[name].astype(float) if cols[name].dtype.kind in "fiu" else cols[name].astype(object)
                )
                col[picked] = np.nan if col.dtype.kind == "f" else None
                cols[name] = col
        derived_task_defaults(cols, len(cols[STATUS]), {COMPLETED, DELAYS} & cols.keys())
        return cols

    def data_day(self) -> int:
        from .periods import parse

        return parse(self.data.period).last.toordinal() if self.data.period else dt.date.today().toordinal()

    def fewest_tasks(self, rows: list[int], target: str, as_of) -> tuple[int, Outcome | None, Outcome | None]:
        """(the fewest of `rows`, in order, whose finishing reaches `target` (0: none does), that
        outcome, the outcome of finishing them all)."""
        everything = self.evaluate(self.finish(rows, as_of))
        if not self.reaches(everything, target):
            return 0, None, everything
        low, high, best = 1, len(rows), everything
        while low < high and self.budget.left():
            middle = (low + high) // 2
            got = self.evaluate(self.finish(rows[:middle], as_of))
            if got is None:
                break
            if self.reaches(got, target):
                high, best = middle, got
            else:
                low = middle + 1
        return high, best, everything  # out of budget: `high` still reaches (an upper bound, computed)

    # ------------------------------------------------------------------ inputs
    def lowest_input(self, name: str, current: Fraction, high: Fraction, step: Fraction, target: str):
        """(the lowest value of input `name` on the grid of `step` between `current` and `high` that
        reaches `target`, its outcome), or None."""
        base = dict(self.data.inputs.get(self.code, {}))
        top = self.evaluate(inputs={**base, name: high})
        if not self.reaches(top, target):
            return None
        low_i, high_i = int(current / step) + 1, int(high / step)
        best = (high, top)
        while low_i < high_i and self.budget.left():
            middle = (low_i + high_i) // 2
            got = self.evaluate(inputs={**base, name: middle * step})
            if got is None:
                break
            if self.reaches(got, target):
                high_i, best = middle, (middle * step, got)
            else:
                low_i = middle + 1
        return best


def _number(cols: dict, name: str, row: int, default: float) -> float:
    col = cols.get(name)
    if col is None:
        return default
    v = col[row]
    try:
        v = float(v)
    except (TypeError, ValueError):
        return default
    return default if v != v else v
