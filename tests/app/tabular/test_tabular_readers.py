import json

import openpyxl
import pytest

from app.tabular import read_table
from app.tabular.readers import _CHUNK


def test_csv_with_bom_and_semicolons():
    data = "\ufeffMã cán bộ;Họ và tên\nCB1;Nguyễn Văn A\n".encode()
    table = read_table(data, "nguoi.csv")
    assert table.headers == ["Mã cán bộ", "Họ và tên"]
    assert table.rows == [("CB1", "Nguyễn Văn A")]
    assert list(table.row_numbers) == [2]
    assert not table.errors


def test_csv_comma_with_quoted_semicolon_in_header_line():
    data = b'a,"b;c",d\n1,2,3\n'
    table = read_table(data, "x.csv")
    assert table.headers == ["a", "b;c", "d"]


def test_blank_rows_skipped_row_numbers_kept_and_short_rows_padded(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b,c\n1,2,3\n\n,,\n4,5\n", encoding="utf-8")
    table = read_table(path)
    assert list(table.row_numbers) == [2, 5]
    assert table.rows == [("1", "2", "3"), ("4", "5", None)]


def test_long_row_is_an_error_with_its_row():
    table = read_table(b"a,b\n1,2\n3,4,5\n", "t.csv")
    assert [(e.row, e.value) for e in table.errors] == [(3, "5")]


def test_many_rows_cross_chunks():
    n = _CHUNK + 10
    body = "\n".join(f"{i},x" for i in range(n))
    table = read_table(f"a,b\n{body}\n".encode(), "big.csv")
    assert len(table) == n
    assert table.columns[0][-1] == str(n - 1)
    assert table.row_numbers[-1] == n + 1


def test_not_utf8_is_a_file_error():
    table = read_table("Mã;Tên\n".encode("latin-1"), "x.csv")
    assert table.errors and table.errors[0].row is None


def test_missing_file_and_bad_suffix(tmp_path):
    assert read_table(tmp_path / "none.csv").errors[0].message
    assert read_table(b"x", "a.pdf").errors


def test_xlsx_first_sheet_with_typed_cells(tmp_path):
    import datetime as dt

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Mã nhiệm vụ", "Hạn hoàn thành", "Khối lượng giao", None])
    ws.append(["T1", dt.datetime(2026, 1, 31), 2.5, None])
    ws.append([None, None, None, None])
    ws.append(["T2", "31/01/2026", 1, None])
    wb.create_sheet("other").append(["ignored"])
    path = tmp_path / "t.xlsx"
    wb.save(path)
    table = read_table(path)
    assert table.headers == ["Mã nhiệm vụ", "Hạn hoàn thành", "Khối lượng giao"]
    assert table.rows[0] == ("T1", dt.datetime(2026, 1, 31), 2.5)
    assert list(table.row_numbers) == [2, 4]


def test_garbage_xlsx_is_an_error_not_an_exception():
    table = read_table(b"not a zip", "x.xlsx")
    assert table.errors and not table.headers


def test_json_list_of_objects():
    data = json.dumps([{"a": 1, "b": "x"}, {"b": "y", "c": True}]).encode()
    table = read_table(data, "t.json")
    assert table.headers == ["a", "b", "c"]
    assert table.rows == [(1, "x", None), (None, "y", True)]


@pytest.mark.parametrize("data", [b"{}", b"[1, 2]", b"{oops"])
def test_json_wrong_shape(data):
    assert read_table(data, "t.json").errors
