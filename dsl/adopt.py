"""Adoption: the effective ruleset of a file that adopts (`áp dụng`) another one, and what it may change."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from . import ast
from . import params as params_
from .checker.sink import did_you_mean
from .checker.types import compatible, of_literal
from .diagnostics import Diagnostic, error
from .syntax.literals import literal_number, literal_value
from .text import suggest


def _percent(value: Fraction) -> str:
    return f"{float(value * 100):g}%"


def _weight_value(expr: ast.Expr | None, params: dict[str, ast.Param]) -> Fraction | None:
    value = literal_number(expr)
    if value is None and isinstance(expr, ast.Name) and expr.name in params:
        value = literal_number(params[expr.name].value)
    return value


def apply_override(param: ast.Param, override: ast.Override, diags: list[Diagnostic]) -> ast.Param:
    """The parameter with the adopter's value, or unchanged with E0602/E0603 (dsl.params decides)."""
    want, got = of_literal(param.value), of_literal(override.value)
    problem = params_.LOCKED if param.locked else None
    if problem is None and (got is None or want is None or not compatible(want, got)):
        problem = params_.WRONG_KIND
    if problem is None and (style := params_.percent_style_error(param, override.value)) is not None:
        diags.append(error("E0702", override.value.span, style))
        return param
    if problem is None:
        problem = params_.check_value(param, literal_value(override.value))
    if problem is None:
        return replace(param, value=override.value)
    text = params_.message(
        problem,
        param,
        context=params_.ADOPTION,
        wanted=want.describe() if want else "hằng số",
        got=got.describe() if got else "biểu thức",
    )
    code = "E0602" if problem == params_.LOCKED else "E0603"
    diags.append(error(code, override.span if problem == params_.LOCKED else override.value.span, text))
    return param


def _not_allowed(what: str, span: ast.Span) -> Diagnostic:
    return error("E0604", span, f"bộ quy tắc áp dụng không được {what} (được kế thừa từ bộ quy tắc gốc)")


def _header(child: ast.Header, parent: ast.Header) -> ast.Header:
    items = {key for key, _span in child.item_spans}
    changes: dict[str, object] = {}
    if not child.bases:
        changes["bases"] = parent.bases
    if child.period is None:
        changes["period"] = parent.period
    if not child.subjects:
        changes["subjects"] = parent.subjects
    if "làm tròn" not in items and child.rounding == ast.Rounding():
        changes["rounding"] = parent.rounding
    if child.rollup_from is None:
        changes["rollup_from"] = parent.rollup_from
    return replace(child, **changes)


def merge(child: ast.Ruleset, parent: ast.Ruleset) -> tuple[ast.Ruleset, list[Diagnostic]]:
    """The effective ruleset of `child` (which adopts `parent`, itself effective) and the problems of
    what the child changes: E0602 locked parameter, E0603 value outside bounds, E0604 not allowed in an
    adopting file, E0101 override of an unknown parameter, E0105 parameter set twice."""
    diags: list[Diagnostic] = []
    params = {p.name: p for p in parent.params}
    own_params = {p.name: p for p in child.params}
    seen: dict[str, ast.Override] = {}
    for o in child.overrides:
        if o.name in seen:
            diags.append(error("E0105", o.span, f'tham số "{o.name}" được đặt hai lần'))
            continue
        seen[o.name] = o
        if o.name in params:
            params[o.name] = apply_override(params[o.name], o, diags)
        elif o.name in own_params:
            diags.append(
                error(
                    "E0604", o.span, f'"{o.name}" là tham số của chính bộ quy tắc này: sửa giá trị ở khai báo'
                )
            )
        else:
            hint = suggest(o.name, list(params))
            diags.append(error("E0101", o.span, f'không có tham số "{o.name}"{did_you_mean(hint)}'))

    for d in child.definitions:
        diags.append(_not_allowed(f'định nghĩa giá trị "{d.name}"', d.span))
    for f in child.fields:
        diags.append(_not_allowed(f'khai báo trường nhiệm vụ "{f.name}"', f.span))
    if child.score is not None:
        diags.append(_not_allowed("định nghĩa lại điểm", child.score.span))
    if child.levels is not None:
        diags.append(_not_allowed("định nghĩa lại xếp loại", child.levels.span))
    for v in child.vetoes:
        diags.append(_not_allowed("khai báo loại trừ", v.span))
    for q in child.quotas:
        diags.append(_not_allowed("khai báo hạn mức", q.span))
    if child.allow_add is not None:
        diags.append(_not_allowed("cho phép thêm tiêu chí", child.allow_add.span))

    added: tuple[ast.Criterion, ...] = ()
    if child.criteria:
        if parent.allow_add is None:
            for c in child.criteria:
                diags.append(
                    error(
                        "E0604",
                        c.span,
                        f'không được thêm tiêu chí "{c.code}": bộ quy tắc gốc không cho phép thêm tiêu chí',
                    )
                )
        else:
            added = child.criteria
            limit = _weight_value(parent.allow_add.max_weight, params)
            all_params = {**params, **own_params}
            weights = [_weight_value(c.weight, all_params) for c in added]
            if limit is not None and all(w is not None for w in weights):
                total = sum(weights, Fraction(0))
                if total > limit:
                    diags.append(
                        error(
                            "E0604",
                            added[0].span,
                            f"tổng trọng số các tiêu chí thêm là {_percent(total)}, vượt mức cho phép {_percent(limit)}",
                        )
                    )

    effective = replace(
        parent,
        header=_header(child.header, parent.header),
        filename=child.filename,
        source=child.source,
        params=tuple(params.values()) + child.params,
        inputs=parent.inputs + child.inputs,
        criteria=parent.criteria + added,
        outputs=parent.outputs + child.outputs,
        overrides=child.overrides,
        tests=child.tests,
        parent=parent,
    )
    return effective, diags
