from fractions import Fraction as F

from dsl.checker.cycles import analyse
from dsl.checker.intervals import Interval, IntervalSet


def closed_open(lo, hi):
    return Interval(F(lo), True, F(hi), False)


def test_interval_empty_and_intersect():
    assert Interval(F(5), True, F(5), True).empty is False
    assert Interval(F(5), True, F(5), False).empty is True
    assert Interval(F(6), True, F(5), True).empty is True
    both = closed_open(0, 10).intersect(Interval(F(5), False, None, False))
    assert both == Interval(F(5), False, F(10), False)


def test_set_merges_touching_pieces_and_finds_holes():
    s = IntervalSet()
    s.add(Interval(F(90), True, None, False))
    s.add(closed_open(70, 90))
    s.add(closed_open(50, 60))
    assert s.covers(closed_open(75, 95))
    assert not s.covers(closed_open(55, 65))
    assert s.meets(closed_open(55, 65))
    holes = s.holes()
    assert holes == [Interval(F(60), True, F(70), False)]


def test_point_hole_between_open_ends():
    s = IntervalSet()
    s.add(Interval(F(80), False, None, False))
    s.add(Interval(F(50), True, F(80), False))
    assert s.holes() == [Interval(F(80), True, F(80), True)]


def test_cycles_and_order():
    graph = {"a": ("b",), "b": ("c",), "c": (), "x": ("y",), "y": ("x",), "s": ("s",)}
    order, cycles = analyse(graph)
    assert order.index("c") < order.index("b") < order.index("a")
    assert ["x", "y", "x"] in cycles
    assert ["s", "s"] in cycles
    assert "x" not in order and "s" not in order


def test_long_chain_has_no_recursion_limit():
    n = 20000
    graph = {f"v{i}": (f"v{i + 1}",) for i in range(n)}
    graph[f"v{n}"] = ()
    order, cycles = analyse(graph)
    assert cycles == [] and order[0] == f"v{n}" and len(order) == n + 1
