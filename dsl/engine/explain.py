"""Explanations in Vietnamese: formulas as written, the same formulas with the values that went in,
and why a condition held or not. Numbers that go into a formula are shown so that a person can
recompute the result by hand (`format_exact`: exact decimals, else six decimals and "…"); in formulas
with values, arguments are separated by "; " so decimal commas stay unambiguous. Aggregates over
subordinates name the subordinates they counted (a leader's d = 50 says who caused it)."""

from __future__ import annotations

from fractions import Fraction

from .. import ast
from ..builtins import SCALAR_FORMS
from ..checker.functions import is_aggregate
from ..errors import EvalError
from .aggregates import PERIODS, SUBORDINATES
from .compile import BlankCompared, compare, negate
from .env import Env
from .values import NA, NotApplicableUsed, format_exact, format_value

_SCOPE_WORD = {"nhiệm_vụ": "nhiệm vụ", "cấp_dưới": "cấp dưới", "kỳ": "kỳ"}
_OP_WORD = {"*": "×", "×": "×", "!=": "<>"}


def _prec(node: ast.Expr) -> int:
    if isinstance(node, ast.If):
        return 1
    if isinstance(node, ast.Binary):
        return {"hoặc": 2, "và": 3, "+": 6, "-": 6}.get(node.op, 7)
    if isinstance(node, ast.Unary):
        return 4 if node.op == "không" else 8
    if isinstance(node, ast.Compare):
        return 5
    return 9


def _wrap(text: str, child: ast.Expr, parent_prec: int, right: bool = False) -> str:
    p = _prec(child)
    if p < parent_prec or (right and p == parent_prec and p in (6, 7)):
        return f"({text})"
    return text


def _date(d) -> str:
    return d.strftime("%d/%m/%Y")


class Renderer:
    """Render expressions; with an env and the compiler's closures, render them with values."""

    def __init__(
        self,
        fns: dict[int, object],
        digits: int,
        percent_names: frozenset[str] = frozenset(),
        definitions: dict[str, ast.Expr] | None = None,
    ):
        self.fns = fns
        self.digits = digits
        self.percent_names = percent_names  # parameters written as percents: shown as "25%"
        self.definitions = definitions or {}  # person-level values: name -> formula

    # -------------------------------------------------------------- plain
    def text(self, node: ast.Expr, env=None, notes: list[str] | None = None) -> str:
        """The formula as written (env None), or with names and aggregates replaced by values."""
        sub = env is not None
        r = lambda x: self.text(x, env, notes)  # noqa: E731
        if isinstance(node, ast.Num):
            if sub and not node.percent:
                return format_exact(node.value)
            return node.text
        if isinstance(node, ast.Text):
            return f'"{node.value}"'
        if isinstance(node, ast.Bool):
            return "đúng" if node.value else "sai"
        if isinstance(node, ast.DateLit):
            return _date(node.value)
        if isinstance(node, ast.Name):
            return self.value_text(node, env) if sub else node.name
        if isinstance(node, ast.Unary):
            inner = _wrap(r(node.operand), node.operand, _prec(node))
            return f"-{inner}" if node.op == "-" else f"không {inner}"
        if isinstance(node, ast.Binary):
            p = _prec(node)
            op = _OP_WORD.get(node.op, node.op)
            return f"{_wrap(r(node.left), node.left, p)} {op} {_wrap(r(node.right), node.right, p, True)}"
        if isinstance(node, ast.Compare):
            parts = [_wrap(r(node.operands[0]), node.operands[0], 6)]
            for op, x in zip(node.ops, node.operands[1:], strict=False):
                parts.append(f"{_OP_WORD.get(op, op)} {_wrap(r(x), x, 6)}")
            return " ".join(parts)
        if isinstance(node, ast.If) and sub:
            holds = bool(self.value(node.cond, env))
            if notes is not None:
                notes.append(self.condition(node.cond, env, holds))
            return r(node.then if holds else node.otherwise)
        if isinstance(node, ast.If):
            return f"nếu {r(node.cond)} thì {r(node.then)} ngược lại {_wrap(r(node.otherwise), node.otherwise, 2)}"
        if isinstance(node, ast.Call):
            return self._call(node, env, notes)
        return "?"

    def _call(self, node: ast.Call, env, notes) -> str:
        if is_aggregate(node):
            if env is None:
                head = [_SCOPE_WORD.get(node.scope, node.scope)] if node.scope else []
                body = ", ".join(self.text(a) for a in node.args)
                if node.where is not None:
                    body = f"{body} nếu {self.text(node.where)}".strip()
                parts = head + ([body] if body else [])
                inner = (" " if node.func == "đếm" and head and body.startswith("nếu") else ", ").join(parts)
                if node.if_empty is not None:
                    inner += f", khi rỗng {self.text(node.if_empty)}"
                return f"{node.func}({inner})"
            value = self.value_text(node, env)
            if notes is not None:
                terms = self.terms(node, env)
                working = f" = {terms}" if terms else ""
                note = f"{self.text(node)}{working} = {value}{self.who(node, env)}"
                if note not in notes:
                    notes.append(note)
            return value
        if env is not None and node.func in ("tỷ_lệ", "chia") and len(node.args) >= 2:
            den = self.value(node.args[1], env)
            if den == 0 and len(node.args) > 2:
                return self.text(node.args[2], env, notes)
            x, y = self.text(node.args[0], env, notes), self.text(node.args[1], env, notes)
            x = _wrap(x, node.args[0], 7)
            y = _wrap(y, node.args[1], 8)
            return f"100 × {x} / {y}" if node.func == "tỷ_lệ" else f"{x} / {y}"
        args = node.args
        if env is not None and node.func in SCALAR_FORMS:  # not-applicable criteria are skipped
            args = tuple(a for a in args if self.value(a, env) is not NA) or args
        sep = "; " if env is not None else ", "
        return f"{node.func}({sep.join(self.text(a, env, notes) for a in args)})"

    MAX_TERMS = 24

    def terms(self, node: ast.Expr, env) -> str:
        """The working of a sum or mean over a few sub-period results or subordinates, e.g.
        "(92 + 88,5 + 90,5) / 3"; "" for other aggregates, task aggregates (the task list is the
        working) and more than MAX_TERMS records."""
        if not (isinstance(node, ast.Call) and is_aggregate(node) and node.func in ("tổng", "trung_bình")):
            return ""
        if node.scope not in (PERIODS, SUBORDINATES) or len(node.args) != 1 or env is None or env.p is None:
            return ""
        arg = self.fns.get(id(node.args[0]))
        where = self.fns.get(id(node.where)) if node.where is not None else None
        records = env.p.subs if node.scope == SUBORDINATES else range(env.p.n_period)
        if arg is None or len(records) > self.MAX_TERMS:
            return ""
        inner = Env(env.p, None, env.params)
        shown = []
        try:
            for r in records:
                inner.row = r
                if where is not None and not where(inner):
                    continue
                v = arg(inner)
                if v is not NA:
                    shown.append(number_text(v, self.digits))
        except (EvalError, NotApplicableUsed, ArithmeticError, TypeError, ValueError, KeyError):
            return ""
        if not shown:
            return ""
        total = " + ".join(shown)
        return total if node.func == "tổng" else f"({total}) / {len(shown)}"

    def who(self, node: ast.Expr, env) -> str:
        """For an aggregate over subordinates with a condition (or a value defined as one): the codes
        of the subordinates it selected, e.g. " (cán bộ NV1, NV3)"; else ""."""
        if isinstance(node, ast.Name):
            node = self.definitions.get(node.name)
        if not (isinstance(node, ast.Call) and is_aggregate(node) and node.scope == SUBORDINATES):
            return ""
        where = self.fns.get(id(node.where)) if node.where is not None else None
        if where is None or env is None or env.p is None:
            return ""
        inner = Env(env.p, None, env.params)
        codes = []
        for sub in env.p.subs:
            inner.row = sub
            try:
                if where(inner):
                    codes.append(sub.code)
            except (EvalError, NotApplicableUsed, ArithmeticError, TypeError, ValueError, KeyError):
                continue
        return f" (cán bộ {', '.join(codes)})" if codes else ""

    # -------------------------------------------------------------- values
    def value(self, node: ast.Expr, env):
        fn = self.fns.get(id(node))
        if fn is None:
            return None
        try:
            return fn(env)
        except NotApplicableUsed:
            return NA
        except (EvalError, ArithmeticError, TypeError, ValueError, KeyError):
            return None

    def value_text(self, node: ast.Expr, env) -> str:
        v = self.value(node, env)
        if isinstance(node, ast.Name) and node.name in self.percent_names and isinstance(v, int | Fraction):
            return format_exact(v * 100) + "%"
        return "?" if v is None and not isinstance(node, ast.Name) else number_text(v, self.digits)

    def substituted(self, node: ast.Expr, env) -> tuple[str, list[str]]:
        notes: list[str] = []
        return self.text(node, env, notes), notes

    # -------------------------------------------------------------- conditions
    def condition(self, node: ast.Expr, env, holds: bool) -> str:
        """Why `node` evaluated to `holds`: the comparisons with their values."""
        if isinstance(node, ast.Compare):
            vals = [self.value(x, env) for x in node.operands]
            shown = [self._operand(x, v, env) for x, v in zip(node.operands, vals, strict=False)]
            if holds:
                out = [shown[0]]
                for op, s in zip(node.ops, shown[1:], strict=False):
                    out.append(f"{_OP_WORD.get(op, op)} {s}")
                return " ".join(out)
            link = self._failing_link(node, env)
            return f"{shown[link]} {negate(node.ops[link])} {shown[link + 1]}"
        if isinstance(node, ast.Binary) and node.op in ("và", "hoặc"):
            parts = [node.left, node.right]
            all_needed = (node.op == "và") == holds
            if all_needed:
                return " và ".join(self.condition(x, env, holds) for x in parts)
            for x in parts:
                if bool(self.value(x, env)) == holds:
                    return self.condition(x, env, holds)
        if isinstance(node, ast.Unary) and node.op == "không":
            return self.condition(node.operand, env, not holds)
        if isinstance(node, ast.Name):
            return f"{node.name} {number_text(self.value(node, env), self.digits)}"
        return f"{self.text(node)} {'đúng' if holds else 'sai'}"

    def _failing_link(self, node: ast.Compare, env) -> int:
        fn = self.fns.get(id(node))
        if len(node.ops) == 1 or fn is None:
            return 0
        for i, op in enumerate(node.ops):
            a, b = self.value(node.operands[i], env), self.value(node.operands[i + 1], env)
            if not _holds(op, a, b):
                return i
        return 0

    def _operand(self, node: ast.Expr, v, env=None) -> str:
        shown = number_text(v, self.digits)
        if isinstance(node, ast.Num | ast.Text | ast.Bool | ast.DateLit):
            return self.text(node) if isinstance(node, ast.Num) and node.percent else shown
        return f"{self.text(node)} {shown}{self.who(node, env)}"


def number_text(v, digits: int) -> str:
    """A value in an explanation: numbers as `format_exact`, anything else as `format_value`."""
    if isinstance(v, int | Fraction) and not isinstance(v, bool):
        return format_exact(v)
    return format_value(v, digits)


def _holds(op, a, b) -> bool:
    try:
        return compare(op, a, b)
    except (EvalError, TypeError, BlankCompared):
        return True
