"""Bounds of an XLSX file, checked BEFORE openpyxl parses it: an XLSX is a zip of XML, and a few
megabytes can decompress to gigabytes (a zip bomb) or declare millions of cells in one row.

`check_xlsx(source)` reads the zip directory (sizes as declared, which `zipfile` enforces while
decompressing: a member that inflates past its declared size fails its CRC and is never read whole),
then streams each worksheet's XML once through zlib, counting rows and the cells of every row with
C-level byte searches. It returns None, or the Vietnamese reason naming the limit that was passed.
"""

from __future__ import annotations

import re
import zipfile

MAX_MEMBERS = 1_000  # files inside the zip
MAX_UNCOMPRESSED = 1024 * 1024 * 1024  # bytes of all members together, as declared
MAX_ROWS = 1_048_576  # Excel's own limit (header included)
MAX_COLUMNS = 256  # cells in one row (the widest template has about 30 columns)
_CHUNK = 1024 * 1024
_WIDE_BYTES = 4 * MAX_COLUMNS
_SHEET = re.compile(r"xl/worksheets/[^/]+\.xml")
_PREFIX = re.compile(rb"<(\w+:)?worksheet[\s>]")


def _mb(n: int) -> str:
    return f"{n // (1024 * 1024):,} MB".replace(",", ".")


def _count(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def check_xlsx(source) -> str | None:
    """None if `source` (a path or a binary file object) stays within the bounds; else the reason."""
    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                return f"tệp Excel chứa quá nhiều phần ({_count(len(members))}; tối đa {_count(MAX_MEMBERS)})"
            total = sum(m.file_size for m in members)
            if total > MAX_UNCOMPRESSED:
                return (f"tệp Excel khi giải nén quá lớn ({_mb(total)}; tối đa {_mb(MAX_UNCOMPRESSED)}): "
                        "hãy chia thành nhiều tệp hoặc lưu dưới dạng CSV")  # fmt: skip
            for member in members:
                if _SHEET.fullmatch(member.filename):
                    with archive.open(member) as stream:
                        reason = _check_sheet(stream)
                    if reason:
                        return reason
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError):
        return None  # not a zip at all: openpyxl reports the damaged file in its own words
    return None


def _check_sheet(stream) -> str | None:
    """Rows and cells per row of one worksheet's XML, streamed in chunks."""
    head = stream.read(_CHUNK)
    found = _PREFIX.search(head[:65536])
    prefix = (found.group(1) or b"") if found else b""
    row = re.compile(b"<" + re.escape(prefix) + rb"row[\s>/]")
    cell = re.compile(b"<" + re.escape(prefix) + rb"c[\s>/]")
    rows, cells = 0, 0  # rows seen; cells of the row being read
    tail = b""
    chunk = head
    while chunk:
        data = tail + chunk
        keep = max(0, len(data) - 16)  # a tag cut by the chunk boundary is found in the next round
        tail = data[keep:]
        data = data[:keep]
        parts = row.split(data)
        cells += len(cell.findall(parts[0]))  # the row being read goes on
        if len(parts) > 1:
            rows += len(parts) - 1
            if rows > MAX_ROWS:
                return f"tệp Excel có hơn {_count(MAX_ROWS)} dòng (giới hạn của Excel)"
            if cells > MAX_COLUMNS:
                return _too_wide()
            whole = parts[1:-1]  # rows that start and end in this chunk
            # a cell is at least "<c/>" (4 bytes): only a row longer than 4 × MAX_COLUMNS bytes can be
            # too wide, so the cells are counted in those rows only (legitimate rows are a few hundred)
            if whole and max(map(len, whole)) > _WIDE_BYTES:
                if max(len(cell.findall(p)) for p in whole if len(p) > _WIDE_BYTES) > MAX_COLUMNS:
                    return _too_wide()
            cells = len(cell.findall(parts[-1]))
        if cells > MAX_COLUMNS:
            return _too_wide()
        chunk = stream.read(_CHUNK)
    cells += len(cell.findall(tail))
    return _too_wide() if cells > MAX_COLUMNS else None


def _too_wide() -> str:
    return f"tệp Excel có dòng hơn {_count(MAX_COLUMNS)} ô (tối đa {_count(MAX_COLUMNS)} cột)"
