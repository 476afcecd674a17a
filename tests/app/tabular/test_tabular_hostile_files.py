"""Hostile input files: zip bombs, rows wider or longer than the bounds, lying dimensions, files that are
not regular files. Each is refused (or read) in bounded time and memory, with the limit named.

The bombs are generated here, in tmp, compressed: a few hundred kB on disk for tens of MB of XML."""

from __future__ import annotations

import io
import os
import resource
import time
import zipfile

import openpyxl
import pytest

from app.tabular import read_table, readers, xlsx_bounds

NS = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def xlsx_with_sheet(path, sheet_xml: bytes) -> str:
    """A valid workbook whose first sheet's XML is replaced by `sheet_xml` (deflated)."""
    wb = openpyxl.Workbook()
    wb.active.append(["Mã cán bộ", "Họ và tên"])
    buffer = io.BytesIO()
    wb.save(buffer)
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = sheet_xml if item.filename == "xl/worksheets/sheet1.xml" else src.read(item)
            out.writestr(item.filename, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return str(path)


def sheet(*rows: bytes, dimension: bytes = b"") -> bytes:
    return NS + dimension + b"<sheetData>" + b"".join(rows) + b"</sheetData></worksheet>"


def row(r: int, cells: bytes) -> bytes:
    return b'<row r="%d">' % r + cells + b"</row>"


HEADER = row(1, b'<c r="A1" t="inlineStr"><is><t>M\xc3\xa3 c\xc3\xa1n b\xe1\xbb\x99</t></is></c>')


def bounded(func):
    """Run func; return (result, seconds, MB of peak RSS growth)."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    result = func()
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    return result, time.perf_counter() - start, grown


def test_one_row_of_millions_of_cells_is_refused_before_parsing(tmp_path):
    cells = b'<c t="n"><v>1</v></c>' * 3_000_000  # 63 MB of XML in one row
    path = xlsx_with_sheet(tmp_path / "bom.xlsx", sheet(HEADER, row(2, cells)))
    assert os.path.getsize(path) < 1_000_000
    table, seconds, grown = bounded(lambda: read_table(path))
    assert [e.message for e in table.errors] == [xlsx_bounds._too_wide()]
    assert len(table) == 0 and grown < 200, grown  # openpyxl would build 3 million cells


def test_decompressed_size_is_bounded_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_bounds, "MAX_UNCOMPRESSED", 8 * 1024 * 1024)
    filler = row(2, b'<c r="A2" t="n"><v>1</v></c>') * 500_000  # 16 MB of rows
    path = xlsx_with_sheet(tmp_path / "bom.xlsx", sheet(HEADER, filler))
    table = read_table(path)
    assert len(table.errors) == 1 and "giải nén quá lớn" in table.errors[0].message
    assert "tối đa 8 MB" in table.errors[0].message


def test_too_many_rows_is_refused_with_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_bounds, "MAX_ROWS", 1000)
    rows = b"".join(row(r, b'<c r="A%d" t="n"><v>1</v></c>' % r) for r in range(2, 1100))
    table = read_table(xlsx_with_sheet(tmp_path / "dai.xlsx", sheet(HEADER, rows)))
    assert [e.message for e in table.errors] == ["tệp Excel có hơn 1.000 dòng (giới hạn của Excel)"]


def test_row_numbers_jumping_past_the_limit_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_ROWS", 5000)
    far = row(9_000_000, b'<c r="A9000000" t="n"><v>1</v></c>')
    table, seconds, _ = bounded(lambda: read_table(xlsx_with_sheet(tmp_path / "xa.xlsx", sheet(HEADER, far))))
    assert [e.message for e in table.errors] == ["tệp Excel có hơn 5.000 dòng"]


def test_a_lying_dimension_does_not_pad_rows(tmp_path):
    dimension = b'<dimension ref="A1:XFD1048576"/>'
    data = row(2, b'<c r="A2" t="inlineStr"><is><t>CB1</t></is></c>')
    table, seconds, grown = bounded(
        lambda: read_table(xlsx_with_sheet(tmp_path / "dim.xlsx", sheet(HEADER, data, dimension=dimension)))
    )
    assert not table.errors and table.headers == ["Mã cán bộ"] and table.rows == [("CB1",)]


@pytest.mark.parametrize("suffix", ["", ".csv", ".xlsx", ".json"])
def test_fifo_is_refused_without_blocking(tmp_path, suffix):
    fifo = tmp_path / f"ong{suffix}"
    os.mkfifo(fifo)
    table = read_table(fifo)
    assert len(table.errors) == 1 and "không phải tệp thông thường" in table.errors[0].message


@pytest.mark.parametrize("name", ["x.csv", "x.xlsx", "x.json"])
def test_dev_zero_is_refused(name):
    table = read_table("/dev/zero", name)
    assert len(table.errors) == 1 and "không phải tệp thông thường" in table.errors[0].message


def test_a_regular_xlsx_within_bounds_is_read(tmp_path):
    rows = b"".join(
        row(r, b'<c r="A%d" t="inlineStr"><is><t>CB%d</t></is></c>' % (r, r)) for r in range(2, 3000)
    )
    table = read_table(xlsx_with_sheet(tmp_path / "ok.xlsx", sheet(HEADER, rows)))
    assert not table.errors and len(table) == 2998 and table.rows[-1] == ("CB2999",)


def test_prefixed_sheet_xml_is_counted_too(tmp_path):
    ns = b'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>'
    cells = b'<x:c t="n"><x:v>1</x:v></x:c>' * 1000
    xml = ns + b'<x:row r="1">' + cells + b"</x:row></x:sheetData></x:worksheet>"
    assert xlsx_bounds.check_xlsx(xlsx_with_sheet(tmp_path / "p.xlsx", xml)) == xlsx_bounds._too_wide()
