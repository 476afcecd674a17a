"""Column-wise conversion of raw cells into numpy arrays, parsing each distinct value once.

Dates, numbers and codes repeat a lot in task files, so a column is converted through a table of its
distinct values: one parse per distinct value, then one C-level `map` over the column. Errors are
located (row, column, value) only when some distinct value failed.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

import numpy as np

from dsl.fields import FieldSpec

from . import values as V
from .errors import RowError
from .readers import Table

_NAN = float("nan")


class ColumnReader:
    """Converts the columns of one table; collects every error in `errors`."""

    def __init__(self, table: Table, mapping: dict[str, int], errors: list[RowError]):
        self.table = table
        self.mapping = mapping
        self.errors = errors
        self.n = len(table)

    def has(self, name: str) -> bool:
        return name in self.mapping

    def raw(self, name: str) -> list[object]:
        return self.table.columns[self.mapping[name]]

    def convert(self, name: str, parse: Callable[[object], object], check=None) -> list[object]:
        """Parsed values of a column (None for empty cells); `check(value)` may raise ValueError too."""
        column = self.raw(name)
        table: dict[object, object] = {}
        bad: dict[object, str] = {}
        for raw in set(column):
            try:
                value = parse(raw)
                if check is not None and value is not None:
                    check(value)
            except ValueError as exc:
                bad[raw] = str(exc)
                value = None
            table[raw] = value
        if bad:
            header = self.table.headers[self.mapping[name]]
            rows = self.table.row_numbers
            for i, raw in enumerate(column):
                if raw in bad:
                    self.errors.append(RowError(self.table.filename, rows[i], header, raw, bad[raw]))
        return list(map(table.__getitem__, column))

    def error_at(self, name: str, i: int, message: str) -> None:
        header = self.table.headers[self.mapping[name]] if name in self.mapping else name
        value = self.raw(name)[i] if name in self.mapping else None
        self.errors.append(RowError(self.table.filename, self.table.row_numbers[i], header, value, message))

    # ------------------------------------------------------------------ typed columns

    def numbers(self, spec: FieldSpec, default: object = None, *, required: bool = False) -> np.ndarray:
        """float64 column; empty cells take `default` (a number) or NaN; `required`: empty is an error."""
        if not self.has(spec.name):
            fill = _NAN if default is None else float(default)
            return np.full(self.n, fill, dtype=np.float64)
        check = bounds_check(spec)
        parsed = self.convert(spec.name, V.parse_number, check)
        fill = _NAN if default is None else float(default)
        lookup = {}
        for value in set(parsed):
            lookup[value] = fill if value is None else float(value)
        out = np.fromiter(map(lookup.__getitem__, parsed), dtype=np.float64, count=self.n)
        if required and default is None:
            self._report_empty(spec, parsed)
        return out

    def dates(self, spec: FieldSpec, *, required: bool = False) -> np.ndarray:
        """float64 column of proleptic ordinals, NaN when empty."""
        if not self.has(spec.name):
            return np.full(self.n, _NAN, dtype=np.float64)
        parsed = self.convert(spec.name, V.parse_date)
        lookup = {d: (_NAN if d is None else float(d.toordinal())) for d in set(parsed)}
        if required:
            self._report_empty(spec, parsed)
        return np.fromiter(map(lookup.__getitem__, parsed), dtype=np.float64, count=self.n)

    def bools(self, spec: FieldSpec, default: bool = False) -> np.ndarray:
        if not self.has(spec.name):
            return np.full(self.n, bool(default), dtype=bool)
        parsed = self.convert(spec.name, V.parse_bool)
        lookup = {b: (bool(default) if b is None else b) for b in set(parsed)}
        return np.fromiter(map(lookup.__getitem__, parsed), dtype=bool, count=self.n)

    def texts(self, spec: FieldSpec, *, required: bool = False, default: str = "") -> np.ndarray:
        """object column of canon() text; choices (if the spec has any) matched leniently."""
        if not self.has(spec.name):
            return _object_array([default] * self.n)
        if spec.choices or spec.scale:
            choices = spec.choices or spec.scale
            label = spec.label.lower()
            parsed = self.convert(spec.name, lambda v: V.parse_choice(v, choices, label))
        else:
            parsed = self.convert(spec.name, lambda v: V.parse_text(v) or None)
        if required:
            self._report_empty(spec, parsed)
        return _object_array([default if v is None else v for v in parsed] if None in set(parsed) else parsed)

    def _report_empty(self, spec: FieldSpec, parsed: list[object]) -> None:
        header = self.table.headers[self.mapping[spec.name]]
        rows = self.table.row_numbers
        for i, value in enumerate(parsed):
            if value is None and not self._failed(i, spec.name):
                message = f'thiếu giá trị "{spec.label}"'
                self.errors.append(RowError(self.table.filename, rows[i], header, None, message))

    def _failed(self, i: int, name: str) -> bool:
        raw = self.raw(name)[i]
        return not V.is_empty(raw)


def _object_array(items: list[object]) -> np.ndarray:
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


def bounds_check(spec: FieldSpec):
    """A check(value) raising ValueError outside the spec's low/high, or None without bounds."""
    low = None if spec.low is None else Fraction(spec.low)
    high = None if spec.high is None else Fraction(spec.high)
    if low is None and high is None:
        return None

    def check(value: Fraction) -> None:
        if low is not None and value < low:
            raise ValueError(f"giá trị phải từ {_show(low)} trở lên")
        if high is not None and value > high:
            raise ValueError(f"giá trị không được lớn hơn {_show(high)}")

    return check


def _show(x: Fraction) -> str:
    return str(x.numerator) if x.denominator == 1 else format(float(x), "g")
