"""Parameters (E0701), inputs and extra task fields: literal values, bounds and defaults."""

from __future__ import annotations

from fractions import Fraction

from .. import ast
from ..text import suggest
from . import types as T
from .sink import Sink, did_you_mean


def _bound_value(expr: ast.Expr | None):
    """A comparable value of a literal bound: Fraction, date or None."""
    n = T.literal_number(expr)
    if n is not None:
        return n
    if isinstance(expr, ast.DateLit):
        return expr.value
    return None


def check_params(ruleset: ast.Ruleset, sink: Sink, is_foreign) -> None:
    for p in ruleset.params:
        sink.foreign = is_foreign(p)
        vt = T.of_literal(p.value)
        if vt is None:
            sink.error("E0701", p.value.span, f'giá trị của tham số "{p.name}" phải là một hằng số')
            continue
        bounds = [b for b in (p.low, p.high) if b is not None]
        bad = False
        for b in bounds:
            bt = T.of_literal(b)
            if bt is None or bt.kind != vt.kind or vt.kind not in (T.NUMBER_KIND, T.DATE_KIND):
                what = "hằng số" if bt is None else bt.describe()
                sink.error(
                    "E0701",
                    b.span,
                    f'giới hạn của tham số "{p.name}" phải là {vt.describe()}, không phải {what}',
                )
                bad = True
        if bad:
            continue
        low, high, value = _bound_value(p.low), _bound_value(p.high), _bound_value(p.value)
        if low is not None and high is not None and low > high:
            sink.error("E0701", p.low.span, f'giới hạn dưới lớn hơn giới hạn trên ở tham số "{p.name}"')
            continue
        if value is not None and ((low is not None and value < low) or (high is not None and value > high)):
            sink.error(
                "E0701",
                p.value.span,
                f'giá trị mặc định của tham số "{p.name}" nằm ngoài khoảng cho phép {bounds_text(p)}',
            )
    sink.foreign = False


def _plain_number(expr: ast.Expr | None) -> ast.Num | None:
    """The Num of a literal number (also `-5`), else None."""
    if isinstance(expr, ast.Unary) and expr.op == "-":
        expr = expr.operand
    return expr if isinstance(expr, ast.Num) else None


def _shown(value: Fraction) -> str:
    """A literal's value as the ruleset writes it: 20, 0.25 (a finite decimal; else 6 decimals)."""
    whole, rest = divmod(value.numerator, value.denominator)
    if rest == 0:
        return str(whole)
    digits = ""
    for _ in range(30):
        rest *= 10
        digit, rest = divmod(rest, value.denominator)
        digits += str(digit)
        if rest == 0:
            break
    return f"{whole}.{digits.rstrip('0') or '0'}"


def percent_style_error(param: ast.Param, value: ast.Expr) -> str | None:
    """The message when `value` (of an `đặt`, in an adopting file or a test case) is written in the
    other style than the parameter's declared value: `đặt mức_trừ_chậm = 20` (or `0.2`) for a parameter
    declared `25%` would silently mean 0.2% (or stay 20%, by luck), and `đặt ngưỡng_tốt = 70%` for a
    parameter declared `70` would mean 0.7. Zero is the same number in both styles and is accepted.

    This is the one home of the rule; it lives beside the parameter declarations until parameters get
    their own module (dsl/params.py)."""
    declared, given = _plain_number(param.value), _plain_number(value)
    if declared is None or given is None or given.value == 0 or declared.percent == given.percent:
        return None
    sign = "-" if isinstance(value, ast.Unary) else ""
    magnitude = abs(given.value)
    if declared.percent:
        meant = magnitude if magnitude > 1 else magnitude * 100
        return (
            f'tham số "{param.name}" là tỷ lệ phần trăm (khai báo {param.value.text}): '
            f"viết {sign}{_shown(meant)}%, không viết {sign}{given.text}"
        )
    return (
        f'tham số "{param.name}" không phải tỷ lệ phần trăm (khai báo {declared.text}): '
        f"viết {sign}{_shown(magnitude * 100)} (hoặc {sign}{_shown(magnitude)} nếu đúng là {sign}{given.text}), "
        f"không viết {sign}{given.text}"
    )


def bounds_text(p: ast.Param) -> str:
    def show(e: ast.Expr | None) -> str:
        if e is None:
            return "…"
        if isinstance(e, ast.Num):
            return e.text
        if isinstance(e, ast.DateLit):
            return f"{e.value:%d/%m/%Y}"
        n = T.literal_number(e)
        return str(n) if n is not None else "?"

    return f"{show(p.low)} đến {show(p.high)}"


def _check_typespec(name: str, spec: ast.TypeSpec, default: ast.Expr | None, sink: Sink) -> None:
    want = T.of_typespec(spec)
    if want.unknown:
        sink.error("E0201", spec.span, f'kiểu "{spec.kind}" không hợp lệ')
        return
    for b in (spec.low, spec.high):
        if b is not None and T.literal_number(b) is None:
            sink.error("E0701", b.span, f'giới hạn của "{name}" phải là một số')
    low, high = T.literal_number(spec.low), T.literal_number(spec.high)
    if low is not None and high is not None and low > high:
        sink.error("E0701", spec.low.span, f'giới hạn dưới lớn hơn giới hạn trên ở "{name}"')
    if spec.kind == T.SCALE_KIND and len(set(spec.scale)) != len(spec.scale):
        sink.error("E0105", spec.span, f'thang của "{name}" có giá trị trùng nhau')
    if default is None:
        return
    got = T.of_literal(default)
    if got is None or not T.compatible(want, got):
        what = "biểu thức" if got is None else got.describe()
        sink.error(
            "E0201",
            default.span,
            f'giá trị mặc định của "{name}" phải là {want.describe()}, không phải {what}',
        )
        return
    if want.kind == T.SCALE_KIND and isinstance(default, ast.Text) and default.value not in want.scale:
        hint = suggest(default.value, want.scale)
        sink.error("E0108", default.span, f'"{default.value}" không có trong thang{did_you_mean(hint)}')
    value: Fraction | None = T.literal_number(default)
    if value is not None and ((low is not None and value < low) or (high is not None and value > high)):
        sink.error("E0701", default.span, f'giá trị mặc định của "{name}" nằm ngoài khoảng cho phép')


def check_inputs_and_fields(ruleset: ast.Ruleset, sink: Sink, is_foreign) -> None:
    for decl in (*ruleset.inputs, *ruleset.fields):
        sink.foreign = is_foreign(decl)
        _check_typespec(decl.name, decl.type, decl.default, sink)
    sink.foreign = False
