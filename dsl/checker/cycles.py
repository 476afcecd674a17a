"""Dependency order of the defined names and the cycles among them (iterative, linear time)."""

from __future__ import annotations


def strongly_connected(graph: dict[str, tuple[str, ...]]) -> list[list[str]]:
    """Tarjan's algorithm without recursion. Components come out in reverse topological order of the
    condensation: edges point from a node to what it reads, so every component comes after the
    components it reads."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            succ = graph.get(node, ())
            recurse = False
            while i < len(succ):
                nxt = succ[i]
                i += 1
                if nxt not in graph:
                    continue
                if nxt not in index:
                    work.append((node, i))
                    work.append((nxt, 0))
                    recurse = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if recurse:
                continue
            if low[node] == index[node]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == node:
                        break
                out.append(comp)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return out


def cycle_path(graph: dict[str, tuple[str, ...]], members: list[str]) -> list[str]:
    """A cycle through the first member (in `members` order), as a path ending where it starts."""
    inside = set(members)
    start = members[0]
    prev: dict[str, str] = {}
    frontier = [start]
    seen = {start}
    while frontier:
        nxt_frontier = []
        for node in frontier:
            for nxt in graph.get(node, ()):
                if nxt == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(prev[path[-1]])
                    path.reverse()
                    return path + [start]
                if nxt in inside and nxt not in seen:
                    seen.add(nxt)
                    prev[nxt] = node
                    nxt_frontier.append(nxt)
        frontier = nxt_frontier
    return [start, start]


def analyse(graph: dict[str, tuple[str, ...]]) -> tuple[list[str], list[list[str]]]:
    """(order, cycles): `order` lists the nodes not on a cycle, each after what it reads; `cycles`
    gives one closed path per cyclic component (a self-reference is a cycle of one)."""
    order: list[str] = []
    cycles: list[list[str]] = []
    position = {node: i for i, node in enumerate(graph)}
    for comp in strongly_connected(graph):
        if len(comp) == 1 and comp[0] not in graph.get(comp[0], ()):
            order.append(comp[0])
        else:
            comp.sort(key=position.__getitem__)
            cycles.append(cycle_path(graph, comp))
    return order, cycles
