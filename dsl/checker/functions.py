"""The built-in functions as the checker sees them (read from `dsl.builtins`, their one home): which
calls aggregate over records, and how many arguments each form takes."""

from __future__ import annotations

from .. import ast
from ..builtins import AGGREGATES, BUILTINS, NEED_IF_EMPTY, SCALAR_FORMS

__all__ = [
    "AGGREGATES",
    "AGGREGATE_ARITY",
    "ALL_FUNCTIONS",
    "ARITY",
    "NEED_IF_EMPTY",
    "SCALAR_FORMS",
    "is_aggregate",
    "record_scope",
]

# name -> (min args, max args) for the non-aggregate use
ARITY: dict[str, tuple[int, int]] = {name: b.arity for name, b in BUILTINS.items() if b.arity is not None}
# argument count of the aggregate form (beside scope, filter and default)
AGGREGATE_ARITY: dict[str, tuple[int, int]] = {
    name: b.aggregate for name, b in BUILTINS.items() if b.aggregate is not None
}

ALL_FUNCTIONS = tuple(sorted(BUILTINS))


def is_aggregate(call: ast.Call) -> bool:
    """Whether a call aggregates over records (as opposed to a scalar function of its arguments).

    `đếm` and `trung_bình_có_trọng_số` always aggregate; `tổng`, `trung_bình`, `lớn_nhất`, `nhỏ_nhất`
    aggregate when written with a scope, a `nếu` filter, a `khi rỗng` default, or a single argument
    (over the person's tasks by default); with several arguments and none of those they are scalar."""
    if call.func not in AGGREGATES:
        return False
    if call.func not in SCALAR_FORMS:
        return True
    return (
        call.scope is not None or call.where is not None or call.if_empty is not None or len(call.args) <= 1
    )


def record_scope(call: ast.Call) -> str:
    """The record scope of an aggregate: "nhiệm_vụ" (default), "cấp_dưới" or "kỳ"."""
    return call.scope or "nhiệm_vụ"
