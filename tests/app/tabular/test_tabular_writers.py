import io
import json
from fractions import Fraction

import openpyxl
import pytest

from app.tabular import writers
from dsl.results import PersonResult, RunResult

LAYOUT = writers.Layout(criteria=["a", "b"], outputs=[("hệ_số", "Hệ số thu nhập")], digits=2)


def run():
    return RunResult(
        code="ND335",
        version=1,
        sha256="abc",
        period="2026-01",
        results=[
            PersonResult(
                "CB1", "P1", {"a": Fraction(100), "b": Fraction(1951, 20)}, Fraction(9742, 100),
                "Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành xuất sắc nhiệm vụ", [], {"hệ_số": Fraction(1, 2)}, ["a = 100"],
            ),
            PersonResult("CB2", "P1", {"a": Fraction(1, 3)}, None, None, None, ["Bị kỷ luật"], {}, [], not_rated=True),
        ],
    )  # fmt: skip


def test_json_shape_and_rounding():
    data = json.loads(writers.dumps_json(run(), LAYOUT))
    assert data["ruleset"] == {"code": "ND335", "version": 1, "sha256": "abc"}
    assert data["period"] == "2026-01"
    first, second = data["results"]
    assert first == {
        "person": "CB1",
        "unit": "P1",
        "criteria": {"a": 100.0, "b": 97.55},
        "score": 97.42,
        "level": "Hoàn thành xuất sắc nhiệm vụ",
        "level_before_quota": "Hoàn thành xuất sắc nhiệm vụ",
        "vetoes": [],
        "outputs": {"hệ_số": 0.5},
    }
    assert second["criteria"] == {"a": 0.33} and second["score"] is None and second["level"] is None
    assert "explanation" not in first
    assert json.loads(writers.dumps_json(run(), LAYOUT, explain=True))["results"][0]["explanation"] == [
        "a = 100"
    ]


def test_round_decimal_modes():
    assert str(writers.round_decimal(Fraction(97415, 1000), 2)) == "97.42"
    assert str(writers.round_decimal(Fraction(97411, 1000), 2, "lên")) == "97.42"
    assert str(writers.round_decimal(Fraction(97419, 1000), 2, "xuống")) == "97.41"
    assert str(writers.round_decimal(Fraction(100), 2)) == "100.00"


def test_table_is_aligned_with_vietnamese_headers():
    text = writers.format_table(run(), LAYOUT)
    lines = text.splitlines()
    assert lines[0].split()[:2] == ["Mã", "cán"]
    for header in ("Đơn vị", "Điểm", "Xếp loại", "Trước hạn mức", "Loại trừ", "Hệ số thu nhập"):
        assert header in lines[0]
    assert lines[2].index("97,42") == lines[0].index("Điểm") + len("Điểm") - len("97,42")  # decimal comma
    assert "Không xếp loại" in lines[3] and "Bị kỷ luật" in lines[3]


def test_csv_and_xlsx(tmp_path):
    buffer = io.StringIO()
    writers.write_csv(run(), LAYOUT, buffer)
    rows = buffer.getvalue().splitlines()
    assert rows[0].startswith("Mã cán bộ,Đơn vị,Kỳ,a,b,Điểm,Xếp loại")
    assert rows[1].startswith("CB1,P1,2026-01,100.00,97.55,97.42,")
    path = tmp_path / "out.xlsx"
    writers.write_xlsx(run(), LAYOUT, path)
    ws = openpyxl.load_workbook(path).active
    assert ws["A1"].value == "Mã cán bộ" and ws["A1"].font.bold
    assert ws.freeze_panes == "A2"
    assert ws["F2"].value == 97.42 and ws["F2"].number_format == "#,##0.00"


def test_table_numbers_in_vietnamese_style():
    assert writers.vietnamese_number("1500000.00") == "1.500.000,00"
    assert writers.vietnamese_number("-12.5") == "-12,5"
    assert writers.vietnamese_number("97") == "97"
    assert writers.vietnamese_number("Hoàn thành") == "Hoàn thành"


@pytest.mark.parametrize("digits", [0, 1, 2, 3])
def test_fast_text_numbers_equal_exact_rounding(digits):
    import random

    layout = writers.Layout(criteria=(), digits=digits)
    text = writers.text_number(layout)
    rnd = random.Random(digits)
    values = [Fraction(rnd.randint(-(10**6), 10**6), rnd.choice([1, 3, 8, 40, 1000])) for _ in range(2000)]
    values += [Fraction(73935, 1000), Fraction(-73935, 1000), None, True, 5, "x"]
    for x in values:
        assert text(x) == writers._text(x, layout)


def hostile_run():
    """Text from data that a spreadsheet would run as a formula, beside negative numbers."""
    return RunResult(
        code="ND335", version=1, sha256="abc", period="2026-01",
        results=[
            PersonResult(
                "=HYPERLINK(\"http://x\")", "+P1", {"a": Fraction(-5, 2), "b": Fraction(1)}, Fraction(-1),
                "@SUM(A1)", "-Tốt", ["\tveto", "\rveto"], {"hệ_số": "=1+1"}, [],
            ),
        ],
    )  # fmt: skip


HOSTILE_LAYOUT = writers.Layout(criteria=["a", "b"], outputs=[("hệ_số", "=cmd|' /C calc'!A0")], digits=2)


def test_csv_export_escapes_formula_text_and_keeps_numbers():
    import csv

    buffer = io.StringIO()
    writers.write_csv(hostile_run(), HOSTILE_LAYOUT, buffer)
    head, row = list(csv.reader(io.StringIO(buffer.getvalue(), newline="")))
    assert head[-1] == "'=cmd|' /C calc'!A0"
    assert row[:3] == ['\'=HYPERLINK("http://x")', "'+P1", "2026-01"]
    assert row[3:6] == ["-2.50", "1.00", "-1.00"]  # numbers stay numbers, negative ones included
    assert row[6:10] == ["'@SUM(A1)", "'-Tốt", "'\tveto; \rveto", "'=1+1"]


def test_xlsx_export_has_no_formula_cell(tmp_path):
    path = tmp_path / "out.xlsx"
    writers.write_xlsx(hostile_run(), HOSTILE_LAYOUT, path)
    ws = openpyxl.load_workbook(path).active
    cells = [c for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = [c.value for c in cells]
    assert '=HYPERLINK("http://x")' in values and "=1+1" in values and "=cmd|' /C calc'!A0" in values
    assert ws["D2"].value == -2.5 and ws["D2"].data_type == "n"  # a negative number is data
    assert ws["F2"].value == -1 and ws["F2"].data_type == "n"


def test_safe_cell_is_the_one_rule():
    from app.tabular.cells import safe_cell

    for text in ("=1", "+1", "-1", "@a", "\t1", "\r1"):
        assert safe_cell(text) == "'" + text
    for value in ("", "a=1", "Nguyễn", -1, -2.5, Fraction(-1, 2), None, True):
        assert safe_cell(value) == value
