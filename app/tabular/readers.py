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
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from operator import itemgetter
from pathlib import Path

from .errors import RowError
from .xlsx_bounds import MAX_COLUMNS, MAX_ROWS, check_xlsx

_CHUNK = 2048  # rows per chunk: small enough to stay in the CPU caches (measured: 65536 is 2x slower)
_first = itemgetter(0)
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


@dataclass(slots=True)
class Stream:
    """A table read chunk by chunk: `chunks` yields (row numbers, rows of `len(headers)` values).

    `errors` holds file-level problems, and grows with row-level ones (rows longer than the header)
    while the chunks are consumed. Blank rows are skipped; short rows are padded with None.
    """

    filename: str
    headers: list[str]
    chunks: Iterator[tuple[Sequence[int], list[Sequence[object]]]]
    errors: list[RowError] = field(default_factory=list)
    delimiter: str = ","  # of a CSV
    progress: dict = field(default_factory=dict)  # CSV: "next_row" and the "last" raw record read


def open_stream(source: str | os.PathLike | bytes | io.BytesIO, filename: str | None = None) -> Stream:
    """Open a CSV, XLSX or JSON table for chunked reading (kind from the file name's suffix);
    an `io.BytesIO` source is a CSV read as a file would be (the head of a split file)."""
    name = filename or (str(source) if not isinstance(source, bytes) else "<dữ liệu>")
    suffix = Path(name).suffix.lower()
    try:
        if isinstance(source, (str, os.PathLike)) and (problem := _not_regular(source)):
            return _failed(name, problem)
        if suffix in (".xlsx", ".xlsm"):
            return _xlsx_stream(source, name)
        if suffix == ".json":
            return _json_stream(source, name)
        if suffix not in (".csv", ".txt", ".tsv", ""):
            return _failed(name, f'không đọc được tệp loại "{suffix}" (dùng .csv, .xlsx hoặc .json)')
        return _csv_stream(source, name)
    except FileNotFoundError:
        return _failed(name, "không tìm thấy tệp")
    except IsADirectoryError:
        return _failed(name, "đây là một thư mục, không phải tệp")
    except PermissionError:
        return _failed(name, "không có quyền đọc tệp")
    except UnicodeDecodeError:
        return _failed(name, _NOT_UTF8)
    except csv.Error as exc:
        return _failed(name, f"tệp CSV hỏng: {exc}")


_NOT_UTF8 = "tệp không phải văn bản UTF-8; hãy lưu lại dưới dạng CSV UTF-8"


def _not_regular(path: str | os.PathLike) -> str | None:
    """Why `path` is not read: only a regular file is (never /dev/zero, a FIFO, a socket)."""
    mode = os.stat(path).st_mode
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(path)
    if not stat.S_ISREG(mode):
        return "không phải tệp thông thường (thiết bị, FIFO, socket…): không đọc"
    return None


def read_table(source: str | os.PathLike | bytes, filename: str | None = None) -> Table:
    """Read a whole CSV, XLSX or JSON table into columns. Problems are in `.errors` (never raised)."""
    stream = open_stream(source, filename)
    width = len(stream.headers)
    columns: list[list[object]] = [[] for _ in range(width)]
    memos: list[dict | None] = [{} for _ in range(width)]
    numbers: list[Sequence[int]] = []
    for kept, chunk in safe_chunks(stream):
        numbers.append(kept)
        for j, values in enumerate(zip(*chunk, strict=True)):
            memo = memos[j]
            if memo is None:
                columns[j].extend(values)
                continue
            columns[j].extend(map(memo.setdefault, values, values))
            if len(memo) > _MEMO_MIN and len(memo) * 2 > len(columns[j]):
                memos[j] = None
    return Table(stream.filename, stream.headers, columns, join_rows(numbers), stream.errors)


def safe_chunks(stream: Stream):
    """`stream.chunks`, turning a failure in the middle of the file into a file error (no exception)."""
    try:
        yield from stream.chunks
    except UnicodeDecodeError:
        stream.errors.append(RowError(stream.filename, None, None, None, _NOT_UTF8))
    except csv.Error as exc:
        stream.errors.append(RowError(stream.filename, None, None, None, f"tệp CSV hỏng: {exc}"))
    except Exception as exc:  # a damaged XLSX sheet, for one  # noqa: BLE001
        message = f"không đọc hết được tệp ({type(exc).__name__})"
        stream.errors.append(RowError(stream.filename, None, None, None, message))


def join_rows(parts: list[Sequence[int]]) -> Sequence[int]:
    """Row numbers of consecutive chunks, as one range when they are contiguous from row 2."""
    total = sum(len(p) for p in parts)
    if all(isinstance(p, range) for p in parts) and (
        not parts or parts[-1][-1:] == range(total + 1, total + 2)
    ):
        return range(2, 2 + total)
    out: list[int] = []
    for p in parts:
        out.extend(p)
    return out


def _failed(name: str, message: str) -> Stream:
    return Stream(name, [], iter(()), [RowError(name, None, None, None, message)])


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


def _csv_stream(source: str | os.PathLike | bytes | io.BytesIO, name: str) -> Stream:
    if isinstance(source, bytes):
        text = io.StringIO(source.decode("utf-8-sig"), newline="")
    elif isinstance(source, io.BytesIO):  # the head of a file split in two (halves.py): decoded as read
        text = io.TextIOWrapper(source, encoding="utf-8-sig", newline="")
    else:
        text = open(source, encoding="utf-8-sig", newline="")  # noqa: SIM115 (closed by the generator)
    first = text.readline()
    if not first.strip():
        text.close()
        return _failed(name, "tệp trống hoặc thiếu dòng tiêu đề")
    text.seek(0)
    reader = csv.reader(text, delimiter=_sniff(first))
    headers = [h.strip().lstrip("\ufeff") for h in next(reader)]
    errors: list[RowError] = []
    stream = Stream(name, headers, iter(()), errors, reader.dialect.delimiter)
    stream.chunks = _chunks(name, len(headers), reader, errors, text, progress=stream.progress)
    return stream


def open_csv_part(path: str | os.PathLike, name: str, offset: int, delimiter: str, width: int) -> Stream:
    """The records of a CSV file from byte `offset` (the start of a line) on, numbered from 0."""
    raw = open(path, "rb")  # noqa: SIM115 (closed by the generator, through the wrapper)
    raw.seek(offset)
    text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
    errors: list[RowError] = []
    reader = csv.reader(text, delimiter=delimiter)
    return Stream(name, [], _chunks(name, width, reader, errors, text, 0), errors, delimiter)


def _chunks(name, width, reader, errors: list[RowError], closing=None, first_row: int = 2, progress=None):
    try:
        next_row = first_row
        if progress is not None:
            progress["next_row"] = next_row
        while True:
            chunk = list(islice(reader, _CHUNK))
            if not chunk:
                break
            first_row, next_row = next_row, next_row + len(chunk)
            if progress is not None:
                progress["next_row"], progress["last"] = next_row, chunk[-1]
            # cheap C-level screening; rows of the wrong length or with an empty first cell get a closer look
            if set(map(len, chunk)) != {width} or "" in map(_first, chunk) or None in map(_first, chunk):
                irregular = [i for i, r in enumerate(chunk) if len(r) != width or not _filled(r[0])]
            else:
                irregular = None
            if irregular:
                chunk, kept = _regularise(name, width, chunk, set(irregular), first_row, errors)
            else:
                kept = range(first_row, next_row)
            if chunk:
                yield kept, chunk
    finally:
        if closing is not None:
            closing.close()


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


def _xlsx_stream(source: str | os.PathLike | bytes, name: str) -> Stream:
    """The first sheet, streamed by openpyxl (read-only) once `xlsx_bounds` has bounded the work:
    decompressed size, rows and cells per row are checked before any cell is parsed."""
    import openpyxl  # lazy: only when an XLSX is read

    if not isinstance(source, bytes) and not Path(source).exists():
        raise FileNotFoundError(source)
    data = io.BytesIO(source) if isinstance(source, bytes) else source
    problem = check_xlsx(data)
    if problem:
        return _failed(name, problem)
    if isinstance(data, io.BytesIO):
        data.seek(0)
    try:
        wb = openpyxl.load_workbook(data, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a broken file
        return _failed(name, "không đọc được tệp Excel (.xlsx hỏng hoặc sai định dạng)")
    if not wb.worksheets:
        wb.close()
        return _failed(name, "tệp Excel không có trang tính nào")
    sheet = wb.worksheets[0]
    # the declared dimension may lie: never pad a row past MAX_COLUMNS, never read past MAX_ROWS
    width = min(sheet.max_column or MAX_COLUMNS, MAX_COLUMNS)
    errors: list[RowError] = []
    rows = _at_most(sheet.iter_rows(values_only=True, max_col=width), MAX_ROWS, name, errors)
    header_row = next(rows, None)
    headers = ["" if h is None else str(h).strip() for h in header_row or ()]
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        wb.close()
        return _failed(name, "tệp trống hoặc thiếu dòng tiêu đề")
    cleaned = ([None if isinstance(v, str) and not v.strip() else v for v in r] for r in rows)
    return Stream(name, headers, _chunks(name, len(headers), cleaned, errors, wb), errors)


def _at_most(rows, limit: int, name: str, errors: list[RowError]):
    """The first `limit` rows; more (e.g. row numbers that jump past Excel's last row) is an error."""
    yield from islice(rows, limit)
    if next(rows, None) is not None:
        errors.append(RowError(name, None, None, None, f"tệp Excel có hơn {limit:,} dòng".replace(",", ".")))


def _json_stream(source: str | os.PathLike | bytes, name: str) -> Stream:
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
    rows = []
    for i, obj in enumerate(data):
        row = []
        for key in names:
            value = obj.get(key)
            if isinstance(value, (list, dict)):
                message = "giá trị phải là số, chuỗi, đúng/sai hoặc null"
                errors.append(RowError(name, i + 2, key, None, message))
                value = None
            row.append(value)
        rows.append(row)
    chunks = iter([(range(2, 2 + len(rows)), rows)] if rows else [])
    return Stream(name, [n.strip() for n in names], chunks, errors)
