"""The management hierarchy: who reports to whom, subordinates ordered before their leaders.

Iterative (Kahn's algorithm), linear in the number of people. A cycle in `người_quản_lý` cannot be
ordered: it raises EvalError R1003 naming the people on it.
"""

from __future__ import annotations

from ..errors import HierarchyError
from ..records import PersonRecord


def subordinates(people: list[PersonRecord]) -> list[list[int]]:
    """For each person index, the indices of the people whose manager is that person (managers not in
    the dataset are ignored; a person cannot manage themself)."""
    index = {p.code: i for i, p in enumerate(people)}
    subs: list[list[int]] = [[] for _ in people]
    for i, p in enumerate(people):
        m = index.get(p.manager) if p.manager else None
        if m is not None and m != i:
            subs[m].append(i)
        elif m == i:
            raise HierarchyError(f"cán bộ {p.code} là người quản lý của chính mình", p.code)
    return subs


def closure(start: list[int], subs: list[list[int]], known=frozenset()) -> set[int]:
    """`start` and everyone below them, not descending into people in `known` (already evaluated)."""
    seen = set(start)
    stack = list(start)
    while stack:
        for s in subs[stack.pop()]:
            if s not in seen and s not in known:
                seen.add(s)
                stack.append(s)
    return seen


def bottom_up(people: list[PersonRecord], subs: list[list[int]], among: set[int] | None = None) -> list[int]:
    """Person indices (restricted to `among`) ordered so that every subordinate comes before its
    leader. Raises EvalError R1003 on a cycle."""
    chosen = range(len(people)) if among is None else sorted(among)
    pending = {i: sum(1 for s in subs[i] if among is None or s in among) for i in chosen}
    manager_of: dict[int, int] = {}
    for m in chosen:
        for s in subs[m]:
            if s in pending:
                manager_of[s] = m
    ready = [i for i in chosen if pending[i] == 0]
    order: list[int] = []
    while ready:
        i = ready.pop()
        order.append(i)
        m = manager_of.get(i)
        if m is not None:
            pending[m] -= 1
            if pending[m] == 0:
                ready.append(m)
    if len(order) < len(pending):
        raise HierarchyError(_cycle_message(people, manager_of, set(pending) - set(order)))
    return order


def _cycle_message(people: list[PersonRecord], manager_of: dict[int, int], stuck: set[int]) -> str:
    """Name the people on one cycle: follow managers from a stuck person until a repeat."""
    start = min(stuck)
    seen: dict[int, int] = {}
    path: list[int] = []
    i = start
    while i not in seen and i in manager_of:
        seen[i] = len(path)
        path.append(i)
        i = manager_of[i]
    cycle = path[seen[i] :] if i in seen else path
    codes = [people[j].code for j in cycle]
    return "vòng lặp người quản lý: " + " → ".join(codes + codes[:1])
