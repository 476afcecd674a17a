"""The built-in functions of the language, each declared once (this table is their one home).

An entry gives the canonical name, further spellings (the ASCII fold of any spelling is always
accepted: "ty_le" = "tỷ_lệ"), the argument counts of its scalar and aggregate forms, the argument and
result types, the extra checks of its arguments, a Vietnamese explanation for users, and where its two
implementations live: the exact engine's closure factory and the vector backend's array version
("module:function", resolved on first use like the CLI's lazy commands, so that `kpi check` imports
neither numpy nor the engines). Readers: the keyword table (`dsl/syntax/keywords.py`), the checker
(`dsl/checker/functions.py`, `exprs.py`), the exact engine (`dsl/engine/compile.py`) and the vector
backend (`dsl/vector/exprs.py`). Adding a function: one entry here, its two implementations, tests.

Aggregates (`đếm`, `trung_bình_có_trọng_số`, and `tổng`, `trung_bình`, `lớn_nhất`, `nhỏ_nhất` written
with a scope, a `nếu` filter, `khi rỗng` or one argument) run over records; their implementations
are the engines' aggregate stages (`dsl/engine/aggregates.py`, `dsl/vector/calls.py: aggregate`).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache

NUMBER = "số"
DATE = "ngày"
BOOL = "đúng sai"
ANY = "bất kỳ"
SAME = "số hoặc ngày, cùng kiểu"  # the arguments share one type, which is the result's
MANY = 10_000  # "any number of arguments"


@dataclass(frozen=True, slots=True)
class Builtin:
    name: str
    explain: str  # what it computes, in Vietnamese
    arity: tuple[int, int] | None = None  # (min, max) arguments of the scalar form; None: aggregate only
    aggregate: tuple[int, int] | None = None  # arguments of the aggregate form; None: no aggregate form
    need_if_empty: bool = False  # the aggregate of no record is undefined: `khi rỗng` required
    args: str = NUMBER  # type of every argument: NUMBER, DATE, ANY or SAME
    result: str = NUMBER  # NUMBER, BOOL or SAME
    aliases: tuple[str, ...] = ()  # further spellings (beyond the ASCII fold)
    digits_arg: int | None = None  # index of a rounding-digits argument (a whole number ≥ 0)
    divisor_arg: int | None = None  # index of a divisor: without a further argument it must be nonzero
    exact: str = ""  # "module:function": closure factory of the scalar form, (compiled args) -> fn(env)
    vector: str = ""  # "module:function": (evaluator, call, scope) -> Col for the scalar form

    @property
    def always_aggregate(self) -> bool:
        return self.arity is None


_E, _V = "dsl.engine.functions:", "dsl.vector.calls:"

# fmt: off
_TABLE = (  # name, explanation, scalar arity, aggregate arity, need `khi rỗng`, argument and result types
    Builtin("tổng", "tổng các giá trị (của các bản ghi, hoặc của các đối số)", (2, MANY), (1, 1), exact=_E + "total", vector=_V + "multi"),
    Builtin("đếm", "số bản ghi (thỏa điều kiện sau nếu)", None, (0, 0)),
    Builtin("trung_bình", "trung bình cộng", (2, MANY), (1, 1), True, exact=_E + "mean", vector=_V + "multi"),
    Builtin("trung_bình_có_trọng_số", "trung bình có trọng số (giá trị, trọng số)", None, (2, 2), True),
    Builtin("lớn_nhất", "giá trị lớn nhất", (2, MANY), (1, 1), True, SAME, SAME, exact=_E + "largest", vector=_V + "multi"),
    Builtin("nhỏ_nhất", "giá trị nhỏ nhất", (2, MANY), (1, 1), True, SAME, SAME, exact=_E + "smallest", vector=_V + "multi"),
    Builtin("tỷ_lệ", "tỷ lệ phần trăm 100 × x / y (đối số thứ ba: kết quả khi y bằng 0)", (2, 3), aliases=("tỉ_lệ",), divisor_arg=1, exact=_E + "percent", vector=_V + "percent"),
    Builtin("chia", "x / y (đối số thứ ba: kết quả khi y bằng 0)", (2, 3), divisor_arg=1, exact=_E + "quotient", vector=_V + "quotient"),
    Builtin("làm_tròn", "làm tròn nửa lên đến n chữ số thập phân (mặc định 0)", (1, 2), digits_arg=1, exact=_E + "round_half_up", vector=_V + "round_half_up"),
    Builtin("làm_tròn_lên", "làm tròn lên đến n chữ số thập phân", (1, 2), digits_arg=1, exact=_E + "round_up", vector=_V + "round_up"),
    Builtin("làm_tròn_xuống", "làm tròn xuống đến n chữ số thập phân", (1, 2), digits_arg=1, exact=_E + "round_down", vector=_V + "round_down"),
    Builtin("giới_hạn", "giới_hạn(x, thấp, cao): x đưa vào khoảng [thấp, cao]", (3, 3), exact=_E + "clamp", vector=_V + "clamp"),
    Builtin("trị_tuyệt_đối", "giá trị tuyệt đối", (1, 1), exact=_E + "absolute", vector=_V + "absolute"),
    Builtin("có_giá_trị", "đúng khi giá trị không trống", (1, 1), args=ANY, result=BOOL, exact=_E + "has_value", vector=_V + "has_value"),
    Builtin("số_ngày", "số ngày từ ngày thứ nhất đến ngày thứ hai", (2, 2), args=DATE, exact=_E + "days", vector=_V + "days"),
)
# fmt: on
BUILTINS: dict[str, Builtin] = {b.name: b for b in _TABLE}
FUNCTIONS: tuple[str, ...] = tuple(BUILTINS)
AGGREGATES = frozenset(name for name, b in BUILTINS.items() if b.aggregate is not None)
# functions that aggregate over records only when written as aggregates (else they are scalar)
SCALAR_FORMS = frozenset(name for name in AGGREGATES if BUILTINS[name].arity is not None)
NEED_IF_EMPTY = frozenset(name for name, b in BUILTINS.items() if b.need_if_empty)


@cache
def implementation(ref: str):
    """The function named by "module:function" (imported on first use)."""
    module, _, name = ref.partition(":")
    return getattr(importlib.import_module(module), name)
