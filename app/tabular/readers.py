"""Readers: a CSV, XLSX or JSON file in, a column-wise `Table` of raw cell values out.

CSV is read in chunks and transposed with `zip`, and repeated strings of a column (dates, numbers,
codes of people) are shared through a per-column memo, so a million-row file costs little more than
its distinct values. Values are left raw (str for CSV, typed cells for XLSX/JSON): the value parsers of
`values.py` convert them column by column.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from .errors import RowError

_CHUNK = 65536
_MEMO_MIN = 20000  # stop memoising a column whose values are mostly distinct after this many entries


@dataclass(slots=True)
class Table:
    filename: str
    headers: list[str]
    columns: list[list[object]]  # one list per header, all of the same length
    row_numbers: Sequence[int] = field(default_factory=list)  # as the user sees them (header = 1)
    errors: list[RowError] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.row_numbers)

    @property
    def rows(self) -> list[tuple[object, ...]]:
        return list(zip(*self.columns, strict=True)) if self.columns else [()] * len(self)

    def column(self, header: str) -> list[object]:
        return self.columns[self.headers.index(header)]


def read_table(source: str | os.PathLike | bytes, filename: str | None = None) -> Table:
    """Read a CSV, XLSX or JSON table (kind from the file name's suffix). Problems are in `.errors`."""
    name = filename or (str(source) if not isinstance(source, bytes) else "<dữ liệu>")
    suffix = Path(name).suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            return _read_xlsx(source, name)
        if suffix == ".json":
            return _read_json(source, name)
        if suffix not in (".csv", ".txt", ".tsv", ""):
            return _failed(name, f'không đọc được tệp loại "{suffix}" (dùng .csv, .xlsx hoặc .json)')
        return _read_csv(source, name)
    except FileNotFoundError:
        return _failed(name, "không tìm thấy tệp")
    except IsADirectoryError:
        return _failed(name, "đây là một thư mục, không phải tệp")
    except PermissionError:
        return _failed(name, "không có quyền đọc tệp")
    except UnicodeDecodeError:
        return _failed(name, "tệp không phải văn bản UTF-8; hãy lưu lại dưới dạng CSV UTF-8")
    except csv.Error as exc:
        return _failed(name, f"tệp CSV hỏng: {exc}")


def _failed(name: str, message: str) -> Table:
    return Table(name, [], [], [], [RowError(name, None, None, None, message)])


def _sniff(line: str) -> str:
    counts = {d: 0 for d in ",;\t"}
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(source: str | os.PathLike | bytes, name: str) -> Table:
    if isinstance(source, bytes):
        stream = io.StringIO(source.decode("utf-8-sig"), newline="")
    else:
        stream = open(source, encoding="utf-8-sig", newline="")  # noqa: SIM115 (closed below)
    with stream:
        first = stream.readline()
        if not first.strip():
            return _failed(name, "tệp trống hoặc thiếu dòng tiêu đề")
        delimiter = _sniff(first)
        stream.seek(0)
        reader = csv.reader(stream, delimiter=delimiter)
        headers = [h.strip().lstrip("\ufeff") for h in next(reader)]
        return _collect(name, headers, reader)


def _collect(name: str, headers: list[str], reader) -> Table:
    width = len(headers)
    columns: list[list[object]] = [[] for _ in range(width)]
    memos: list[dict | None] = [{} for _ in range(width)]
    errors: list[RowError] = []
    numbers: list[int] = []
    contiguous = True
    next_row = 2
    while True:
        chunk = list(islice(reader, _CHUNK))
        if not chunk:
            break
        first_row, next_row = next_row, next_row + len(chunk)
        irregular = [i for i, r in enumerate(chunk) if len(r) != width or not any(r)]
        if irregular:
            contiguous = False
            chunk, kept = _regularise(name, width, chunk, set(irregular), first_row, errors)
        else:
            kept = range(first_row, next_row)
        numbers.extend(kept)
        if not chunk:
            continue
        for j, values in enumerate(zip(*chunk, strict=True)):
            memo = memos[j]
            if memo is None:
                columns[j].extend(values)
                continue
            columns[j].extend(map(memo.setdefault, values, values))
            if len(memo) > _MEMO_MIN and len(memo) * 2 > len(columns[j]):
                memos[j] = None
    rows: Sequence[int] = range(2, 2 + len(numbers)) if contiguous else numbers
    return Table(name, headers, columns, rows, errors)


def _filled(value: object) -> bool:
    return bool(value.strip()) if isinstance(value, str) else value is not None


def _regularise(name, width, chunk, bad, first_row, errors):
    """Drop blank rows, pad short ones, report long ones. Returns (rows, their row numbers)."""
    rows, kept = [], []
    for i, r in enumerate(chunk):
        number = first_row + i
        if i in bad:
            if not any(_filled(v) for v in r):
                continue
            if len(r) > width:
                extra = [v for v in r[width:] if _filled(v)]
                if extra:
                    message = f"dòng có {len(r)} giá trị nhưng tiêu đề chỉ có {width} cột"
                    errors.append(RowError(name, number, None, extra[0], message))
                r = list(r[:width])
            else:
                r = list(r) + [None] * (width - len(r))
        rows.append(r)
        kept.append(number)
    return rows, kept


def _read_xlsx(source: str | os.PathLike | bytes, name: str) -> Table:
    import openpyxl  # lazy: only when an XLSX is read

    data = io.BytesIO(source) if isinstance(source, bytes) else source
    if not isinstance(source, bytes) and not Path(source).exists():
        raise FileNotFoundError(source)
    try:
        wb = openpyxl.load_workbook(data, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a broken file
        return _failed(name, "không đọc được tệp Excel (.xlsx hỏng hoặc sai định dạng)")
    try:
        if not wb.worksheets:
            return _failed(name, "tệp Excel không có trang tính nào")
        rows = wb.worksheets[0].iter_rows(values_only=True)
        header_row = next(rows, None)
        if header_row is None:
            return _failed(name, "tệp trống hoặc thiếu dòng tiêu đề")
        headers = ["" if h is None else str(h).strip() for h in header_row]
        while headers and not headers[-1]:
            headers.pop()
        if not headers:
            return _failed(name, "tệp trống hoặc thiếu dòng tiêu đề")
        cleaned = ([None if isinstance(v, str) and not v.strip() else v for v in r] for r in rows)
        return _collect(name, headers, cleaned)
    finally:
        wb.close()


def _read_json(source: str | os.PathLike | bytes, name: str) -> Table:
    raw = source if isinstance(source, bytes) else Path(source).read_bytes()
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except json.JSONDecodeError as exc:
        return _failed(name, f"JSON không hợp lệ ở dòng {exc.lineno}, cột {exc.colno}")
    if not isinstance(data, list) or not all(isinstance(o, dict) for o in data):
        return _failed(name, "tệp JSON phải là một danh sách các đối tượng")
    headers: dict[str, None] = {}
    for obj in data:
        for key in obj:
            headers.setdefault(str(key), None)
    names = list(headers)
    errors: list[RowError] = []
    columns: list[list[object]] = [[] for _ in names]
    for i, obj in enumerate(data):
        for j, key in enumerate(names):
            value = obj.get(key)
            if isinstance(value, (list, dict)):
                errors.append(
                    RowError(name, i + 2, key, None, "giá trị phải là số, chuỗi, đúng/sai hoặc null")
                )
                value = None
            columns[j].append(value)
    return Table(name, [n.strip() for n in names], columns, range(2, 2 + len(data)), errors)
