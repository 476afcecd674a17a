"""Loading one person's records from a Dataset into a PersonState: task columns (complete, see dsl.defaults),
inputs (defaults, missing and invalid values), person fields and sub-period results."""

from __future__ import annotations

import numpy as np

from ..errors import BadValue, MissingInput
from ..records import Dataset
from .env import PersonState
from .symbols import PERSON_ATTRS, FieldInfo, InputInfo
from .values import CONVERTERS, NA, number_of, text_of


class Rows:
    """Row indices of each person's tasks and sub-period results, grouped once per run."""

    def __init__(self, data: Dataset, people: list[int] | None):
        self.data = data
        self._tasks = self._group(data.task_person, len(data.people), people)
        self._periods = self._group(data.period_person, len(data.people), people)

    @staticmethod
    def _group(owner: np.ndarray, n_people: int, people: list[int] | None):
        owner = np.asarray(owner, dtype=np.int64)
        if people is not None and len(people) * 8 < n_people:
            return {i: np.flatnonzero(owner == i) for i in people}
        if owner.size and (owner.min() < 0 or owner.max() >= n_people):
            raise BadValue("chỉ số cán bộ của bản ghi nằm ngoài danh sách cán bộ")
        order = np.argsort(owner, kind="stable")
        counts = np.bincount(owner, minlength=n_people)
        starts = np.concatenate(([0], np.cumsum(counts)))
        return _Slices(order, starts)

    def tasks(self, i: int) -> np.ndarray:
        return self._tasks[i]

    def periods(self, i: int) -> np.ndarray:
        return self._periods[i]


class _Slices:
    def __init__(self, order, starts):
        self.order, self.starts = order, starts

    def __getitem__(self, i):
        return self.order[self.starts[i] : self.starts[i + 1]]


def _column(data: Dataset, name: str, columns: dict, rows: np.ndarray, convert) -> list:
    col = columns.get(name)
    if col is None:
        return [None] * len(rows)
    raw = np.asarray(col)[rows].tolist()
    try:
        return [convert(x) for x in raw]
    except (ValueError, TypeError, ArithmeticError):
        for j, x in enumerate(raw):
            try:
                convert(x)
            except (ValueError, TypeError, ArithmeticError):
                where = int(rows[j])
                if data.task_rows is not None and columns is data.task_columns:
                    where = int(data.task_rows[rows[j]])
                raise BadValue(f'giá trị không hợp lệ ở cột "{name}", dòng {where}: {x!r}') from None
        raise


def load_tasks(p: PersonState, data: Dataset, rows: np.ndarray, needed: list[FieldInfo]) -> None:
    """Fill `p.task` with the needed task fields as exact values (the columns are complete: see
    dsl.defaults.complete_tasks)."""
    p.task_rows = rows
    p.n_tasks = len(rows)
    for info in needed:
        convert = CONVERTERS.get(info.kind, text_of)
        p.task[info.name] = _column(data, info.name, data.task_columns, rows, convert)


def load_periods(p: PersonState, data: Dataset, rows: np.ndarray, criteria: tuple[str, ...]) -> None:
    p.n_period = len(rows)
    for name, col in data.period_columns.items():
        raw = np.asarray(col)[rows].tolist()
        if name in ("kỳ", "xếp_loại", "mã_cán_bộ"):
            p.period[name] = [text_of(x) for x in raw]
            continue
        try:
            vals = [number_of(x) for x in raw]
        except (ValueError, TypeError, ArithmeticError):
            raise BadValue(f'giá trị không hợp lệ ở cột kết quả kỳ "{name}"', p.code) from None
        p.period[name] = [NA if v is None else v for v in vals]


def load_fields(p: PersonState) -> None:
    rec = p.record
    for name, attr in PERSON_ATTRS.items():
        p.fields[name] = getattr(rec, attr)
    for name, value in rec.extra.items():
        p.fields.setdefault(name, value)


def load_inputs(p: PersonState, data: Dataset, inputs: list[InputInfo], problems: dict) -> None:
    """Resolve inputs; record missing ones in problems["missing"][code] and bad ones in problems["bad"]."""
    given = data.inputs.get(p.code) or {}
    for info in inputs:
        raw = given.get(info.name)
        if raw is None or (isinstance(raw, float) and raw != raw):
            if info.required:
                problems["missing"].setdefault(p.code, []).append(info.name)
                continue
            raw = info.default
        try:
            value = CONVERTERS.get(info.kind, text_of)(raw)
        except (ValueError, TypeError, ArithmeticError):
            problems["bad"].append(f'đầu vào "{info.name}" của cán bộ {p.code} không hợp lệ: {raw!r}')
            continue
        if info.kind == "thang" and info.scale and value not in info.scale:
            problems["bad"].append(f'đầu vào "{info.name}" của cán bộ {p.code}: "{value}" không thuộc thang')
            continue
        if info.kind == "số" and value is not None:
            if (info.low is not None and value < info.low) or (info.high is not None and value > info.high):
                problems["bad"].append(
                    f'đầu vào "{info.name}" của cán bộ {p.code} = {raw} nằm ngoài khoảng {info.low}–{info.high}'
                )
                continue
        p.inputs[info.name] = value


def raise_input_problems(problems: dict) -> None:
    missing: dict[str, list[str]] = problems["missing"]
    if missing:
        if len(missing) == 1:  # the person goes with the error (shown once, as "(cán bộ X)")
            ((code, names),) = missing.items()
            raise MissingInput("thiếu đầu vào " + ", ".join(f'"{n}"' for n in names), code)
        parts = []
        for code, names in missing.items():
            listed = ", ".join(f'"{n}"' for n in names)
            parts.append(f"thiếu đầu vào {listed} của cán bộ {code}")
        raise MissingInput("; ".join(parts))
    if problems["bad"]:
        raise BadValue("; ".join(problems["bad"]))
