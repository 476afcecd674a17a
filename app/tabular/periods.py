"""Evaluation periods of a dataset: which periods the records span, for a ruleset's `kỳ` (tháng, quý,
năm), and the per-period datasets, so that a run never mixes one month's tasks with another's inputs."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from dsl.records import Dataset

MONTH, QUARTER, YEAR = "tháng", "quý", "năm"
_RANK = {MONTH: 0, QUARTER: 1, YEAR: 2}


def kind_of(period: str) -> str:
    """The kind of a parsed period: "2026-01" tháng, "2026-Q1" quý, "2026" năm."""
    if "-Q" in period:
        return QUARTER
    return YEAR if len(period) == 4 else MONTH


def fits(period: str, kind: str | None) -> bool:
    """Whether `period` is a period of the ruleset's kind (any period fits a ruleset without `kỳ`)."""
    return kind not in _RANK or kind_of(period) == kind


def coarsen(period: str, kind: str | None) -> str | None:
    """The period of kind `kind` that contains `period` ("2026-02" in a quarterly ruleset: "2026-Q1");
    None when `period` is longer than the ruleset's periods (a quarter for a monthly ruleset)."""
    if kind not in _RANK:
        return period
    own = kind_of(period)
    if _RANK[own] > _RANK[kind]:
        return None
    if kind == own:
        return period
    year = period[:4]
    if kind == YEAR:
        return year
    return f"{year}-Q{(int(period[5:7]) - 1) // 3 + 1}"  # a month into its quarter


def periods_in(found: Iterable[str | None], kind: str | None) -> tuple[list[str], list[str]]:
    """(the evaluation periods the records fall in, sorted; the records' periods that do not fit)."""
    periods, misfits = set(), set()
    for p in found:
        if p is None:
            continue
        q = coarsen(p, kind)
        (periods.add(q) if q is not None else misfits.add(p))
    return sorted(periods), sorted(misfits)


def describe(period: str) -> str:
    """ "2026-01" → "tháng 01/2026"; "2026-Q1" → "quý 1/2026"; "2026" → "năm 2026"."""
    kind = kind_of(period)
    if kind == MONTH:
        return f"tháng {period[5:7]}/{period[:4]}"
    if kind == QUARTER:
        return f"quý {period[6:]}/{period[:4]}"
    return f"năm {period}"


def split(dataset: Dataset, periods: list[str], kind: str | None, inputs: dict) -> list[Dataset]:
    """One Dataset per period: its tasks (their period coarsened to `kind`), its inputs
    (`inputs[period]` over the rows without a period, `inputs[None]`) and its sub-period results."""
    if len(periods) == 1 and dataset.task_count:  # every task is of that period: no copies
        (p,) = periods
        results = _select(_coarsened(dataset.period_columns.get("kỳ"), kind) == p)
        dataset.period_person = dataset.period_person[results]
        dataset.period_columns = {k: v[results] for k, v in dataset.period_columns.items()}
        dataset.inputs = {**inputs.get(None, {}), **inputs.get(p, {})}
        dataset.period = p
        return [dataset]
    out = []
    task_periods = _coarsened(dataset.task_columns.get("kỳ"), kind)
    result_periods = _coarsened(dataset.period_columns.get("kỳ"), kind)
    for p in periods:
        tasks = _select(task_periods == p)
        results = _select(result_periods == p)
        out.append(
            Dataset(
                people=dataset.people,
                task_person=dataset.task_person[tasks],
                task_columns={k: v[tasks] for k, v in dataset.task_columns.items()},
                task_rows=None if dataset.task_rows is None else dataset.task_rows[tasks],
                inputs={**inputs.get(None, {}), **inputs.get(p, {})},
                period_person=dataset.period_person[results],
                period_columns={k: v[results] for k, v in dataset.period_columns.items()},
                period=p,
            )
        )
    return out


def _select(mask: np.ndarray):
    """The mask, or a whole slice when it keeps everything (no copy of the columns)."""
    return slice(None) if mask.all() else mask


def _coarsened(column, kind) -> np.ndarray:
    if column is None:
        return np.zeros(0, dtype=object)
    mapping = {p: (coarsen(p, kind) if p is not None else None) for p in set(column.tolist())}
    out = np.empty(len(column), dtype=object)
    out[:] = [mapping[p] for p in column.tolist()]
    return out
