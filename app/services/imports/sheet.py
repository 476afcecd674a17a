"""A table read by app.tabular with its headers matched, converted column by column into Python values
(each distinct raw value parsed once) while every error is collected with its row, column and value."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from dsl.fields import FieldSpec

from ...tabular import RowError, Table, parse_bool, parse_choice, parse_date, parse_number, parse_period
from ...tabular.columns import ColumnReader
from ...tabular.headers import match_header_names
from ...tabular.values import is_empty, number_text, parse_text
from ..identifiers import check_identifier

SCALE = 6  # decimals stored by the database (Numeric(18, 6))
MAX_WHOLE = 10**12
_UNKNOWN = "cột không có trong mẫu"
UNKNOWN_COLUMN = "cột không có trong mẫu nhập và không có trong danh mục trường"
# the catalog learns a ruleset's `đầu vào` and `trường nhiệm vụ` when the ruleset is loaded: on a new
# database the columns of the shipped rulesets are unknown until `kpi rulesets load` has run
LOAD_RULESETS_HINT = (
    "; nếu đây là đầu vào hoặc trường nhiệm vụ do một bộ quy tắc khai báo, hãy nạp bộ quy tắc đó vào cơ sở"
    " dữ liệu trước (các bộ quy tắc có sẵn: lệnh `kpi rulesets load`)"
)


def to_decimal(value: Fraction) -> Decimal:
    """An exact Decimal of a Fraction with at most SCALE decimals (ValueError otherwise)."""
    scaled = value * 10**SCALE
    if scaled.denominator != 1:
        raise ValueError(f"số có quá {SCALE} chữ số thập phân")
    if abs(value) >= MAX_WHOLE:
        raise ValueError("số quá lớn")
    return Decimal(scaled.numerator).scaleb(-SCALE).normalize() if scaled.numerator else Decimal(0)


class Sheet:
    """Column access by field name; `errors` receives every problem (also the header ones)."""

    def __init__(self, table: Table, specs: list[FieldSpec], errors: list[RowError], *, items: bool = False):
        self.items = items  # rows are items of a JSON list (API): messages count them from 1
        self.table = table
        self.specs = {s.name: s for s in specs}
        self.errors = errors
        mapping, header_errors = match_header_names(table.filename, table.headers, specs)
        for e in header_errors:
            if e.message.startswith(_UNKNOWN):
                hint = e.message.split(";", 1)[1] if ";" in e.message else ""
                message = UNKNOWN_COLUMN + (";" + hint if hint else "") + LOAD_RULESETS_HINT
                e = RowError(e.file, e.row, e.column, e.value, message)
            errors.append(e)
        # cross-row checks need the required columns; an unknown extra column does not stop them
        self.header_failed = any(s.required and s.name not in mapping for s in specs)
        self.mapping = mapping
        self.reader = ColumnReader(table, mapping, errors)
        self.n = len(table)
        self.rows = table.row_numbers

    def has(self, name: str) -> bool:
        return name in self.mapping

    def header(self, name: str) -> str:
        return self.table.headers[self.mapping[name]] if name in self.mapping else self.specs[name].label

    def where(self, i: int) -> str:
        """How messages name row i: "dòng 5" in a file, "mục 4" in an API request's list."""
        return f"mục {self.rows[i] - 1}" if self.items else f"dòng {self.rows[i]}"

    def raw(self, name: str, i: int) -> object:
        return self.table.columns[self.mapping[name]][i] if name in self.mapping else None

    def error(self, i: int, name: str, message: str, value: object = ...) -> None:
        shown = self.raw(name, i) if value is ... else value
        self.errors.append(RowError(self.table.filename, self.rows[i], self.header(name), shown, message))

    def _missing(self, name: str, values: list) -> None:
        label = self.specs[name].label
        for i, v in enumerate(values):
            if v is None and is_empty(self.raw(name, i)):
                self.error(i, name, f'thiếu giá trị "{label}"', None)

    # ------------------------------------------------------------------ typed columns (None: empty cell)
    def convert(self, name: str, parse, *, required: bool = False) -> list:
        if name not in self.mapping:
            return [None] * self.n
        values = self.reader.convert(name, lambda v: None if is_empty(v) else parse(v))
        if required:
            self._missing(name, values)
        return values

    def texts(self, name: str, *, required: bool = False) -> list[str]:
        if required and name not in self.mapping:
            return [""] * self.n
        values = self.convert(name, lambda v: parse_text(v) or None, required=required)
        return ["" if v is None else v for v in values]

    def codes(self, name: str, *, required: bool = False) -> list[str]:
        """Identifiers (unit, person, task codes): texts that pass `identifiers.check_identifier`; a
        refused one is a row/column error (and "" here)."""
        if required and name not in self.mapping:
            return [""] * self.n
        values = self.convert(name, lambda v: check_identifier(parse_text(v)) or None, required=required)
        return ["" if v is None else v for v in values]

    def choices(self, name: str, choices: tuple[str, ...], *, required: bool = False) -> list[str | None]:
        what = self.specs[name].label.lower()
        return self.convert(name, lambda v: parse_choice(v, choices, what), required=required)

    def dates(self, name: str, *, required: bool = False) -> list[dt.date | None]:
        return self.convert(name, parse_date, required=required)

    def bools(self, name: str) -> list[bool | None]:
        return self.convert(name, parse_bool)

    def periods(self, name: str, *, required: bool = False) -> list[str | None]:
        return self.convert(name, parse_period, required=required)

    def numbers(
        self, name: str, *, low=None, high=None, integer: bool = False, required: bool = False
    ) -> list:
        """Decimal values (int when `integer`), bounds inclusive."""
        low = None if low is None else Fraction(low)
        high = None if high is None else Fraction(high)

        def parse(raw: object):
            value = parse_number(raw)
            if value is None:
                return None
            if low is not None and value < low:
                raise ValueError(f"giá trị phải từ {number_text(low)} trở lên")
            if high is not None and value > high:
                raise ValueError(f"giá trị không được lớn hơn {number_text(high)}")
            if integer:
                if value.denominator != 1:
                    raise ValueError("cần một số nguyên")
                return int(value)
            return to_decimal(value)

        return self.convert(name, parse, required=required)

    def spec_values(self, spec: FieldSpec) -> list:
        """Values of a catalog field as JSON-safe values: numbers as int, or as an exact decimal string
        when not whole; dates as ISO text; booleans; text (scales matched leniently)."""
        if spec.kind == "số":
            values = self.numbers(spec.name, low=spec.low, high=spec.high)
            return [None if v is None else (int(v) if v == v.to_integral_value() else str(v)) for v in values]
        if spec.kind == "ngày":
            return [None if d is None else d.isoformat() for d in self.dates(spec.name)]
        if spec.kind == "đúng sai":
            return self.bools(spec.name)
        if spec.kind == "thang" or spec.scale or spec.choices:
            return self.choices(spec.name, tuple(spec.scale or spec.choices))
        return [v or None for v in self.texts(spec.name)]


def duplicates(sheet: Sheet, name: str, keys: list, what: str) -> set[int]:
    """Report every repeated key (naming the first row); returns the indexes of the repeats."""
    first: dict[object, int] = {}
    repeats: set[int] = set()
    for i, key in enumerate(keys):
        if key in (None, ""):
            continue
        if key in first:
            repeats.add(i)
            sheet.error(i, name, f"{what} bị trùng với {sheet.where(first[key])}")
        else:
            first[key] = i
    return repeats
