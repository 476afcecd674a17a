"""Parsers for one cell value: numbers, dates, booleans, task statuses, periods, text.

Each parser takes what a reader produced (a str from CSV/JSON, or a typed XLSX/JSON value), returns the
canonical Python value (None for an empty cell) and raises `ValueError` with a Vietnamese message when
the value cannot be read without guessing.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from fractions import Fraction

from dsl.fields import TASK_STATUSES
from dsl.text import canon, fold, header_key

from .errors import shorten

MAX_DIGITS = 15

_PLAIN = re.compile(r"[+-]?\d+")
_ONE_SEP = re.compile(r"([+-]?)(\d+)([.,])(\d+)")
_GROUPED = re.compile(r"([+-]?)([1-9]\d{0,2}(?:([.,])\d{3})(?:\3\d{3})*)(?:([.,])(\d+))?")


def is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _check_digits(digits: str, shown: object) -> None:
    significant = digits.lstrip("0").rstrip("0")
    if len(significant) > MAX_DIGITS:
        raise ValueError(f"số {shorten(shown)} có hơn {MAX_DIGITS} chữ số có nghĩa, không lưu được chính xác")


def parse_number(value: object) -> Fraction | None:
    """ "97.5" or "97,5" -> Fraction(195, 2); "25%" -> 1/4; "1.234" / "1,234" are ambiguous: error."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("cần một số, không phải giá trị đúng/sai")
    if isinstance(value, int):
        _check_digits(str(abs(value)), value)
        return Fraction(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("không phải một số")
        # A spreadsheet shows (and means) at most 15 significant digits.
        return Fraction(f"{value:.15g}")
    if isinstance(value, (dt.date, dt.datetime)):
        raise ValueError("cần một số, không phải một ngày")
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    percent = text.endswith("%")
    if percent:
        text = text[:-1]
    number = _number_of(text, str(value).strip())
    return number / 100 if percent else number


def _number_of(text: str, shown: str) -> Fraction:
    if _PLAIN.fullmatch(text):
        _check_digits(text.lstrip("+-"), shown)
        return Fraction(int(text))
    m = _ONE_SEP.fullmatch(text)
    if m:
        sign, whole, sep, frac = m.groups()
        if len(frac) == 3 and re.fullmatch(r"[1-9]\d{0,2}", whole):
            raise ValueError(
                f'"{shorten(shown)}" không rõ nghĩa: có thể là {whole}{frac} (dấu "{sep}" phân cách hàng nghìn) '
                f"hoặc {whole},{frac} (phần thập phân); hãy ghi không có dấu phân cách hàng nghìn"
            )
        _check_digits(whole + frac, shown)
        return Fraction(f"{sign}{whole}.{frac}")
    m = _GROUPED.fullmatch(text)
    if m:
        sign, grouped, group_sep, dec_sep, frac = m.groups()
        if dec_sep is None and grouped.count(group_sep) == 1:
            raise ValueError(f'"{shorten(shown)}" không rõ nghĩa: hãy ghi không có dấu phân cách hàng nghìn')
        if dec_sep is not None and dec_sep == group_sep:
            raise ValueError(f'"{shorten(shown)}" không phải một số hợp lệ')
        whole = grouped.replace(group_sep, "")
        frac = frac or ""
        _check_digits(whole + frac, shown)
        return Fraction(f"{sign}{whole}.{frac}" if frac else f"{sign}{whole}")
    if re.fullmatch(r"[+-]?[\d.,]*\d[eE][+-]?\d+", text):
        raise ValueError(f'"{shorten(shown)}" viết dạng lũy thừa; hãy ghi số đầy đủ')
    raise ValueError(f'"{shorten(shown)}" không phải một số (ví dụ đúng: 97.5 hoặc 97,5)')


_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_date(value: object) -> dt.date | None:
    """ "31/01/2026" (dd/mm/yyyy) or "2026-01-31", or a spreadsheet date cell."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float, bool)):
        raise ValueError("cần một ngày dạng dd/mm/yyyy hoặc yyyy-mm-dd")
    text = str(value).strip()
    if not text:
        return None
    m = _DMY.fullmatch(text)
    if m:
        day, month, year = (int(g) for g in m.groups())
    else:
        m = _YMD.fullmatch(text) or _YMD.fullmatch(text.split("T")[0].split(" ")[0])
        if not m:
            raise ValueError(f'"{shorten(text)}" không phải ngày dạng dd/mm/yyyy hoặc yyyy-mm-dd')
        year, month, day = (int(g) for g in m.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f'ngày "{shorten(text)}" không tồn tại') from None


_TRUE = {"co", "x", "1", "dung", "yes", "y", "true", "t"}
_FALSE = {"khong", "0", "sai", "no", "n", "false", "f"}


def parse_bool(value: object) -> bool | None:
    """có/không, x, 1/0, đúng/sai, yes/no (case and diacritics ignored)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = str(value).strip()
    if not text:
        return None
    key = fold(text)
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError(f'"{shorten(text)}" không phải giá trị có/không (dùng: có, không, x, 1, 0, đúng, sai)')


def parse_choice(value: object, choices: tuple[str, ...], what: str = "giá trị") -> str | None:
    """The canonical spelling of one of `choices`, matched ignoring case, diacritics and spaces."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    wanted = header_key(text)
    for choice in choices:
        if header_key(choice) == wanted:
            return choice
    shown = ", ".join(f'"{c}"' for c in choices if c)
    raise ValueError(f'{what} "{shorten(text)}" không hợp lệ; dùng một trong: {shown}')


def parse_status(value: object) -> str | None:
    """A task status of dsl.fields.TASK_STATUSES ("huy", "Huỷ" -> "Hủy")."""
    return parse_choice(value, TASK_STATUSES, "trạng thái")


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_PERIOD_FORMS = (
    (re.compile(r"(\d{4})[-/.]?q(\d)", re.ASCII), "yq"),
    (re.compile(r"(?:q|quy)(\d|i{1,3}|iv)[-/.](\d{4})", re.ASCII), "qy"),
    (re.compile(r"(\d{4})[-/.](\d{1,2})", re.ASCII), "ym"),
    (re.compile(r"(?:t|thang)?(\d{1,2})[-/.](\d{4})", re.ASCII), "my"),
    (re.compile(r"(?:nam)?(\d{4})", re.ASCII), "y"),
)


def parse_period(value: object) -> str | None:
    """A period as "2026-01" (month), "2026-Q1" (quarter) or "2026" (year).

    Accepted: "2026-01", "01/2026", "Tháng 1/2026", "2026-Q1", "Q1/2026", "Quý I/2026", "2026"...
    """
    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        if not 1900 <= value.year <= 2999:
            raise ValueError(f"kỳ {value.year:04d}-{value.month:02d}: năm phải từ 1900 đến 2999")
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2999:
        return f"{value:04d}"
    text = str(value).strip()
    if not text:
        return None
    key = re.sub(r"\s+", "", fold(text))
    for pattern, form in _PERIOD_FORMS:
        m = pattern.fullmatch(key)
        if not m:
            continue
        year = m.group(2) if form in ("qy", "my") else m.group(1)
        if not 1900 <= int(year) <= 2999:
            raise ValueError(f'kỳ "{shorten(text)}": năm phải từ 1900 đến 2999')
        if form == "y":
            return m.group(1)
        if form in ("yq", "qy"):
            year, quarter = (m.group(1), m.group(2)) if form == "yq" else (m.group(2), m.group(1))
            q = _ROMAN.get(quarter) or int(quarter)
            if 1 <= q <= 4:
                return f"{year}-Q{q}"
            break
        year, month = (m.group(1), m.group(2)) if form == "ym" else (m.group(2), m.group(1))
        if 1 <= int(month) <= 12:
            return f"{year}-{int(month):02d}"
        break
    raise ValueError(f'kỳ "{shorten(text)}" không hợp lệ (ví dụ: 2026-01, 01/2026, 2026-Q1, 2026)')


# NFC letters a/e/y carrying only a tone mark: after o/u they may need dsl.text.canon's tone move
# (same end-of-syllable test as dsl.text._NEW_STYLE).
_MAYBE_NEW_STYLE = re.compile("[oOuU][àáảãạèéẻẽẹỳýỷỹỵÀÁẢÃẠÈÉẺẼẸỲÝỶỸỴ](?![^\\W_]|[\u0300-\u036f])")


def is_canonical(text: str) -> bool:
    """Whether dsl.text.canon(text) == text, for sure (False: maybe not)."""
    return text.isascii() or (unicodedata.is_normalized("NFC", text) and not _MAYBE_NEW_STYLE.search(text))


def canon_fast(text: str) -> str:
    """dsl.text.canon(text), skipping the work for text that is already canonical (most of it)."""
    return text if is_canonical(text) else canon(text)


def parse_text(value: object) -> str:
    """Text as canon() (NFC, classic tone placement); an empty cell is ""."""
    if value is None:
        return ""
    if type(value) is str:
        return canon_fast(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        value = value.strftime("%d/%m/%Y")
    return canon_fast(str(value).strip())


def period_contains(outer: str, inner: str) -> bool:
    """Whether period `inner` lies within `outer` ("2026-Q1" contains "2026-02"; "2026" all of 2026)."""
    if outer == inner:
        return True
    if len(outer) == 4:
        return inner.startswith(outer + "-")
    if "-Q" in outer and "-Q" not in inner and len(inner) == 7:
        year, q = outer.split("-Q")
        month = int(inner[5:7])
        return inner[:4] == year and (month - 1) // 3 + 1 == int(q)
    return False


def month_of(date: dt.date) -> str:
    return f"{date.year:04d}-{date.month:02d}"


def number_text(x: Fraction) -> str:
    """A bound for messages: "30", "0.5"."""
    return str(x.numerator) if x.denominator == 1 else format(float(x), "g")
