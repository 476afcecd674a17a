"""Literals → values: tokens (exact numbers, percents, dd/mm/yyyy dates, quoted text) and literal nodes.

`literal_value` is the one reading of a literal AST node (`-5` included) for every stage."""

from __future__ import annotations

import datetime as dt
import re
from fractions import Fraction

from .. import ast

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


MAX_NUMBER_DIGITS = 30  # significant digits of a number literal (issue 10: bounded work)
MAX_ROUNDING_DIGITS = 12  # `làm tròn N chữ số` of a header


class BadLiteral(ValueError):
    """A literal the lexer accepted but that is not a valid value (E0003); args[0] is the message."""

    code = "E0003"


class TooLong(BadLiteral):
    """A number literal with more than MAX_NUMBER_DIGITS digits (E0004): exact arithmetic on it, and
    printing it, would cost without bound."""

    code = "E0004"


def significant_digits(body: str) -> int:
    """Digits of "0012.500" that carry value: leading zeros of the whole part and trailing zeros of the
    decimals do not count ("0012.500" has 3)."""
    whole, _, decimals = body.partition(".")
    return len(whole.lstrip("0")) + len(decimals.rstrip("0"))


def check_digits(body: str) -> None:
    count = significant_digits(body)
    if count > MAX_NUMBER_DIGITS:
        raise TooLong(f"số quá dài: {count} chữ số (tối đa {MAX_NUMBER_DIGITS})")


def number(text: str) -> tuple[Fraction, bool]:
    """(value, percent) of "97.5" or "25%" as an exact fraction."""
    percent = text.endswith("%")
    body = text[:-1] if percent else text
    if not _NUMBER.fullmatch(body):
        shown = text if len(text) <= 40 else text[:40] + "…"
        raise BadLiteral(f"số không hợp lệ: '{shown}' (viết dạng 12 hoặc 97.5, dấu chấm thập phân)")
    check_digits(body)
    value = Fraction(body)
    return (value / 100 if percent else value), percent


def date(text: str) -> dt.date:
    m = _DATE.fullmatch(text)
    if not m:
        raise BadLiteral(f"ngày không hợp lệ: '{text}' (viết dạng dd/mm/yyyy)")
    day, month, year = (int(g) for g in m.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise BadLiteral(f"ngày không tồn tại: '{text}'") from None


def text(token: str) -> str:
    """The value of a quoted string: `"a \\" b"` → `a " b`; curly quotes “…” are accepted too."""
    if token.startswith("“"):
        return token[1:-1]
    body = token[1:-1]
    return re.sub(r"\\(.)", r"\1", body)


def quote(value: str) -> str:
    """The canonical source spelling of a text value."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def literal_value(node: object):
    """The value of a literal node (Num → Fraction, Text → str, Bool → bool, DateLit → date, and a
    negated number `-5`), else raises TypeError."""
    if isinstance(node, ast.Num):
        return node.value
    if isinstance(node, ast.Text | ast.Bool | ast.DateLit):
        return node.value
    if isinstance(node, ast.Unary) and node.op == "-" and isinstance(node.operand, ast.Num):
        return -node.operand.value
    raise TypeError(f"not a literal: {node!r}")


def literal_or_none(node: object):
    """`literal_value(node)`, or None when `node` is None or not a literal."""
    try:
        return literal_value(node)
    except TypeError:
        return None


def literal_number(node: object) -> Fraction | None:
    """The Fraction of a numeric literal (also `-5`), else None."""
    value = literal_or_none(node)
    return value if isinstance(value, Fraction) else None
