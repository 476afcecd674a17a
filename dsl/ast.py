"""The syntax tree of a ruleset: frozen dataclasses that carry their source span.

The parser (dsl/parser.py) is the only module that sees lark trees; every later stage (adoption merge,
checker, compiler, evaluator, formatter, diff) works on these nodes. Names are stored after
`dsl.text.canon()`; keyword spellings are not kept (the formatter prints the canonical Vietnamese).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction


@dataclass(frozen=True, slots=True)
class Span:
    """1-based line/column of the first character, and of the character after the last one."""

    line: int
    column: int
    end_line: int
    end_column: int

    @staticmethod
    def none() -> Span:
        return Span(0, 0, 0, 0)


NO_SPAN = Span(0, 0, 0, 0)


# ---------------------------------------------------------------- expressions


@dataclass(frozen=True, slots=True)
class Expr:
    span: Span


@dataclass(frozen=True, slots=True)
class Num(Expr):
    value: Fraction  # exact: "97.5" -> Fraction(195, 2); "25%" -> Fraction(1, 4)
    text: str  # as written, e.g. "25%" or "97.5"
    percent: bool = False


@dataclass(frozen=True, slots=True)
class Text(Expr):
    value: str  # canon()-normalised


@dataclass(frozen=True, slots=True)
class Bool(Expr):
    value: bool


@dataclass(frozen=True, slots=True)
class DateLit(Expr):
    value: dt.date


@dataclass(frozen=True, slots=True)
class Name(Expr):
    name: str  # canon()-normalised identifier; the score is Name("điểm"), the level Name("xếp_loại")


@dataclass(frozen=True, slots=True)
class Unary(Expr):
    op: str  # "-" or "không"
    operand: Expr


@dataclass(frozen=True, slots=True)
class Binary(Expr):
    op: str  # "+", "-", "*", "/", "và", "hoặc"
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class Compare(Expr):
    """A chain `a < b <= c`: ops[i] compares operands[i] with operands[i+1]."""

    ops: tuple[str, ...]  # "=", "<>", "<", "<=", ">", ">="
    operands: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class If(Expr):
    cond: Expr
    then: Expr
    otherwise: Expr


@dataclass(frozen=True, slots=True)
class Call(Expr):
    """A function call. `func` is the canonical Vietnamese function name (aliases resolved by the parser
    when they fold to a known function, else kept as written for the checker to report).

    For aggregates: `scope` is None (tasks, the default), "nhiệm_vụ", "cấp_dưới" or "kỳ";
    `where` is the `nếu` filter; `if_empty` the `khi rỗng` default.
    """

    func: str
    args: tuple[Expr, ...]
    func_span: Span
    scope: str | None = None
    where: Expr | None = None
    if_empty: Expr | None = None


def children(expr: Expr) -> list[Expr]:
    """The direct sub-expressions of `expr` (for walks without recursion)."""
    if isinstance(expr, Unary):
        return [expr.operand]
    if isinstance(expr, Binary):
        return [expr.left, expr.right]
    if isinstance(expr, Compare):
        return list(expr.operands)
    if isinstance(expr, If):
        return [expr.cond, expr.then, expr.otherwise]
    if isinstance(expr, Call):
        out = list(expr.args)
        if expr.where is not None:
            out.append(expr.where)
        if expr.if_empty is not None:
            out.append(expr.if_empty)
        return out
    return []


# ---------------------------------------------------------------- header and declarations


@dataclass(frozen=True, slots=True)
class LegalBasis:
    document: str  # "Nghị định 335/2025/NĐ-CP"
    articles: tuple[str, ...]  # ("12", "14")
    span: Span


@dataclass(frozen=True, slots=True)
class Citation:
    document: str | None  # None: the ruleset's first legal basis
    article: str | None  # điều
    clause: str | None = None  # khoản
    point: str | None = None  # điểm
    span: Span = NO_SPAN

    def text(self) -> str:
        parts = []
        if self.point:
            parts.append(f"điểm {self.point}")
        if self.clause:
            parts.append(f"khoản {self.clause}")
        if self.article:
            parts.append(f"Điều {self.article}")
        out = " ".join(parts)
        if self.document:
            out = f"{out} {self.document}".strip()
        return out


@dataclass(frozen=True, slots=True)
class Rounding:
    digits: int = 2
    mode: str = "nửa lên"  # "nửa lên" (half-up), "lên" (ceiling), "xuống" (floor)
    span: Span = NO_SPAN


@dataclass(frozen=True, slots=True)
class AdoptRef:
    code: str
    version: int
    span: Span


@dataclass(frozen=True, slots=True)
class Header:
    code: str
    version: int
    span: Span
    title: str | None = None
    bases: tuple[LegalBasis, ...] = ()
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    period: str | None = None  # "tháng", "quý", "năm"
    subjects: tuple[str, ...] = ()
    rounding: Rounding = Rounding()
    adopts: AdoptRef | None = None
    rollup_from: str | None = None  # "tháng" or "quý" for roll-up rulesets
    # `thang điểm 0 đến 100`: the range the score must stay in (None: the default, 0 to 100)
    score_scale: tuple[Expr, Expr] | None = None
    # spans of individual header items, keyed by item ("tên", "hiệu lực", ...), for diagnostics
    item_spans: tuple[tuple[str, Span], ...] = ()


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    value: Expr  # a literal: Num, Text, Bool, DateLit
    span: Span
    low: Expr | None = None
    high: Expr | None = None
    locked: bool = True  # no `cho phép` -> locked for adopters
    title: str | None = None


@dataclass(frozen=True, slots=True)
class TypeSpec:
    kind: str  # "số", "văn bản", "đúng sai", "ngày", "thang"
    low: Expr | None = None
    high: Expr | None = None
    scale: tuple[str, ...] = ()  # for "thang", best-to-worst is NOT implied: order as written, first lowest
    span: Span = NO_SPAN


@dataclass(frozen=True, slots=True)
class InputDecl:
    name: str
    type: TypeSpec
    span: Span
    title: str | None = None
    default: Expr | None = None


@dataclass(frozen=True, slots=True)
class FieldDecl:
    """`trường nhiệm vụ NAME "Label": TYPE [mặc định V]` — an extra task field."""

    name: str
    type: TypeSpec
    span: Span
    title: str | None = None
    default: Expr | None = None


@dataclass(frozen=True, slots=True)
class Definition:
    """`name = expr` either in `mỗi nhiệm vụ:` (per task) or at top level (per person)."""

    name: str
    expr: Expr
    span: Span
    per_task: bool


@dataclass(frozen=True, slots=True)
class Criterion:
    code: str  # "a", "b", "đ" ...
    title: str
    expr: Expr
    span: Span
    citation: Citation | None = None
    when: Expr | None = None
    weight: Expr | None = None


@dataclass(frozen=True, slots=True)
class Score:
    expr: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Level:
    name: str
    cond: Expr | None  # None: `còn lại`
    span: Span


@dataclass(frozen=True, slots=True)
class Levels:
    levels: tuple[Level, ...]
    span: Span
    citation: Citation | None = None


@dataclass(frozen=True, slots=True)
class Veto:
    kind: str  # "loại trừ" (force level), "tối đa" (cap), "không xếp loại" (unrated)
    level: str | None
    cond: Expr
    span: Span
    citation: Citation | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Quota:
    level: str
    limit: Expr  # a percentage expression (params allowed)
    of_level: str | None  # None: of all rated persons in the group (`tổng số`)
    span: Span
    scope: tuple[str, ...] = ()  # subset of ("đơn_vị", "nhóm_nhiệm_vụ")
    tie_field: str = "mã_cán_bộ"
    rounding: str = "xuống"  # "xuống", "lên", "gần nhất"
    citation: Citation | None = None
    of_range: str = ""  # with of_level: "" (that level), "trở lên" (it or better), "trở xuống" (or worse)


@dataclass(frozen=True, slots=True)
class Output:
    name: str
    expr: Expr
    span: Span
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Override:
    """`đặt NAME = literal` in an adopting file or a test case."""

    name: str
    value: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class AllowAddCriteria:
    """`cho phép thêm tiêu chí tối đa 10%`."""

    max_weight: Expr
    span: Span


# ---------------------------------------------------------------- test cases


@dataclass(frozen=True, slots=True)
class Attr:
    name: str
    value: Expr  # literal
    span: Span


@dataclass(frozen=True, slots=True)
class TestRecord:
    """`nhiệm vụ [N lần] (attrs)` or `kết quả kỳ (attrs)`."""

    kind: str  # "nhiệm_vụ" or "kỳ"
    count: int
    attrs: tuple[Attr, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class TestPerson:
    code: str
    attrs: tuple[Attr, ...]  # person fields and inputs
    records: tuple[TestRecord, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Expectation:
    person: str | None  # None: the only person of the case
    key: str  # criterion code, "điểm", "xếp_loại", "xếp_loại_trước_hạn_mức", output name, "loại_trừ", "không_xếp_loại"
    value: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class TestCase:
    name: str
    persons: tuple[TestPerson, ...]
    expectations: tuple[Expectation, ...]
    span: Span
    overrides: tuple[Override, ...] = ()


# ---------------------------------------------------------------- the file


@dataclass(frozen=True, slots=True)
class Ruleset:
    header: Header
    filename: str = "<nguồn>"
    source: str = ""
    params: tuple[Param, ...] = ()
    inputs: tuple[InputDecl, ...] = ()
    fields: tuple[FieldDecl, ...] = ()
    definitions: tuple[Definition, ...] = ()
    criteria: tuple[Criterion, ...] = ()
    score: Score | None = None
    levels: Levels | None = None
    vetoes: tuple[Veto, ...] = ()
    quotas: tuple[Quota, ...] = ()
    outputs: tuple[Output, ...] = ()
    overrides: tuple[Override, ...] = ()
    allow_add: AllowAddCriteria | None = None
    tests: tuple[TestCase, ...] = ()
    # for adoption: the adopted (parent) effective ruleset, set by dsl.adopt.merge
    parent: Ruleset | None = field(default=None, compare=False)
