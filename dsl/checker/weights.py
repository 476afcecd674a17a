"""Criterion weights: all or none (E0402), and 100% for every applicability group (E0401), the groups
(with a witness of when each happens) coming from dsl/checker/conditions.py."""

from __future__ import annotations

from fractions import Fraction

from .. import ast
from .conditions import applicability_groups
from .ranges import DEFAULT_SCALE
from .symbols import Symbols, constant_number
from .valueranges import ValueRanges


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
    ranges = ValueRanges(ruleset, syms, DEFAULT_SCALE)  # only ranges of compared subjects are read
    groups = applicability_groups(base, syms, ranges.expr)
    if groups is None:
        return
    one = Fraction(1) in targets and len(targets) == 1
    reported: set[frozenset] = set()
    for group in groups:
        total = sum((values[c.code] for c in group.criteria), Fraction(0))
        codes = frozenset(c.code for c in group.criteria)
        if total in targets or codes in reported:
            continue
        reported.add(codes)
        shown = f"{float(total * 100):g}%" if one else f"{float(total):g}"
        when = f"khi {group.witness}" if group.witness else ""
        if not group.criteria:
            first = next(c for c in base if c.when is not None)
            sink.foreign = is_foreign(first)
            sink.error(
                "E0401",
                first.when.span,
                f"không có trường hợp nào {when}: không tiêu chí nào áp dụng (tổng trọng số 0%, phải là 100%)",
            )
            continue
        ordered = sorted(group.criteria, key=lambda c: (c.span.line, c.span.column))
        first = ordered[0]
        sink.foreign = is_foreign(first)
        names = ", ".join(c.code for c in ordered)
        lead = f"{when}, t" if when else "t"
        sink.error(
            "E0401",
            first.weight.span,
            f"{lead}ổng trọng số của các tiêu chí {names} là {shown}, phải là 100%",
        )
    sink.foreign = False
