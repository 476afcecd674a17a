"""Criterion weights: all or none (E0402), and 100% for every applicability group (E0401)."""

from __future__ import annotations

import itertools
from fractions import Fraction

from .. import ast
from .names import shape
from .symbols import Symbols, constant_number

MAX_CONDITIONS = 10  # distinct `khi` conditions enumerated (2^10 groups at most)


def _atom(cond: ast.Expr) -> tuple[object, bool]:
    """(shape of the condition without a leading `không`, polarity)."""
    positive = True
    while isinstance(cond, ast.Unary) and cond.op == "không":
        positive = not positive
        cond = cond.operand
    return shape(cond), positive


def _percent_style(expr: ast.Expr, syms: Symbols) -> bool:
    if isinstance(expr, ast.Num):
        return expr.percent
    if isinstance(expr, ast.Name):
        sym = syms.get(expr.name)
        return (
            sym is not None and isinstance(sym.node, ast.Param) and getattr(sym.node.value, "percent", False)
        )
    return True


def check_weights(ruleset: ast.Ruleset, syms: Symbols, sink, is_foreign) -> None:
    added = set(syms.added_criteria)
    base = [c for c in ruleset.criteria if c.code not in added]
    for c in ruleset.criteria:
        if c.code in added and c.weight is None:
            sink.error("E0402", c.span, f'tiêu chí thêm "{c.code}" phải có trọng số')
    weighted = [c for c in base if c.weight is not None]
    if not weighted:
        if ruleset.score is None and not syms.rollup:
            if base:
                for c in base:
                    sink.foreign = is_foreign(c)
                    sink.error(
                        "E0402",
                        c.span,
                        f'tiêu chí "{c.code}" thiếu trọng số: không khai báo "điểm = ..." thì điểm là tổng có trọng số của các tiêu chí',
                    )
            else:
                sink.error("E0402", ruleset.header.span, 'chưa có tiêu chí nào và chưa khai báo "điểm = ..."')
        sink.foreign = False
        return
    if len(weighted) != len(base):
        for c in base:
            if c.weight is None:
                sink.foreign = is_foreign(c)
                sink.error(
                    "E0402",
                    c.span,
                    f'tiêu chí "{c.code}" thiếu trọng số: đã có tiêu chí khác khai báo trọng số',
                )
        sink.foreign = False
        return
    values = {c.code: constant_number(c.weight, syms) for c in base}
    if any(v is None for v in values.values()):
        return
    targets = {Fraction(1)}
    if not any(_percent_style(c.weight, syms) for c in base):
        targets.add(Fraction(100))
    # criteria grouped by their `khi` condition: (atom index, polarity), None for "always"
    atoms: dict[object, int] = {}
    buckets: dict[tuple[int, bool] | None, list[ast.Criterion]] = {}
    for c in base:
        key = None
        if c.when is not None:
            shape_key, positive = _atom(c.when)
            key = (atoms.setdefault(shape_key, len(atoms)), positive)
        buckets.setdefault(key, []).append(c)
    if len(atoms) > MAX_CONDITIONS:
        return
    sums = {key: sum((values[c.code] for c in group), Fraction(0)) for key, group in buckets.items()}
    reported: set[frozenset] = set()
    for truth in itertools.product((True, False), repeat=len(atoms)):
        keys = frozenset(k for k in buckets if k is None or truth[k[0]] == k[1])
        if not keys or keys in reported:
            continue
        total = sum((sums[k] for k in keys), Fraction(0))
        if total in targets:
            continue
        reported.add(keys)
        group = sorted((c for k in keys for c in buckets[k]), key=lambda c: (c.span.line, c.span.column))
        first = group[0]
        sink.foreign = is_foreign(first)
        one = Fraction(1) in targets and len(targets) == 1
        shown = f"{float(total * 100):g}%" if one else f"{float(total):g}"
        codes = ", ".join(c.code for c in group)
        sink.error(
            "E0401", first.weight.span, f"tổng trọng số của các tiêu chí {codes} là {shown}, phải là 100%"
        )
    sink.foreign = False
