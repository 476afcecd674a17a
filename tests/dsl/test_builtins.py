"""The registry of built-in functions (dsl.builtins) is what every stage reads."""

from __future__ import annotations

import pytest

from dsl.builtins import AGGREGATES, BUILTINS, FUNCTIONS, implementation
from dsl.checker.functions import AGGREGATE_ARITY, ALL_FUNCTIONS, ARITY
from dsl.parser import FUNCTIONS as PARSER_FUNCTIONS
from dsl.syntax.keywords import canonical_function
from dsl.text import fold


@pytest.mark.parametrize("name", FUNCTIONS)
def test_every_function_is_complete(name):
    b = BUILTINS[name]
    assert b.explain and (b.arity is not None or b.aggregate is not None)
    if b.arity is not None:  # a scalar form: both engines implement it
        assert callable(implementation(b.exact)) and callable(implementation(b.vector))
    else:
        assert name in AGGREGATES and not b.exact and not b.vector


@pytest.mark.parametrize("name", FUNCTIONS)
def test_every_spelling_reaches_the_canonical_name(name):
    for spelling in (name, *BUILTINS[name].aliases):
        assert canonical_function(spelling) == name
        assert canonical_function(fold(spelling).upper()) == name


def test_the_keyword_table_and_the_checker_read_the_registry():
    assert PARSER_FUNCTIONS == FUNCTIONS and set(ALL_FUNCTIONS) == set(FUNCTIONS)
    assert ARITY == {n: b.arity for n, b in BUILTINS.items() if b.arity}
    assert AGGREGATE_ARITY == {n: b.aggregate for n, b in BUILTINS.items() if b.aggregate}
    assert canonical_function("tỉ_lệ") == "tỷ_lệ" and canonical_function("khong_co") == "khong_co"
