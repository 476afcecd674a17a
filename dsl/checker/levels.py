"""Levels: declared (E0407), final `còn lại` (E0403), unreachable (E0404), overlaps (E0405), gaps (E0406).

The analysis sees a condition as an interval of `điểm` when it is a comparison (chain) of `điểm` with
constants or parameters (their values), or a conjunction (`và`) of such; any other conjunct makes
the interval an over-approximation, any other condition tells nothing."""

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


def score_interval(cond: ast.Expr, syms: Symbols) -> tuple[Interval, bool]:
    """(interval containing every score for which `cond` can hold, whether it is exact)."""
    if isinstance(cond, ast.Binary) and cond.op == "và":
        left, left_exact = score_interval(cond.left, syms)
        right, right_exact = score_interval(cond.right, syms)
        return left.intersect(right), left_exact and right_exact
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
        return result, exact
    return EVERYTHING, False


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
        interval, exact = score_interval(lv.cond, syms)
        if interval.empty:
            sink.error(
                "E0404", lv.span, f'mức "{lv.name}" không bao giờ đạt được: điều kiện về điểm luôn sai'
            )
        elif covered.covers(interval):
            sink.error(
                "E0404",
                lv.span,
                f'mức "{lv.name}" không bao giờ đạt được: điểm {interval.text()} đã thuộc các mức trước',
            )
        elif interval.bounded and covered.meets(interval):
            sink.error(
                "E0405",
                lv.span,
                f'mức "{lv.name}" chồng lên các mức trước: một phần điểm {interval.text()} đã thuộc mức trước',
            )
        if exact:
            covered.add(interval)
        reach.add(interval)
        pieces.append((lv, interval))
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
