"""Value ranges: the range every number of a checked ruleset can take, by interval analysis.

From the declared ranges of inputs (`số từ 0 đến 30`) and task fields (dsl/fields.py, `trường nhiệm
vụ … số từ … đến …`), parameter values (or, for one parameter at a time, its `cho phép` bounds), weights
and the functions, `ValueRanges` computes a `Range` for each per-task value (per record), person value,
criterion, `điểm_bổ_sung`, the score and each output. Ratios of sums (`tỷ_lệ(tổng(đạt), tổng(giao))`)
are bounded by the relation of the summands (dsl/checker/ratios.py); `nếu` narrows a compared name in
each branch. Everything is an over-approximation: a value can never leave its range.

Assumptions (documented in docs/ngon-ngu-quy-tac.md): the `điểm` of a subordinate or of a sub-period
result lies in the ruleset's score scale (for subordinates this is what the analysis proves)."""

from __future__ import annotations

from fractions import Fraction

from .. import ast
from ..fields import ADDED_CRITERIA_NAME
from . import ranges as R
from . import symbols as S
from .conditions import applicability_groups
from .functions import is_aggregate, record_scope
from .names import shape
from .ranges import EVERYTHING, Range, declared_range
from .ratios import Ratios
from .types import literal_number

_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "<>": "<>", "!=": "!="}
_NEGATE = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "=": "<>", "<>": "=", "!=": "="}


def _round_out(r: Range, digits: Fraction | None) -> Range:
    """A range containing the rounding (any mode) of every value of `r` to `digits` decimals."""
    if digits is None or digits.denominator != 1 or digits < 0 or digits > 12:
        pad = Fraction(1)
        return Range(None if r.lo is None else r.lo - pad, None if r.hi is None else r.hi + pad)
    scale = Fraction(10) ** int(digits)

    def down(x):
        return None if x is None else Fraction((x * scale).__floor__()) / scale

    def up(x):
        return None if x is None else Fraction((x * scale).__ceil__()) / scale

    return Range(down(r.lo), up(r.hi))


class ValueRanges:
    """Ranges of a checked, effective ruleset. `params` overrides the range of named parameters (else
    each parameter is its value); `scale` is the declared score scale."""

    def __init__(
        self, ruleset: ast.Ruleset, syms: S.Symbols, scale: Range, params: dict[str, Range] | None = None
    ):
        self.ruleset = ruleset
        self.syms = syms
        self.scale = scale
        self.params = params or {}
        self._names: dict[tuple[str, str | None], Range] = {}
        self._busy: set[tuple[str, str | None]] = set()
        self._memo: dict[tuple[int, str | None], Range] = {}
        self.ratios = Ratios(self)
        self.maybe_absent = self._maybe_absent()

    # ------------------------------------------------------------ names

    def _maybe_absent(self) -> set[str]:
        """Criteria with `khi`, and person values that read one (they may be "not applicable")."""
        out = {c.code for c in self.ruleset.criteria if c.when is not None}
        for name in self.syms.order:
            sym = self.syms.get(name)
            if sym is not None and sym.kind == S.PERSON_VALUE and set(self.syms.deps.get(name, ())) & out:
                out.add(name)
        return out

    def name(self, name: str, record: str | None = None) -> Range:
        key = (name, record)
        got = self._names.get(key)
        if got is not None:
            return got
        if key in self._busy:  # a cycle (reported as E0501) or a leader reading subordinates' criteria
            return EVERYTHING
        self._busy.add(key)
        try:
            got = self._name(name, record)
        finally:
            self._busy.discard(key)
        self._names[key] = got
        return got

    def _name(self, name: str, record: str | None) -> Range:
        syms = self.syms
        if record == "cấp_dưới" and name in syms.subordinate:
            sub = syms.subordinate[name]
            if sub.kind == S.BUILTIN:
                return self.scale if name == "điểm" else EVERYTHING
            if sub.kind == S.CRITERION:
                return self.name(name)
            return declared_range(sub.node)
        if record == "kỳ" and name in syms.period:
            return self.scale if name == "điểm" else EVERYTHING
        sym = syms.get(name)
        if sym is None:
            return EVERYTHING
        if sym.kind == S.PARAM:
            if name in self.params:
                return self.params[name]
            value = literal_number(sym.node.value) if isinstance(sym.node, ast.Param) else None
            return EVERYTHING if value is None else Range.point(value)
        if sym.kind in (S.INPUT, S.TASK_FIELD, S.PERSON_FIELD):
            return declared_range(sym.node)
        if name == ADDED_CRITERIA_NAME:
            return self.weighted(tuple(c for c in self.ruleset.criteria if c.code in syms.added_criteria))
        if name == "điểm":
            return self.score()
        node = sym.node
        if isinstance(node, ast.Definition | ast.Output):
            return self.expr(node.expr)
        if isinstance(node, ast.Criterion):
            return self.expr(node.expr)
        return EVERYTHING

    def score(self) -> Range:
        if self.ruleset.score is not None:
            return self.expr(self.ruleset.score.expr)
        added = set(self.syms.added_criteria)
        return self.weighted(tuple(c for c in self.ruleset.criteria if c.code not in added))

    def weighted(self, criteria: tuple[ast.Criterion, ...]) -> Range:
        """The weighted sum of criteria, skipping those that do not apply (as the engine does)."""
        if not criteria:
            return R.ZERO
        terms = {
            c.code: R.mul(self.expr(c.weight), self.name(c.code)) if c.weight is not None else EVERYTHING
            for c in criteria
        }
        groups = applicability_groups(criteria, self.syms, self.expr)
        if groups is None:  # too many conditions: each `khi` criterion may or may not count
            total = R.ZERO
            for c in criteria:
                total = R.add(total, terms[c.code] if c.when is None else R.hull(terms[c.code], R.ZERO))
            return total
        sums = []
        for group in groups:
            total = R.ZERO
            for c in group.criteria:
                total = R.add(total, terms[c.code])
            sums.append(total)
        return R.hull(*sums) if sums else R.ZERO

    # ------------------------------------------------------------ expressions

    def expr(self, e: ast.Expr | None, record: str | None = None, narrow: dict | None = None) -> Range:
        if e is None:
            return EVERYTHING
        if not narrow:
            key = (id(e), record)
            got = self._memo.get(key)
            if got is None:
                got = self._expr(e, record, {})
                self._memo[key] = got
            return got
        return self._expr(e, record, narrow)

    def _expr(self, e: ast.Expr, record: str | None, narrow: dict) -> Range:
        got = self._plain(e, record, narrow)
        limit = narrow.get(shape(e)) if narrow else None
        return got if limit is None else (got.meet(limit) or got)

    def _plain(self, e: ast.Expr, record: str | None, narrow: dict) -> Range:
        value = literal_number(e)
        if value is not None:
            return Range.point(value)
        if isinstance(e, ast.Name):
            return self.name(e.name, record)
        if isinstance(e, ast.Unary):
            return R.neg(self.expr(e.operand, record, narrow)) if e.op == "-" else EVERYTHING
        if isinstance(e, ast.Binary):
            if e.op in ("và", "hoặc"):
                return EVERYTHING
            a, b = self.expr(e.left, record, narrow), self.expr(e.right, record, narrow)
            if e.op == "+":
                return R.add(a, b)
            if e.op == "-":
                return R.sub(a, b)
            if e.op == "*":
                return R.mul(a, b)
            if e.op == "/":
                return R.div(a, b)
            return EVERYTHING
        if isinstance(e, ast.If):
            then = self.expr(e.then, record, {**narrow, **self.facts(e.cond, True)})
            other = self.expr(e.otherwise, record, {**narrow, **self.facts(e.cond, False)})
            return R.hull(then, other)
        if isinstance(e, ast.Call):
            return self._call(e, record, narrow)
        return EVERYTHING

    def facts(self, cond: ast.Expr, holds: bool) -> dict:
        """Ranges of expressions (by shape) compared with constants that `cond` being `holds` implies."""
        if isinstance(cond, ast.Unary) and cond.op == "không":
            return self.facts(cond.operand, not holds)
        if isinstance(cond, ast.Binary) and cond.op in ("và", "hoặc") and holds == (cond.op == "và"):
            out = dict(self.facts(cond.left, holds))
            for key, r in self.facts(cond.right, holds).items():
                out[key] = (out[key].meet(r) or r) if key in out else r
            return out
        if not isinstance(cond, ast.Compare) or (len(cond.ops) > 1 and not holds):
            return {}
        out: dict[str, Range] = {}
        for i, op in enumerate(cond.ops):
            a, b = cond.operands[i], cond.operands[i + 1]
            if not holds:
                op = _NEGATE[op]
            for side, other, oper in ((a, b, op), (b, a, _FLIP[op])):
                c = self.expr(other)
                if not (c.bounded and c.lo == c.hi):
                    continue
                piece = {
                    "<": Range(None, c.hi),
                    "<=": Range(None, c.hi),
                    ">": Range(c.lo, None),
                    ">=": Range(c.lo, None),
                    "=": c,
                }.get(oper)
                if piece is not None:
                    key = shape(side)
                    prev = out.get(key)
                    out[key] = piece if prev is None else (prev.meet(piece) or piece)
        return out

    def _call(self, call: ast.Call, record: str | None, narrow: dict) -> Range:
        func = call.func
        if is_aggregate(call):
            inner = record_scope(call)
            inner_narrow = self.facts(call.where, True) if call.where is not None else {}
            args = [self.expr(a, inner, inner_narrow) for a in call.args]
            empty = self.expr(call.if_empty, record, narrow) if call.if_empty is not None else None
            if func == "đếm":
                return Range.of(0, None)
            if func == "tổng":
                return R.sum_of_many(args[0]) if args else EVERYTHING
            if func == "trung_bình_có_trọng_số" and (len(args) < 2 or not args[1].nonneg()):
                return EVERYTHING
            value = args[0] if args else EVERYTHING
            return value if empty is None else R.hull(value, empty)
        args = [self.expr(a, record, narrow) for a in call.args]
        if func in ("tổng", "trung_bình", "lớn_nhất", "nhỏ_nhất"):
            return self._multi(func, call.args, args)
        if func in ("tỷ_lệ", "chia") and len(args) >= 2:
            return self._ratio(call, record, narrow, 100 if func == "tỷ_lệ" else 1)
        if func.startswith("làm_tròn") and args:
            digits = literal_number(call.args[1]) if len(call.args) > 1 else Fraction(0)
            return _round_out(args[0], digits)
        if func == "giới_hạn" and len(args) == 3:
            return R.smallest(R.largest(args[0], args[1]), args[2])
        if func == "trị_tuyệt_đối" and args:
            return R.absolute(args[0])
        return EVERYTHING

    def _multi(self, func: str, nodes, args: list[Range]) -> Range:
        """tổng/trung_bình/lớn_nhất/nhỏ_nhất of several values, skipping the not-applicable ones: for
        criteria with `khi`, per possible group of applicable criteria (b khi không lãnh_đạo and
        d khi lãnh_đạo never count together)."""
        criteria = {c.code: c for c in self.ruleset.criteria}
        conditional = [
            criteria[n.name]
            for n in nodes
            if isinstance(n, ast.Name) and n.name in criteria and criteria[n.name].when is not None
        ]
        groups = applicability_groups(conditional, self.syms, self.expr) if conditional else None
        if groups is None:
            return self._multi_once(func, nodes, args, set(), set()) or EVERYTHING
        codes = {c.code for c in conditional}
        results = []
        for group in groups:
            absent = codes - {c.code for c in group.criteria}
            got = self._multi_once(func, nodes, args, codes, absent)
            if got is not None:
                results.append(got)
        return R.hull(*results) if results else EVERYTHING

    def _multi_once(
        self, func: str, nodes, args: list[Range], grouped: set[str], absent: set[str]
    ) -> Range | None:
        """One case: `grouped` names are known to apply unless `absent`; other names that may be
        not applicable may or may not count."""
        present, maybe = [], []
        for node, r in zip(nodes, args, strict=True):
            name = node.name if isinstance(node, ast.Name) else None
            if name in absent:
                continue
            if name in self.maybe_absent and name not in grouped:
                maybe.append(r)
            else:
                present.append(r)
        if func == "tổng":
            total = R.ZERO
            for r in present:
                total = R.add(total, r)
            for r in maybe:
                total = R.add(total, R.hull(r, R.ZERO))
            return total
        if not present and not maybe:
            return None  # nothing applies: R1002 at run time, no value
        everything = R.hull(*present, *maybe)
        if func == "lớn_nhất" and present:
            return Range(R.largest(*present).lo, everything.hi)
        if func == "nhỏ_nhất" and present:
            return Range(everything.lo, R.smallest(*present).hi)
        return everything

    def _ratio(self, call: ast.Call, record: str | None, narrow: dict, factor: int) -> Range:
        x, y = self.expr(call.args[0], record, narrow), self.expr(call.args[1], record, narrow)
        scale = Range.point(factor)
        direct = None if y.contains_zero() else R.mul(scale, R.div(x, y))
        relation = self.ratios.relation(call.args[0], call.args[1], record) if y.nonneg() else None
        part = EVERYTHING if relation is None else R.mul(scale, relation)
        if direct is not None:
            return direct.meet(part) or direct
        if len(call.args) > 2:
            return R.hull(part, self.expr(call.args[2], record, narrow))
        return part


def value_ranges(ruleset: ast.Ruleset, syms: S.Symbols, scale: Range) -> dict[str, Range]:
    """The range of every defined name of a checked ruleset (per-task values per record, person
    values, criteria, `điểm_bổ_sung`, `điểm`, outputs), in dependency order."""
    ranges = ValueRanges(ruleset, syms, scale)
    return {name: ranges.name(name) for name in syms.order}
