"""Parameters (E0701), inputs and extra task fields: literal values, bounds and defaults."""

from __future__ import annotations

from fractions import Fraction

from .. import ast
from .. import params as params_
from ..text import suggest
from . import types as T
from .sink import Sink, did_you_mean


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
        low, high = params_.bounds(p)
        if low is not None and high is not None and low > high:
            sink.error("E0701", p.low.span, f'giới hạn dưới lớn hơn giới hạn trên ở tham số "{p.name}"')
            continue
        problem = params_.check_value(p, params_.default_value(p), override=False)
        if problem is not None:
            sink.error("E0701", p.value.span, params_.message(problem, p, context=params_.DECLARATION))
    sink.foreign = False


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
