"""Names, scopes and types of expressions: one walk per formula reports every problem in it."""

from __future__ import annotations

from dataclasses import dataclass, replace

from .. import ast
from .. import builtins as B
from ..builtins import BUILTINS
from ..fields import LEVEL_NAME, FieldSpec
from ..text import similarity_key, suggest
from . import symbols as S
from . import types as T
from .division import provably_nonzero
from .functions import AGGREGATE_ARITY, ALL_FUNCTIONS, ARITY, NEED_IF_EMPTY, is_aggregate, record_scope
from .sink import Sink, did_you_mean

_RECORD_WORDS = {"nhiệm_vụ": "nhiệm vụ", "cấp_dưới": "cấp dưới", "kỳ": "kỳ"}
_FIELD_KINDS = (S.TASK_FIELD, S.PERSON_FIELD)
FUZZY_BUDGET = 50  # unknown names that get a difflib suggestion (each costs a pass over all names)


@dataclass(frozen=True, slots=True)
class Env:
    """Where an expression is evaluated.

    stage: "task" (a per-task definition), "person" (criteria, score, levels...), "const" (only
    parameters and literals: weights, quota limits). record: the record scope whose fields are
    visible ("nhiệm_vụ" in per-task definitions and task aggregates, "cấp_dưới", "kỳ").
    """

    stage: str
    record: str | None = None
    in_aggregate: bool = False
    level_ok: bool = False  # `xếp_loại` of the person readable (outputs)
    outputs_ok: bool = False


TASK_DEF = Env("task", "nhiệm_vụ")
PERSON = Env("person")
OUTPUTS = Env("person", level_ok=True, outputs_ok=True)
CONST = Env("const")


class ExprChecker:
    def __init__(self, sink: Sink, syms: S.Symbols, level_names: tuple[str, ...]):
        self.sink = sink
        self.syms = syms
        self.level_names = level_names
        self._index: dict[str | None, dict[str, str]] = {}
        self._fuzzy_left = FUZZY_BUDGET

    # ------------------------------------------------------------ entry points

    def expect(self, expr: ast.Expr, env: Env, want: T.Type, what: str) -> T.Type:
        got = self.check(expr, env)
        if not T.compatible(want, got):
            code = "E0202" if want == T.BOOL else "E0201"
            self.sink.error(code, expr.span, f"{what} phải là {want.describe()}, không phải {got.describe()}")
        return got

    def cond(self, expr: ast.Expr, env: Env, what: str = "điều kiện") -> None:
        self.expect(expr, env, T.BOOL, what)

    def check(self, expr: ast.Expr, env: Env) -> T.Type:
        lit = T.of_literal(expr)
        if lit is not None:
            return lit
        if isinstance(expr, ast.Name):
            return self._name(expr, env)
        if isinstance(expr, ast.Unary):
            if expr.op == "không":
                self.cond(expr.operand, env, "toán hạng của 'không'")
                return T.BOOL
            self.expect(expr.operand, env, T.NUMBER, "toán hạng của dấu '-'")
            return T.NUMBER
        if isinstance(expr, ast.Binary):
            return self._binary(expr, env)
        if isinstance(expr, ast.Compare):
            return self._compare(expr, env)
        if isinstance(expr, ast.If):
            self.cond(expr.cond, env, "điều kiện sau 'nếu'")
            a = self.check(expr.then, env)
            b = self.check(expr.otherwise, env)
            if not (T.compatible(a, b) or T.compatible(b, a)):
                self.sink.error(
                    "E0201", expr.span, f"hai nhánh của 'nếu' khác kiểu: {a.describe()} và {b.describe()}"
                )
                return T.UNKNOWN
            return b if a.unknown or a.kind == T.TEXT_KIND else a
        if isinstance(expr, ast.Call):
            return self._call(expr, env)
        return T.UNKNOWN

    # ------------------------------------------------------------ names

    def _lookup(self, name: str, env: Env) -> S.Symbol | None:
        if env.record == "cấp_dưới" and name in self.syms.subordinate:
            return self.syms.subordinate[name]
        if env.record == "kỳ" and name in self.syms.period:
            return self.syms.period[name]
        return self.syms.names.get(name)

    def _visible(self, env: Env) -> list[str]:
        names = list(self.syms.names)
        if env.record == "cấp_dưới":
            names += list(self.syms.subordinate)
        elif env.record == "kỳ":
            names += list(self.syms.period)
        return names

    def _suggest(self, name: str, env: Env) -> str | None:
        """A diacritics-insensitive exact match from an index (cheap, always), else the closest name
        by difflib for the first FUZZY_BUDGET unknown names only: the work stays linear."""
        index = self._index.get(env.record)
        if index is None:
            index = {}
            for cand in sorted(self._visible(env)):
                index.setdefault(similarity_key(cand), cand)
            self._index[env.record] = index
        hit = index.get(similarity_key(name))
        if hit is not None or self._fuzzy_left <= 0:
            return hit
        self._fuzzy_left -= 1
        return suggest(name, list(index.values()))

    def _name(self, expr: ast.Name, env: Env) -> T.Type:
        name = expr.name
        sym = self._lookup(name, env)
        if sym is None:
            hint = self._suggest(name, env)
            hint_sym = self._lookup(hint, env) if hint else None
            if env.record is not None or (hint_sym is not None and hint_sym.kind in _FIELD_KINDS):
                self.sink.error("E0102", expr.span, f'không có trường "{name}"{did_you_mean(hint)}')
            else:
                self.sink.error("E0101", expr.span, f'không có tên "{name}"{did_you_mean(hint)}')
            return T.UNKNOWN
        problem = self._scope_problem(sym, env)
        if problem:
            self.sink.error("E0106", expr.span, problem)
        return sym.type

    def _scope_problem(self, sym: S.Symbol, env: Env) -> str | None:
        name, kind = sym.name, sym.kind
        scoped = (env.record == "cấp_dưới" and name in self.syms.subordinate) or (
            env.record == "kỳ" and name in self.syms.period
        )
        if scoped:
            return None
        if env.stage == "const":
            if kind != S.PARAM:
                return f'"{name}" không dùng được ở đây: chỉ được dùng tham số hoặc hằng số'
            return None
        if sym.stage == S.TASK_STAGE:
            if env.record == "nhiệm_vụ":
                return None
            if env.record is not None:
                where = _RECORD_WORDS[env.record]
                return f'"{name}" là trường của nhiệm vụ, không dùng được trong phạm vi {where}'
            return f'"{name}" có giá trị theo từng nhiệm vụ: phải đặt trong một hàm tổng hợp (tổng, đếm, trung_bình…)'
        if env.stage == "task" and kind in (S.PERSON_VALUE, S.CRITERION, S.OUTPUT, S.BUILTIN):
            return f'"{name}" có giá trị theo cán bộ, không dùng được trong giá trị theo nhiệm vụ'
        if name == LEVEL_NAME and kind == S.BUILTIN and not env.level_ok:
            return '"xếp_loại" chỉ đọc được trong đầu ra, hoặc trong phạm vi cấp dưới / kỳ'
        if kind == S.OUTPUT and not env.outputs_ok:
            return f'"{name}" là đầu ra (tính sau xếp loại), chỉ dùng được trong đầu ra khác'
        return None

    # ------------------------------------------------------------ operators

    def _binary(self, expr: ast.Binary, env: Env) -> T.Type:
        if expr.op in ("và", "hoặc"):
            self.cond(expr.left, env, f"toán hạng của '{expr.op}'")
            self.cond(expr.right, env, f"toán hạng của '{expr.op}'")
            return T.BOOL
        sign = {"*": "×"}.get(expr.op, expr.op)
        self.expect(expr.left, env, T.NUMBER, f"toán hạng của '{sign}'")
        self.expect(expr.right, env, T.NUMBER, f"toán hạng của '{sign}'")
        if expr.op == "/" and not provably_nonzero(expr.right, self.syms):
            self.sink.error(
                "E0301",
                expr.span,
                "phép chia có thể chia cho 0 mà không có kết quả xác định; dùng chia(x, y, giá_trị_khi_bằng_0)",
            )
        return T.NUMBER

    def _compare(self, expr: ast.Compare, env: Env) -> T.Type:
        kinds = [self.check(e, env) for e in expr.operands]
        for i, op in enumerate(expr.ops):
            self._compare_pair(op, expr.operands[i], kinds[i], expr.operands[i + 1], kinds[i + 1])
        return T.BOOL

    def _compare_pair(self, op: str, left: ast.Expr, lt: T.Type, right: ast.Expr, rt: T.Type) -> None:
        if lt.unknown or rt.unknown:
            return
        equality = op in ("=", "<>", "!=")
        for a, at, b in ((left, lt, right), (right, rt, left)):
            if at.kind in (T.SCALE_KIND, T.LEVEL_KIND) and isinstance(b, ast.Text):
                self._check_member(at, b)
                if at.kind == T.LEVEL_KIND and not equality:
                    self.sink.error("E0201", left.span, f"phép so sánh '{op}' không dùng được cho xếp loại")
                return
            if at.kind == T.TEXT_KIND and isinstance(a, ast.Name) and isinstance(b, ast.Text):
                self._check_choice(a, b)
        if lt.kind != rt.kind or (lt.kind == T.SCALE_KIND and lt.scale != rt.scale):
            self.sink.error("E0201", left.span, f"không so sánh được {lt.describe()} với {rt.describe()}")
            return
        if not equality and lt.kind not in (T.NUMBER_KIND, T.DATE_KIND, T.SCALE_KIND):
            self.sink.error("E0201", left.span, f"phép so sánh '{op}' không dùng được cho {lt.describe()}")

    def _check_member(self, t: T.Type, lit: ast.Text) -> None:
        if t.kind == T.SCALE_KIND:
            if lit.value not in t.scale:
                hint = suggest(lit.value, t.scale)
                self.sink.error("E0108", lit.span, f'"{lit.value}" không có trong thang{did_you_mean(hint)}')
        elif self.level_names and lit.value not in self.level_names:  # no levels: E0407 says it
            hint = suggest(lit.value, self.level_names)
            self.sink.error("E0104", lit.span, f'không có mức xếp loại "{lit.value}"{did_you_mean(hint)}')

    def _check_choice(self, name: ast.Name, lit: ast.Text) -> None:
        sym = self.syms.get(name.name)
        spec = sym.node if sym else None
        if isinstance(spec, FieldSpec) and spec.choices and lit.value not in spec.choices:
            hint = suggest(lit.value, spec.choices)
            self.sink.error(
                "E0108", lit.span, f'"{lit.value}" không phải giá trị của "{name.name}"{did_you_mean(hint)}'
            )

    # ------------------------------------------------------------ calls

    def _call(self, call: ast.Call, env: Env) -> T.Type:
        if call.func not in ALL_FUNCTIONS:
            hint = suggest(call.func, ALL_FUNCTIONS)
            self.sink.error("E0103", call.func_span, f'không có hàm "{call.func}"{did_you_mean(hint)}')
            # it may have been meant as an aggregate: task values in its arguments are not reported
            inner = env if env.record is not None or env.stage == "const" else replace(env, record="nhiệm_vụ")
            for arg in call.args:
                self.check(arg, inner)
            return T.UNKNOWN
        if is_aggregate(call):
            return self._aggregate(call, env)
        if call.scope is not None or call.where is not None or call.if_empty is not None:
            self.sink.error(
                "E0106", call.func_span, f'hàm "{call.func}" không nhận phạm vi, "nếu" hay "khi rỗng"'
            )
        low, high = ARITY[call.func]
        if not low <= len(call.args) <= high:
            self._arity_error(call, low, high)
        return self._scalar(call, env)

    def _arity_error(self, call: ast.Call, low: int, high: int) -> None:
        want = str(low) if low == high else (f"từ {low}" if high >= 10_000 else f"{low} đến {high}")
        self.sink.error("E0107", call.func_span, f'hàm "{call.func}" cần {want} đối số, có {len(call.args)}')

    def _scalar(self, call: ast.Call, env: Env) -> T.Type:
        func, args = call.func, call.args
        builtin = BUILTINS[func]
        if builtin.args == B.ANY:
            for arg in args:
                self.check(arg, env)
            return T.BOOL if builtin.result == B.BOOL else T.NUMBER
        if builtin.args == B.DATE:
            for arg in args:
                self.expect(arg, env, T.DATE, f'đối số của "{func}"')
            return T.NUMBER
        if builtin.args == B.SAME:
            types = [self.check(arg, env) for arg in args]
            known = [t for t in types if not t.unknown]
            first = known[0] if known else T.NUMBER
            if first.kind not in (T.NUMBER_KIND, T.DATE_KIND):
                first = T.NUMBER
            for arg, t in zip(args, types, strict=True):
                if not T.compatible(first, t):
                    self.sink.error("E0201", arg.span, f'đối số của "{func}" phải là {first.describe()}')
            return first
        for arg in args:
            self.expect(arg, env, T.NUMBER, f'đối số của "{func}"')
        at = builtin.digits_arg
        if at is not None and len(args) > at:
            digits = T.literal_number(args[at])
            if digits is not None and (digits.denominator != 1 or digits < 0):
                self.sink.error("E0201", args[at].span, "số chữ số làm tròn phải là số nguyên không âm")
        at = builtin.divisor_arg
        if at is not None and len(args) == at + 1 and not provably_nonzero(args[at], self.syms):
            self.sink.error(
                "E0301",
                call.func_span,
                f'"{func}" cần đối số thứ ba (kết quả khi mẫu số bằng 0): mẫu số có thể bằng 0',
            )
        return T.NUMBER

    def _aggregate(self, call: ast.Call, env: Env) -> T.Type:
        func = call.func
        if env.stage == "task":
            self.sink.error(
                "E0106", call.func_span, f'không dùng hàm tổng hợp "{func}" trong giá trị theo nhiệm vụ'
            )
        elif env.stage == "const":
            self.sink.error("E0106", call.func_span, f'không dùng hàm tổng hợp "{func}" ở đây')
        elif env.in_aggregate:
            self.sink.error(
                "E0106", call.func_span, f'hàm tổng hợp "{func}" không được lồng trong hàm tổng hợp khác'
            )
        scope = record_scope(call)
        if scope == "kỳ" and not self.syms.rollup:
            self.sink.error(
                "E0106",
                call.func_span,
                'phạm vi "kỳ" chỉ dùng trong bộ quy tắc tổng hợp ("tổng hợp từ tháng/quý")',
            )
        low, high = AGGREGATE_ARITY[func]
        if not low <= len(call.args) <= high:
            self._arity_error(call, low, high)
        inner = replace(env, stage="person", record=scope, in_aggregate=True)
        if env.stage == "task":
            inner = replace(inner, record="nhiệm_vụ")
        result = T.NUMBER
        for i, arg in enumerate(call.args):
            t = self.check(arg, inner)
            if BUILTINS[func].result == B.SAME and i == 0 and t.kind == T.DATE_KIND:
                result = T.DATE
            elif not T.compatible(T.NUMBER, t):
                self.sink.error(
                    "E0201", arg.span, f'đối số của "{func}" phải là số, không phải {t.describe()}'
                )
        if call.where is not None:
            self.cond(call.where, inner, "điều kiện lọc sau 'nếu'")
        if call.if_empty is not None:
            self.expect(call.if_empty, env, result, '"khi rỗng"')
        elif func in NEED_IF_EMPTY:
            self.sink.error(
                "E0302",
                call.func_span,
                f'"{func}" của tập rỗng không xác định: thêm "khi rỗng <giá trị>"',
            )
        return result
