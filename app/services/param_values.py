"""Proposed parameter values typed as each parameter's declared literal ("25%", "0,2", "có", dates):
the one parser of `NAME=VALUE` for `kpi eval --param`, `kpi assess simulate --param` and the web admin's
simulation form. The values are then checked by dsl.params (through `Program.check_params`)."""

from __future__ import annotations

from collections.abc import Iterable

from .errors import ServiceError


def parse_params(options: Iterable[str], ruleset) -> dict[str, object]:
    """`NAME=VALUE` texts -> {name: typed value}; ServiceError listing every problem at once."""
    from app.tabular import values as V
    from dsl import ast
    from dsl import params as dsl_params
    from dsl.text import canon

    declared = {p.name: p for p in ruleset.params}
    params: dict[str, object] = {}
    problems: list[str] = []
    for option in options:
        name, sep, raw = option.partition("=")
        name = canon(name.strip())
        if not sep or not name:
            problems.append(f'--param "{option}": cần dạng TÊN=GIÁ_TRỊ')
            continue
        param = declared.get(name)
        if param is None:
            problems.append(dsl_params.unknown(name, declared))
            continue
        try:
            if isinstance(param.value, ast.Num):
                value = V.parse_number(raw)
            elif isinstance(param.value, ast.Bool):
                value = V.parse_bool(raw)
            elif isinstance(param.value, ast.DateLit):
                value = V.parse_date(raw)
            else:
                value = V.parse_text(raw)
        except ValueError as exc:
            problems.append(f"tham số {name}: {exc}")
            continue
        if value is None:
            problems.append(f"tham số {name}: thiếu giá trị")
            continue
        params[name] = value
    if problems:
        raise ServiceError("giá trị tham số không hợp lệ", problems)
    return params
