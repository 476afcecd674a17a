"""Relations between a numerator and a denominator, for ranges of ratios (`tỷ_lệ`, `chia`).

`Ratios.relation(x, y)` returns a Range [lo, hi] such that, wherever the formulas are evaluated,
y >= 0 and lo × y <= x <= hi × y (an infinite end: no constraint on that side); then x / y lies in
[lo, hi] whenever y > 0. It sees through names of values, `nếu` with the same condition on both sides,
common factors, `nhỏ_nhất`/`lớn_nhất`, sums and differences, and sums over records
(`tổng(đạt) / tổng(giao)`, `đếm(… nếu hoàn_thành) / đếm(… nếu được_tính)` when the first filter implies
the second). Interval arithmetic alone cannot bound such ratios: đạt and giao are each unbounded, only
their relation (đạt <= giao on every task) is not."""

from __future__ import annotations

from fractions import Fraction

from .. import ast
from . import ranges as R
from . import symbols as S
from .functions import is_aggregate, record_scope
from .names import shape
from .ranges import Range

MAX_DEPTH = 24
_ONE = ast.Num(ast.NO_SPAN, Fraction(1), "1")  # the summand of `đếm`


def _sum_parts(e: ast.Expr):
    """(record scope, summand, filter) of `tổng(x [nếu C])` / `đếm([scope] [nếu C])`, else None."""
    if not (isinstance(e, ast.Call) and is_aggregate(e)) or e.if_empty is not None:
        return None
    if e.func == "tổng" and len(e.args) == 1:
        return record_scope(e), e.args[0], e.where
    if e.func == "đếm":
        return record_scope(e), _ONE, e.where
    return None


class Ratios:
    def __init__(self, ranges):
        self.ranges = ranges  # the ValueRanges this serves
        self.syms = ranges.syms
        self._memo: dict[tuple[int, int, str | None], Range | None] = {}
        self._shapes: dict[int, object] = {}

    def shape(self, e: ast.Expr):
        got = self._shapes.get(id(e))
        if got is None:
            got = self._shapes[id(e)] = shape(e)
        return got

    # ------------------------------------------------------------ helpers

    def _definition(self, e: ast.Expr) -> ast.Expr | None:
        if isinstance(e, ast.Name):
            sym = self.syms.get(e.name)
            if (
                sym is not None
                and sym.kind in (S.TASK_VALUE, S.PERSON_VALUE)
                and isinstance(sym.node, ast.Definition)
            ):
                return sym.node.expr
        return None

    def unfold(self, e: ast.Expr) -> ast.Expr:
        for _ in range(MAX_DEPTH):
            inner = self._definition(e)
            if inner is None:
                return e
            e = inner
        return e

    def leaves(self, cond: ast.Expr | None, depth: int = 0) -> set:
        """Shapes of the conjuncts of a condition, names of conditions replaced by their formulas."""
        if cond is None:
            return set()
        cond = self.unfold(cond)
        if isinstance(cond, ast.Binary) and cond.op == "và" and depth < MAX_DEPTH:
            return self.leaves(cond.left, depth + 1) | self.leaves(cond.right, depth + 1)
        return {self.shape(cond)}

    def implies(self, strong: ast.Expr | None, weak: ast.Expr | None) -> bool:
        return self.leaves(weak) <= self.leaves(strong)

    def _fallback(self, x: ast.Expr, record) -> Range | None:
        value = self.ranges.expr(x, record)
        if value.nonneg():
            return Range(R.ZERO.lo, None)
        if value.hi is not None and value.hi <= 0:
            return Range(None, R.ZERO.hi)
        return None

    # ------------------------------------------------------------ the relation

    def relation(self, x: ast.Expr, y: ast.Expr, record: str | None = None, depth: int = 0) -> Range | None:
        """Memoised per pair of nodes, so the work stays proportional to the formulas' size."""
        key = (id(x), id(y), record)
        if key in self._memo:
            return self._memo[key]
        if depth > MAX_DEPTH or not self.ranges.expr(y, record).nonneg():
            return None
        self._memo[key] = None  # a pair met again inside its own analysis tells nothing
        got = self._relation(x, y, record, depth)
        got = got if got is not None else self._fallback(x, record)
        self._memo[key] = got
        return got

    def _relation(self, x: ast.Expr, y: ast.Expr, record, depth: int) -> Range | None:
        if self.shape(x) == self.shape(y):
            return Range.point(1)
        xu, yu = self.unfold(x), self.unfold(y)
        if self.shape(xu) == self.shape(yu):
            return Range.point(1)
        value = self.ranges.expr(xu, record)
        if value.bounded and value.lo == value.hi == 0:
            return Range.point(0)
        deeper = depth + 1
        xs, ys = _sum_parts(xu), _sum_parts(yu)
        if xs is not None and ys is not None and xs[0] == ys[0]:
            return self._sums(xs, ys, deeper)
        if isinstance(xu, ast.If) and isinstance(yu, ast.If) and self.shape(xu.cond) == self.shape(yu.cond):
            return self._both(
                self.relation(xu.then, yu.then, record, deeper),
                self.relation(xu.otherwise, yu.otherwise, record, deeper),
            )
        if isinstance(xu, ast.If):
            return self._both(
                self.relation(xu.then, y, record, deeper), self.relation(xu.otherwise, y, record, deeper)
            )
        if isinstance(xu, ast.Binary) and xu.op == "*":
            return self._product(xu, yu, y, record, deeper)
        if isinstance(xu, ast.Binary) and xu.op in ("+", "-"):
            left = self.relation(xu.left, y, record, deeper)
            right = self.relation(xu.right, y, record, deeper)
            if left is None or right is None:
                return None
            return R.add(left, right) if xu.op == "+" else R.sub(left, right)
        if isinstance(xu, ast.Call) and not is_aggregate(xu) and xu.func in ("nhỏ_nhất", "lớn_nhất"):
            parts = [self.relation(a, y, record, deeper) or Range() for a in xu.args]
            return R.smallest(*parts) if xu.func == "nhỏ_nhất" else R.largest(*parts)
        if isinstance(yu, ast.If):  # last: splitting the denominator loses what its branches share
            return self._both(
                self.relation(x, yu.then, record, deeper), self.relation(x, yu.otherwise, record, deeper)
            )
        return None

    @staticmethod
    def _both(a: Range | None, b: Range | None) -> Range | None:
        return None if a is None or b is None else R.hull(a, b)

    def _product(self, xu: ast.Binary, yu: ast.Expr, y: ast.Expr, record, depth: int) -> Range | None:
        factors = ((xu.left, xu.right), (xu.right, xu.left))
        if isinstance(yu, ast.Binary) and yu.op == "*":
            for p, q in factors:
                for p2, q2 in ((yu.left, yu.right), (yu.right, yu.left)):
                    if self.shape(q) == self.shape(q2) and self.ranges.expr(q, record).nonneg():
                        got = self.relation(p, p2, record, depth)
                        if got is not None:
                            return got
        best = None
        for p, q in factors:
            got = self.relation(p, y, record, depth)
            if got is not None:
                scaled = R.mul(got, self.ranges.expr(q, record))
                best = scaled if best is None else (best.meet(scaled) or best)
        return best

    def _sums(self, xs, ys, depth: int) -> Range | None:
        scope, x, x_filter = xs
        _scope, y, y_filter = ys
        if not self.implies(x_filter, y_filter):
            return None
        per_record = self.relation(x, y, scope, depth)
        if per_record is None:
            return None
        if self.implies(y_filter, x_filter):  # the same records on both sides
            return per_record
        # fewer records on top: the sum over them lies between min(lo, 0) and max(hi, 0) times the other
        lo = None if per_record.lo is None else min(per_record.lo, 0)
        hi = None if per_record.hi is None else max(per_record.hi, 0)
        return Range.of(lo, hi)
