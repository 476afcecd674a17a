"""Literal nodes → values: the one reading of a literal for every stage (dsl.syntax.literals)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from dsl import ast
from dsl.syntax.literals import literal_number, literal_or_none, literal_value

S = ast.NO_SPAN


def test_values_of_literal_nodes():
    assert literal_value(ast.Num(S, Fraction(5, 2), "2.5")) == Fraction(5, 2)
    assert literal_value(ast.Unary(S, "-", ast.Num(S, Fraction(5), "5"))) == -5
    assert literal_value(ast.Text(S, "a")) == "a"
    assert literal_value(ast.Bool(S, True)) is True
    assert literal_value(ast.DateLit(S, dt.date(2026, 1, 2))) == dt.date(2026, 1, 2)


def test_non_literals():
    name = ast.Name(S, "x")
    with pytest.raises(TypeError):
        literal_value(name)
    assert literal_or_none(name) is None and literal_or_none(None) is None
    assert literal_number(ast.Text(S, "1")) is None
    assert literal_number(ast.Unary(S, "-", ast.Num(S, Fraction(1, 4), "25%"))) == Fraction(-1, 4)
