"""The one cell sanitiser of every CSV and XLSX the platform writes: exports carry data, never formulas.

Text that a spreadsheet would run as a formula, i.e. that starts with `=`, `+`, `-`, `@`, a tab or a
carriage return (OWASP's CSV-injection advice), is written as text: in a CSV prefixed with `'`; in an
XLSX as a cell whose data type is string (the text unchanged, never an `<f>` formula). Numbers stay
numbers (a negative number is data); only text is escaped. Writers apply `safe_cell` to every value that
comes from data (codes, names, levels, headers taken from rulesets or the field catalog) and never to the
text they format from numbers themselves.
"""

from __future__ import annotations

import csv

FORMULA_LEADS = frozenset("=+-@\t\r")
CSV_ESCAPE = "'"
FORMULA_CODE = 'mã không được bắt đầu bằng "=", "+", "-", "@", dấu tab hay dấu xuống dòng'


def formula_like(text: str) -> bool:
    """True when a spreadsheet could read `text` as a formula."""
    return text[:1] in FORMULA_LEADS


def safe_cell(value: object, sheet=None) -> object:
    """`value` made safe for a CSV (`sheet` None: formula-like text gets a leading "'") or for an
    XLSX worksheet (`sheet` given: formula-like text becomes a cell typed as string). Everything else
    (numbers, dates, booleans, None, other text) is returned as it is."""
    if type(value) is not str or value[:1] not in FORMULA_LEADS:
        return value
    if sheet is None:
        return CSV_ESCAPE + value
    from openpyxl.cell import WriteOnlyCell  # lazy: only when an XLSX is written

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # openpyxl infers "f" (formula) for text starting with "="
    return cell


def safe_row(values, sheet=None) -> list:
    """`safe_cell` over a row."""
    return [safe_cell(v, sheet) for v in values]


class SafeCsvWriter:
    """`csv.writer` whose rows go through `safe_cell`: for files written from data row by row."""

    def __init__(self, stream, **options):
        self._writer = csv.writer(stream, **options)

    def writerow(self, row) -> None:
        self._writer.writerow(safe_row(row))

    def writerows(self, rows) -> None:
        self._writer.writerows(safe_row(r) for r in rows)
