"""The built-in functions: which are aggregates, and how many arguments each takes."""

from __future__ import annotations

from .. import ast

# aggregates over a record scope (tasks, subordinates, sub-periods)
AGGREGATES = frozenset({"tổng", "đếm", "trung_bình", "trung_bình_có_trọng_số", "lớn_nhất", "nhỏ_nhất"})
# aggregates whose empty-set result is undefined: they need `khi rỗng`
NEED_IF_EMPTY = frozenset({"trung_bình", "trung_bình_có_trọng_số", "lớn_nhất", "nhỏ_nhất"})
# with several person-level arguments these are scalar functions
SCALAR_FORMS = frozenset({"tổng", "trung_bình", "lớn_nhất", "nhỏ_nhất"})

# name -> (min args, max args) for the non-aggregate use
ARITY: dict[str, tuple[int, int]] = {
    "tổng": (2, 10_000),
    "trung_bình": (2, 10_000),
    "lớn_nhất": (2, 10_000),
    "nhỏ_nhất": (2, 10_000),
    "tỷ_lệ": (2, 3),
    "chia": (2, 3),
    "làm_tròn": (1, 2),
    "làm_tròn_lên": (1, 2),
    "làm_tròn_xuống": (1, 2),
    "giới_hạn": (3, 3),
    "trị_tuyệt_đối": (1, 1),
    "có_giá_trị": (1, 1),
    "số_ngày": (2, 2),
}
# argument count of the aggregate form (beside scope, filter and default)
AGGREGATE_ARITY: dict[str, tuple[int, int]] = {
    "tổng": (1, 1),
    "đếm": (0, 0),
    "trung_bình": (1, 1),
    "trung_bình_có_trọng_số": (2, 2),
    "lớn_nhất": (1, 1),
    "nhỏ_nhất": (1, 1),
}

ALL_FUNCTIONS = tuple(sorted(set(ARITY) | set(AGGREGATES)))


def is_aggregate(call: ast.Call) -> bool:
    """Whether a call aggregates over records (as opposed to a scalar function of its arguments).

    `đếm` and `trung_bình_có_trọng_số` always aggregate; `tổng`, `trung_bình`, `lớn_nhất`, `nhỏ_nhất`
    aggregate when written with a scope, a `nếu` filter, a `khi rỗng` default, or a single argument
    (over the person's tasks by default); with several arguments and none of those they are scalar."""
    if call.func not in AGGREGATES:
        return False
    if call.func in ("đếm", "trung_bình_có_trọng_số"):
        return True
    return (
        call.scope is not None or call.where is not None or call.if_empty is not None or len(call.args) <= 1
    )


def record_scope(call: ast.Call) -> str:
    """The record scope of an aggregate: "nhiệm_vụ" (default), "cấp_dưới" or "kỳ"."""
    return call.scope or "nhiệm_vụ"
