import datetime as dt
from fractions import Fraction

import pytest

from app.tabular import (
    parse_bool,
    parse_date,
    parse_number,
    parse_period,
    parse_status,
    parse_text,
    period_contains,
)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("97.5", Fraction(195, 2)),
        ("97,5", Fraction(195, 2)),
        (" 12 ", Fraction(12)),
        ("-3", Fraction(-3)),
        ("25%", Fraction(1, 4)),
        ("12,5%", Fraction(1, 8)),
        ("0,125", Fraction(1, 8)),  # a leading 0 cannot start a thousands group
        ("1234,567", Fraction(1234567, 1000)),  # 4 digits before: not a group
        ("1.234,5", Fraction(2469, 2)),
        ("1,234.5", Fraction(2469, 2)),
        ("1.234.567", Fraction(1234567)),
        (7, Fraction(7)),
        (0.1 + 0.2, Fraction(3, 10)),  # spreadsheet floats: 15 significant digits
        ("", None),
        (None, None),
    ],
)
def test_parse_number(raw, expected):
    assert parse_number(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["1.234", "1,234", "999.000", "1.234.5", "1,234,5", "abc", "1e5", "12..5", "1.2345678901234567", True],
)
def test_parse_number_rejects_ambiguous_or_bad(raw):
    with pytest.raises(ValueError):
        parse_number(raw)


def test_parse_number_sixteen_digits_is_an_error_fifteen_is_fine():
    assert parse_number("123456789012345") == 123456789012345
    with pytest.raises(ValueError):
        parse_number("1234567890123456")
    assert parse_number("1000000000000000000") == 10**18  # one significant digit


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("31/01/2026", dt.date(2026, 1, 31)),
        ("1/2/2026", dt.date(2026, 2, 1)),
        ("2026-01-31", dt.date(2026, 1, 31)),
        (dt.datetime(2026, 3, 4, 10, 30), dt.date(2026, 3, 4)),
        ("", None),
    ],
)
def test_parse_date(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["31/02/2026", "2026/01/31", "01-31-2026", "hôm nay", 45000])
def test_parse_date_rejects(raw):
    with pytest.raises(ValueError):
        parse_date(raw)


@pytest.mark.parametrize("raw", ["có", "Có", "CO", "x", "1", "đúng", "yes", True, 1])
def test_parse_bool_true(raw):
    assert parse_bool(raw) is True


@pytest.mark.parametrize("raw", ["không", "khong", "0", "sai", "no", False, 0])
def test_parse_bool_false(raw):
    assert parse_bool(raw) is False


def test_parse_bool_rejects_and_empty():
    assert parse_bool("") is None
    with pytest.raises(ValueError):
        parse_bool("có lẽ")


@pytest.mark.parametrize("raw", ["huy", "Huỷ", "HỦY", "hủy", "Hu\u0309y"])
def test_parse_status_cancelled(raw):
    assert parse_status(raw) == "Hủy"


def test_parse_status_others():
    assert parse_status("hoan thanh") == "Hoàn thành"
    assert parse_status("Đang   thực hiện") == "Đang thực hiện"
    with pytest.raises(ValueError):
        parse_status("Xong")


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2026-01", "2026-01"),
        ("2026-1", "2026-01"),
        ("01/2026", "2026-01"),
        ("Tháng 1/2026", "2026-01"),
        ("2026-Q1", "2026-Q1"),
        ("q2/2026", "2026-Q2"),
        ("Quý IV/2026", "2026-Q4"),
        ("2026", "2026"),
        ("", None),
    ],
)
def test_parse_period(raw, expected):
    assert parse_period(raw) == expected


@pytest.mark.parametrize("raw", ["2026-13", "2026-Q5", "tháng trước"])
def test_parse_period_rejects(raw):
    with pytest.raises(ValueError):
        parse_period(raw)


def test_period_contains():
    assert period_contains("2026-Q1", "2026-03")
    assert not period_contains("2026-Q1", "2026-04")
    assert period_contains("2026", "2026-Q3")
    assert period_contains("2026", "2026-12")
    assert not period_contains("2026-01", "2026-Q1")


def test_parse_text_is_canonical():
    nfd = "Hoa\u0300"  # NFD, new-style tone
    assert parse_text(nfd) == "Hòa"
    assert parse_text("  thuỷ ") == "thủy"


@pytest.mark.parametrize(
    "text",
    [
        "Hoà",
        "thuỷ",
        "Hòa",
        "HOÀ",
        "quý",
        "khoẻ",
        "Nguyễn Văn A",
        "Hoa\u0300",
        "Uỷ ban",
        "hoà.",
        "Kế hoạch",
        "hoà_bình",
        "hoà1",
        "ASCII",
    ],
)
def test_canon_fast_agrees_with_canon(text):
    from app.tabular.values import canon_fast
    from dsl.text import canon

    assert canon_fast(text) == canon(text)


def test_canon_fast_agrees_with_canon_on_random_text():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from app.tabular.values import canon_fast
    from dsl.text import canon

    alphabet = "oOuUqaeyAEY_ .1àáảãạèéẻẽẹỳýỷỹỵÀÁẢÃẠâêôơưđ\u0300\u0301\u0303\u0309\u0323"

    @settings(max_examples=3000, deadline=None)
    @given(st.text(alphabet=alphabet, max_size=8))
    def check(text):
        assert canon_fast(text) == canon(text)

    check()


def test_field_specs_keep_negative_bounds_of_declarations():
    from app.tabular.specs import spec_of
    from dsl.parser import parse

    ruleset, diagnostics = parse(
        'bộ quy tắc "X" phiên bản 1\n\nđầu vào điều_chỉnh "Điều chỉnh": số từ -5 đến 5 mặc định -1\n', "x.kpi"
    )
    assert ruleset is not None, diagnostics
    spec = spec_of(ruleset.inputs[0])
    assert (spec.low, spec.high, spec.default) == ("-5/1", "5/1", -1)
