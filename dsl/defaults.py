"""The default values of task fields, applied once, vectorised: the one home of these rules.

- `khối_lượng_hoàn_thành` empty: = `khối_lượng_giao` when the status is "Hoàn thành", else 0;
- `số_lần_chậm` empty: 1 when completed after the deadline, else 0;
- any other field: its declared default (`dsl.fields.TASK_FIELDS`: khối_lượng_giao 1, hệ_số_quy_đổi 1,
  số_lần_sai_sót_lớn 0, miễn_trừ không, …; a ruleset's `trường nhiệm vụ … mặc định`; the catalog's),
  else the kind's (số 0, văn bản "", đúng sai sai, thang its first value; a date stays empty).

The file loaders (`app.tabular`) and the database loaders call `derived_task_defaults` on their
columns; evaluation (`dsl.engine.program.Program`) calls `complete_tasks` once per Dataset for the
fields a ruleset reads, so both evaluators read complete columns and never derive a default.
Columns follow `dsl.records`: numbers and dates float64 (NaN when empty), booleans bool, text object
arrays (None when empty); hand-built datasets may hold Python values in object arrays.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .records import Dataset

DONE = "Hoàn thành"
COMPLETED = "khối_lượng_hoàn_thành"
DELAYS = "số_lần_chậm"
# task fields whose default is derived from other fields, and the fields it reads
DERIVED_NEEDS = {
    COMPLETED: ("khối_lượng_giao", "trạng_thái"),
    DELAYS: ("ngày_hoàn_thành", "hạn_hoàn_thành"),
}
KIND_DEFAULTS = {"số": 0, "văn bản": "", "đúng sai": False, "ngày": None}


def empty_value(kind: str, default: object = None, scale: tuple[str, ...] = ()) -> object:
    """What an empty cell of a field stands for: its declared default, else the kind's."""
    if default is not None:
        return default
    if kind == "thang" and scale:
        return scale[0]
    return KIND_DEFAULTS.get(kind)


def _empty(col: np.ndarray) -> np.ndarray:
    """Where a column is empty: NaN in float columns, None (or NaN) in object columns."""
    if col.dtype.kind == "f":
        return np.isnan(col)
    if col.dtype == object:
        return np.equal(col, None) | np.not_equal(col, col)  # None, or a float NaN
    return np.zeros(len(col), dtype=bool)


def _column(columns: dict, name: str, n: int) -> np.ndarray:
    col = columns.get(name)
    return np.full(n, np.nan) if col is None else np.asarray(col)


def derived_task_defaults(
    columns: dict[str, np.ndarray], n: int | None = None, names: Iterable[str] = (COMPLETED, DELAYS)
) -> None:
    """Fill the empty cells of `khối_lượng_hoàn_thành` and `số_lần_chậm` (those of `names`) in
    `columns`, replacing those entries; an absent column is created."""
    if n is None:
        n = len(next(iter(columns.values()))) if columns else 0
    names = set(names)
    if COMPLETED in names:
        completed = _column(columns, COMPLETED, n)
        missing = _empty(completed)
        if missing.any():
            given = _column(columns, "khối_lượng_giao", n)
            status = columns.get("trạng_thái")
            done = np.zeros(n, bool) if status is None else np.asarray(np.asarray(status) == DONE, dtype=bool)
            given_missing = _empty(given)
            if completed.dtype == object or given.dtype == object:
                out = completed.astype(object)
                for j in np.flatnonzero(missing).tolist():
                    out[j] = (1 if given_missing[j] else given[j]) if done[j] else 0
            else:
                out = completed.astype(float)
                giao = np.where(given_missing, 1.0, given)
                out[missing] = np.where(done[missing], giao[missing], 0.0)
            columns[COMPLETED] = out
    if DELAYS in names:
        delays = _column(columns, DELAYS, n)
        missing = _empty(delays)
        if missing.any():
            late = _late(_column(columns, "ngày_hoàn_thành", n), _column(columns, "hạn_hoàn_thành", n))
            out = delays.astype(object if delays.dtype == object else float)
            out[missing] = np.where(late[missing], 1, 0)
            columns[DELAYS] = out


def _late(done: np.ndarray, due: np.ndarray) -> np.ndarray:
    if done.dtype.kind == "f" and due.dtype.kind == "f":
        with np.errstate(invalid="ignore"):
            return done > due  # NaN: not late
    return np.fromiter(
        (
            a is not None and b is not None and a == a and b == b and a > b
            for a, b in zip(done, due, strict=True)
        ),
        bool,
        len(done),
    )


def fill_defaults(columns: dict[str, np.ndarray], n: int, fields: Iterable) -> None:
    """Complete `columns` for `fields` (objects with name, kind, scale, default: `FieldInfo` or
    `FieldSpec`): derived defaults first, then each field's empty cells get `empty_value`; an absent
    column becomes a column of that value. Columns of another length are left alone (the engines
    report them)."""
    fields = list(fields)
    derived_task_defaults(columns, n, {f.name for f in fields} & DERIVED_NEEDS.keys())
    for f in fields:
        value = empty_value(f.kind, f.default, tuple(f.scale or ()))
        col = columns.get(f.name)
        if col is None:
            if value is None:
                columns[f.name] = np.full(n, np.nan) if f.kind == "ngày" else np.full(n, None, dtype=object)
            elif isinstance(value, bool):
                columns[f.name] = np.full(n, value, dtype=bool)
            elif f.kind == "số":
                columns[f.name] = np.full(n, float(value))
            else:
                out = np.empty(n, dtype=object)
                out[:] = [value] * n
                columns[f.name] = out
            continue
        col = np.asarray(col)
        if value is None or len(col) != n:
            continue
        missing = _empty(col)
        if missing.any():
            if col.dtype.kind == "f" and f.kind == "số":
                out = col.copy()
                out[missing] = float(value)  # a decimal literal: exact() reads it back
            else:
                out = col.astype(object)
                out[missing] = value
            columns[f.name] = out


def complete_tasks(data: Dataset, fields: Iterable) -> None:
    """Complete the task columns of `data` for `fields` once (see `fill_defaults`): the Dataset
    remembers the fields already completed, so repeated runs on it cost nothing."""
    todo = [f for f in fields if f.name not in data.completed_fields]
    if not todo:
        return
    columns = dict(data.task_columns)
    fill_defaults(columns, data.task_count, todo)
    data.task_columns = columns
    data.completed_fields.update(f.name for f in todo)
