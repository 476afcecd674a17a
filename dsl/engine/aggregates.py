"""Aggregates over a record scope (the person's tasks, subordinates or sub-periods) as closures.

Each aggregate loops once over the records of the current person: time linear in records.
A not-applicable value (`NA`, e.g. a subordinate's criterion that does not apply to them) is skipped.
"""

from __future__ import annotations

from ..errors import EmptyAggregate
from .env import Env
from .values import NA, divide, norm

TASKS = "nhiệm_vụ"
SUBORDINATES = "cấp_dưới"
PERIODS = "kỳ"


def _records(scope: str):
    if scope == SUBORDINATES:
        return lambda p: p.subs
    if scope == PERIODS:
        return lambda p: range(p.n_period)
    return lambda p: range(p.n_tasks)


def _selected(scope, where):
    """A generator function over a person's records that pass `where`: it yields one record
    environment, moved to each record in turn (use it before taking the next)."""
    records = _records(scope)

    def gen(e: Env):
        inner = Env(e.p, None, e.params)
        for r in records(e.p):
            inner.row = r
            if where is None or where(inner):
                yield inner

    return gen


def _values(scope, arg, where):
    """A generator function over the (filtered, applicable) values of `arg` for a person."""
    selected = _selected(scope, where)

    def gen(e: Env):
        for inner in selected(e):
            v = arg(inner)
            if v is not NA:
                yield v

    return gen


def _empty(func: str, if_empty):
    if if_empty is not None:
        return if_empty

    def fail(e: Env):
        raise EmptyAggregate(f'{func}() trên tập rỗng mà không có giá trị "khi rỗng"')

    return fail


def make_aggregate(func: str, scope: str, args: list, where, if_empty, column: str | None = None):
    """A closure computing aggregate `func` over `scope`. `args` are compiled in the record scope,
    `where` too (or None), `if_empty` in the outer scope (or None). `column`: when the single argument
    is a bare task name and there is no filter, its column is summed directly (fast path)."""
    empty = _empty(func, if_empty)
    if func == "đếm":
        records = _records(scope)
        if where is None:
            return lambda e: len(records(e.p))

        def count(e: Env):
            inner = Env(e.p, None, e.params)
            n = 0
            for r in records(e.p):
                inner.row = r
                if where(inner):
                    n += 1
            return n

        return count

    if func == "trung_bình_có_trọng_số":
        pairs = _pairs(scope, args[0], args[1], where)

        def weighted(e: Env):
            num = 0
            den = 0
            for x, w in pairs(e):
                num += x * w
                den += w
            if den == 0:
                return empty(e)
            return divide(num, den)

        return weighted

    if column is not None and scope == TASKS and where is None and func == "tổng":
        return lambda e: norm(sum(e.p.task[column]))

    values = _values(scope, args[0], where)
    if func == "tổng":
        return lambda e: norm(sum(values(e)))
    if func == "trung_bình":

        def mean(e: Env):
            total = 0
            n = 0
            for v in values(e):
                total += v
                n += 1
            return divide(total, n) if n else empty(e)

        return mean
    pick = max if func == "lớn_nhất" else min

    def extreme(e: Env):
        got = list(values(e))
        return norm(pick(got)) if got else empty(e)

    return extreme


def _pairs(scope, arg, weight, where):
    selected = _selected(scope, where)

    def gen(e: Env):
        for inner in selected(e):
            x = arg(inner)
            if x is not NA:
                yield x, weight(inner)

    return gen
