"""Levels: declared (E0407), final `còn lại` (E0403), unreachable (E0404), overlaps (E0405), gaps (E0406).

The analysis sees a condition as a union of intervals of `điểm` when it is a comparison (chain) of
`điểm` with constants or parameters (their values), or `và`, `hoặc`, `không` of such; any other
conjunct makes the set an over-approximation, any other condition tells nothing."""

from __future__ import annotations

from fractions import Fraction

from .. import ast
from ..fields import SCORE_NAME
from .exprs import PERSON, ExprChecker
from .intervals import EVERYTHING, Interval, IntervalSet
from .symbols import Symbols, constant_number

_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "<>": "<>", "!=": "!="}


def _is_score(expr: ast.Expr) -> bool:
    return isinstance(expr, ast.Name) and expr.name == SCORE_NAME


def _bound(op: str, value: Fraction) -> Interval | None:
    if op == ">=":
        return Interval(value, True, None, False)
    if op == ">":
        return Interval(value, False, None, False)
    if op == "<=":
        return Interval(None, False, value, True)
    if op == "<":
        return Interval(None, False, value, False)
    if op == "=":
        return Interval(value, True, value, True)
    return None


def _complement(parts: list[Interval]) -> list[Interval]:
    out, lo, lo_closed = [], None, False
    for part in sorted((p for p in parts if not p.empty), key=Interval.lower_key):
        gap = Interval(lo, lo_closed, part.lo, not part.lo_closed if part.lo is not None else False)
        if part.lo is not None and not gap.empty:
            out.append(gap)
        if part.hi is None:
            return out
        lo, lo_closed = part.hi, not part.hi_closed
    out.append(Interval(lo, lo_closed, None, False))
    return out


def score_set(cond: ast.Expr, syms: Symbols) -> tuple[list[Interval], bool]:
    """(intervals whose union contains every score for which `cond` can hold, whether it is exact).

    Comparisons (chains) of `điểm` with constants or parameters are exact; `và` intersects, `hoặc`
    unites, `không` complements; any other condition tells nothing (everything, inexact)."""
    if isinstance(cond, ast.Binary) and cond.op in ("và", "hoặc"):
        left, left_exact = score_set(cond.left, syms)
        right, right_exact = score_set(cond.right, syms)
        if cond.op == "và":
            parts = [a.intersect(b) for a in left for b in right]
            return [p for p in parts if not p.empty], left_exact and right_exact
        if not (left_exact and right_exact):
            return [EVERYTHING], False
        return left + right, True
    if isinstance(cond, ast.Unary) and cond.op == "không":
        inner, exact = score_set(cond.operand, syms)
        return (_complement(inner), True) if exact else ([EVERYTHING], False)
    if isinstance(cond, ast.Compare):
        result, exact = EVERYTHING, True
        for i, op in enumerate(cond.ops):
            a, b = cond.operands[i], cond.operands[i + 1]
            piece = None
            if _is_score(a) and (v := constant_number(b, syms)) is not None:
                piece = _bound(op, v)
            elif _is_score(b) and (v := constant_number(a, syms)) is not None:
                piece = _bound(_FLIP[op], v)
            if piece is None:
                exact = False
            else:
                result = result.intersect(piece)
        return [result], exact
    return [EVERYTHING], False


def score_interval(cond: ast.Expr, syms: Symbols) -> tuple[Interval, bool]:
    """(one interval containing every score for which `cond` can hold, whether it is exact)."""
    parts, exact = score_set(cond, syms)
    hull = IntervalSet()
    for part in parts:
        hull.add(part)
    if len(hull.parts) == 1:
        return hull.parts[0], exact
    if not hull.parts:
        return Interval(Fraction(0), False, Fraction(0), False), exact
    first, last = hull.parts[0], hull.parts[-1]
    return Interval(first.lo, first.lo_closed, last.hi, last.hi_closed), False


def _text(parts: list[Interval]) -> str:
    return " ∪ ".join(p.text() for p in parts)


def check_levels(ruleset: ast.Ruleset, syms: Symbols, checker: ExprChecker, sink, is_foreign) -> None:
    block = ruleset.levels
    if block is None or not block.levels:
        span = block.span if block is not None else ruleset.header.span
        sink.error("E0407", span, 'chưa khai báo xếp loại ("xếp loại:" và các mức)')
        return
    sink.foreign = is_foreign(block)
    seen: dict[str, ast.Level] = {}
    for lv in block.levels:
        if lv.name in seen:
            sink.error(
                "E0105",
                lv.span,
                f'mức xếp loại "{lv.name}" bị khai báo hai lần (dòng {seen[lv.name].span.line})',
            )
        else:
            seen[lv.name] = lv
        if lv.cond is not None:
            checker.cond(lv.cond, PERSON, "điều kiện của mức xếp loại")
    levels = block.levels
    if levels[-1].cond is not None:
        sink.error("E0403", levels[-1].span, 'mức cuối cùng phải là "còn lại"')
    covered = IntervalSet()
    reach = IntervalSet()
    pieces: list[tuple[ast.Level, Interval]] = []
    after_rest = False
    for lv in levels:
        if after_rest:
            sink.error("E0404", lv.span, f'mức "{lv.name}" không bao giờ đạt được: đứng sau "còn lại"')
            continue
        if lv.cond is None:
            after_rest = True
            continue
        merged = IntervalSet()
        found, exact = score_set(lv.cond, syms)
        for part in found:
            merged.add(part)
        parts = merged.parts
        if not parts:
            sink.error(
                "E0404", lv.span, f'mức "{lv.name}" không bao giờ đạt được: điều kiện về điểm luôn sai'
            )
        elif all(covered.covers(part) for part in parts):
            sink.error(
                "E0404",
                lv.span,
                f'mức "{lv.name}" không bao giờ đạt được: điểm {_text(parts)} đã thuộc các mức trước',
            )
        elif any(part.bounded and covered.meets(part) for part in parts):
            shown = _text([p for p in parts if p.bounded and covered.meets(p)])
            sink.error(
                "E0405",
                lv.span,
                f'mức "{lv.name}" chồng lên các mức trước: một phần điểm {shown} đã thuộc mức trước',
            )
        for part in parts:
            if exact:
                covered.add(part)
            reach.add(part)
            pieces.append((lv, part))
    if levels[-1].cond is None:
        starts: dict[Fraction, ast.Level] = {}
        for lv, iv in pieces:
            if iv.lo is not None:
                starts.setdefault(iv.lo, lv)
        for hole in reach.holes():
            above = starts.get(hole.hi, levels[-1])
            sink.error(
                "E0406",
                above.span,
                f'khoảng điểm {hole.text()} không thuộc mức nào được khai báo rõ, rơi vào "còn lại"',
            )
    sink.foreign = False
