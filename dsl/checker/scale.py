"""The score stays in the declared scale (E0408), and the `cho phép` values that would let it leave
(W0703), proved by the value-range analysis (dsl/checker/valueranges.py).

The scale is the header's `thang điểm A đến B`, by default 0 to 100 (Nghị định 335/2025/NĐ-CP scores
out of 100). E0408 shows how the highest (or lowest) score adds up from the terms of the formula, e.g.
a ward that adds criteria worth 10% while reserving 5% gets `điểm có thể lên tới 105`."""

from __future__ import annotations

from fractions import Fraction

from .. import ast
from ..fields import ADDED_CRITERIA_NAME
from ..syntax.printer import expr as expr_text
from . import ranges as R
from . import symbols as S
from .header import item_span
from .names import read_names
from .ranges import DEFAULT_SCALE, Range, number_text
from .sink import Sink
from .symbols import Symbols
from .types import literal_number
from .valueranges import ValueRanges

BISECTION_STEPS = 40
_MAX_TEXT = 70


def declared_scale(ruleset: ast.Ruleset, sink: Sink | None = None) -> Range | None:
    """The score scale of the ruleset; None (with E0904) when the declaration is not two numbers, low < high."""
    written = ruleset.header.score_scale
    if written is None:
        return DEFAULT_SCALE
    low, high = literal_number(written[0]), literal_number(written[1])
    if low is None or high is None or low >= high:
        if sink is not None:
            span = item_span(ruleset.header, "thang điểm")
            sink.error(
                "E0904", span, "thang điểm phải là hai số, số đầu nhỏ hơn số sau (thang điểm 0 đến 100)"
            )
        return None
    return Range(low, high)


def _short(e: ast.Expr) -> str:
    text = expr_text(e)
    return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 1] + "…"


def _terms(e: ast.Expr, sign: int = 1) -> list[tuple[int, ast.Expr]]:
    if isinstance(e, ast.Binary) and e.op in ("+", "-"):
        return _terms(e.left, sign) + _terms(e.right, sign if e.op == "+" else -sign)
    return [(sign, e)]


def _working(ruleset: ast.Ruleset, ranges: ValueRanges, high: bool) -> str:
    """How the extreme score adds up: `30 (điểm_tiêu_chí_chung) + 65 (…) + 10 (điểm_bổ_sung)`."""
    if ruleset.score is not None:
        pieces = [(sign, _short(t), ranges.expr(t)) for sign, t in _terms(ruleset.score.expr)]
    elif any(c.when is not None for c in ruleset.criteria):
        return ""  # per applicability group: no one sum of every criterion
    else:
        added = set(ranges.syms.added_criteria)
        pieces = [
            (1, f"{_short(c.weight)} × {c.code}", R.mul(ranges.expr(c.weight), ranges.name(c.code)))
            for c in ruleset.criteria
            if c.code not in added and c.weight is not None
        ]
    if len(pieces) < 2:
        return ""
    out = []
    for i, (sign, text, r) in enumerate(pieces):
        end = (r.hi if high else r.lo) if sign > 0 else (r.lo if high else r.hi)
        shown = "∞" if end is None else number_text(abs(end) if i else end)
        op = "" if i == 0 else (" + " if (sign > 0) == (end is None or end >= 0) else " - ")
        out.append(f"{op}{shown} ({text})")
    return "".join(out)


def _unbounded_names(ranges: ValueRanges, high: bool) -> list[str]:
    """What the score reads (criteria, person values, inputs) that has no bound on that side."""
    read = _read_by_score(ranges.ruleset, ranges.syms)
    words = {S.CRITERION: "tiêu chí", S.PERSON_VALUE: "giá trị", S.INPUT: "đầu vào"}
    names = []
    for name in read:
        sym = ranges.syms.get(name)
        if sym is None or sym.kind not in words:
            continue
        r = ranges.name(name)
        if (r.hi if high else r.lo) is None:
            names.append(f'{words[sym.kind]} "{name}"')
    return sorted(names)


def _score_message(ruleset: ast.Ruleset, ranges: ValueRanges, score: Range, scale: Range) -> str:
    scale_text = f"thang điểm {number_text(scale.lo)} đến {number_text(scale.hi)}"
    parts = []
    open_sides = [high for high, end in ((True, score.hi), (False, score.lo)) if end is None]
    if open_sides:
        culprits = sorted({n for high in open_sides for n in _unbounded_names(ranges, high)})
        why = f" vì {', '.join(culprits)} không bị chặn" if culprits else ""
        bound = " và ".join("trên" if high else "dưới" for high in open_sides)
        parts.append(
            f"điểm không có giới hạn {bound} ({scale_text}){why}: hãy khai báo khoảng của đầu vào "
            "(số từ … đến …) hoặc chặn bằng nhỏ_nhất(…), lớn_nhất(…), giới_hạn(…, 0, 100)"
        )
    for high in (True, False):
        end, limit = (score.hi, scale.hi) if high else (score.lo, scale.lo)
        if end is None or (end <= limit if high else end >= limit):
            continue
        working = _working(ruleset, ranges, high)
        total = f": {working} = {number_text(end)}" if working else ""
        word = "lên tới" if high else "xuống tới"
        where = "vượt" if high else "dưới"
        parts.append(f"điểm có thể {word} {number_text(end)}, {where} {scale_text}{total}")
    added = [c for c in ruleset.criteria if c.code in ranges.syms.added_criteria and c.weight is not None]
    if added and score.hi is not None and score.hi > scale.hi:
        weights = R.ZERO
        for c in added:
            weights = R.add(weights, ranges.expr(c.weight))
        if weights.hi is not None:
            codes = ", ".join(c.code for c in added)
            parts.append(f"tổng trọng số các tiêu chí thêm ({codes}) là {number_text(weights.hi * 100)}%")
    return "; ".join(parts)


def _param_text(p: ast.Param, value: Fraction) -> str:
    if getattr(p.value, "percent", False):
        return number_text(value * 100) + "%"
    return number_text(value)


def _excess(ranges_for, name: str, value: Fraction, scale: Range) -> Fraction | None:
    """How far the score can leave the scale with the parameter at `value` (<= 0: it cannot);
    None: without bound."""
    score = ranges_for({name: Range.point(value)}).score()
    if score.hi is None or score.lo is None:
        return None
    return max(score.hi - scale.hi, scale.lo - score.lo)


def _boundary(excess, safe: Fraction, bad: Fraction) -> tuple[Fraction, bool]:
    """The last safe value between `safe` and `bad`, and whether it is exact (the score is affine
    in the parameter there) or found by bisection."""
    e_safe, e_bad = excess(safe), excess(bad)
    if e_safe is not None and e_bad is not None and e_bad != e_safe:
        guess = safe + (bad - safe) * (-e_safe) / (e_bad - e_safe)
        step = (bad - safe) / 1000
        after = excess(guess + step)
        if excess(guess) == 0 and after is not None and after > 0:
            return guess, True
    lo, hi = safe, bad
    for _ in range(BISECTION_STEPS):
        mid = (lo + hi) / 2
        e = excess(mid)
        if e is not None and e <= 0:
            lo = mid
        else:
            hi = mid
    # a round number (as written: 0.01% steps for a percent) where safety really changes
    tiny = (bad - safe) / 10**9
    for digits in range(7):
        unit = Fraction(1, 10**digits)
        snapped = round(lo / unit) * unit
        if not (min(safe, bad) <= snapped <= max(safe, bad)):
            continue
        inside, beyond = excess(snapped), excess(snapped + tiny)
        if inside is not None and inside <= 0 and (beyond is None or beyond > 0):
            return snapped, True
    return lo, False


def _read_by_score(ruleset: ast.Ruleset, syms: Symbols) -> set[str]:
    """Every name the score reads, through the formulas of values and criteria (weights included)."""
    formulas: dict[str, tuple] = {d.name: (d.expr,) for d in ruleset.definitions}
    formulas.update({c.code: (c.expr, c.when, c.weight) for c in ruleset.criteria})
    added = set(syms.added_criteria)
    if ruleset.score is not None:
        todo = [ruleset.score.expr]
    else:
        todo = [e for c in ruleset.criteria if c.code not in added for e in (c.expr, c.when, c.weight)]
    formulas[ADDED_CRITERIA_NAME] = tuple(
        e for c in ruleset.criteria if c.code in added for e in (c.expr, c.when, c.weight)
    )
    seen: set[str] = set()
    while todo:
        for name in read_names(todo.pop(), syms):
            if name not in seen:
                seen.add(name)
                todo.extend(e for e in formulas.get(name, ()) if e is not None)
    return seen


def _unsafe_params(ruleset: ast.Ruleset, syms: Symbols, scale: Range, sink: Sink, is_foreign) -> None:
    def ranges_for(params):
        return ValueRanges(ruleset, syms, scale, params)

    read = _read_by_score(ruleset, syms)
    for p in ruleset.params:
        if p.locked or is_foreign(p) or not isinstance(p.value, ast.Num) or p.name not in read:
            continue
        low, high, value = literal_number(p.low), literal_number(p.high), literal_number(p.value)
        if low is None or high is None or value is None or not low <= value <= high:
            continue
        whole = ranges_for({p.name: Range(low, high)}).score()
        if whole.within(scale):
            continue

        def excess(t, name=p.name):
            return _excess(ranges_for, name, t, scale)

        pieces = []
        for end in (low, high):
            e = excess(end)
            if e is not None and e <= 0:
                continue
            edge, exact = _boundary(excess, value, end)
            worst = ranges_for({p.name: Range.point(end)}).score()
            reach = worst.hi if worst.hi is None or worst.hi > scale.hi else worst.lo
            reach_text = "không có giới hạn" if reach is None else f"có thể tới {number_text(reach)}"
            approx = "" if exact else "khoảng "
            side = "trên" if end > value else "dưới"
            pieces.append(
                f"với giá trị {side} {approx}{_param_text(p, edge)} (đến {_param_text(p, end)}) điểm {reach_text}"
            )
        if pieces:
            sink.warning(
                "W0703",
                p.span,
                f'tham số "{p.name}" được phép từ {_param_text(p, low)} đến {_param_text(p, high)}, nhưng '
                + "; ".join(pieces)
                + f", ra ngoài thang điểm {number_text(scale.lo)} đến {number_text(scale.hi)}: thu hẹp khoảng cho phép",
            )


def check_score_range(ruleset: ast.Ruleset, syms: Symbols, sink: Sink, is_foreign) -> None:
    scale = declared_scale(ruleset, sink)
    if scale is None or any(d.is_error for d in (*sink.items, *sink.foreign_items)):
        return  # the analysis needs a checked ruleset
    ranges = ValueRanges(ruleset, syms, scale)
    score = ranges.score()
    if not score.within(scale):
        message = _score_message(ruleset, ranges, score, scale)
        node = ruleset.score
        inherited = node is None or is_foreign(node)
        if inherited and ruleset.parent is not None:
            # the adopting file's own text caused it: its added criteria, else its `đặt` lines
            read = _read_by_score(ruleset, syms)
            added = [c for c in ruleset.criteria if c.code in syms.added_criteria and not is_foreign(c)]
            overrides = [o for o in ruleset.overrides if o.name in read]
            own = added[0].span if added else (overrides[0].span if overrides else None)
            if own is not None:
                sink.error("E0408", own, message + " (công thức điểm của bộ quy tắc được áp dụng)")
                return
        span = node.span if node is not None else ruleset.header.span
        sink.foreign = node is not None and is_foreign(node)
        sink.error("E0408", span, message)
        sink.foreign = False
        return
    _unsafe_params(ruleset, syms, scale, sink, is_foreign)
