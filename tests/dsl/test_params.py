"""Parameters (dsl.params): one check of values, bounds, locks and percents for every caller."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from dsl import params
from dsl.parser import parse

SOURCE = """bộ quy tắc "P" phiên bản 1

tham số mức = 25% cho phép 0% đến 50%
tham số khóa_cứng = 70% khóa
tham số âm = -2 cho phép -5 đến 0
tham số từ_ngày = 01/01/2026
"""


def _params():
    ruleset, diagnostics = parse(SOURCE, "p.kpi")
    assert ruleset is not None, diagnostics
    return {p.name: p for p in ruleset.params}


def test_values_and_overrides():
    ps = _params()
    assert params.values(ps.values()) == {
        "mức": Fraction(1, 4), "khóa_cứng": Fraction(7, 10), "âm": -2, "từ_ngày": dt.date(2026, 1, 1),
    }  # fmt: skip
    assert params.values(ps.values(), {"mức": 0.3})["mức"] == Fraction(3, 10)
    assert params.percents(ps.values()) == {"mức", "khóa_cứng"}


def test_one_check_for_every_caller():
    ps = _params()
    assert params.check_value(ps["mức"], Fraction(1, 2)) is None
    assert params.check_value(ps["mức"], Fraction(6, 10)) == params.OUT_OF_BOUNDS
    assert params.check_value(ps["âm"], -6) == params.OUT_OF_BOUNDS  # negative bounds are kept
    assert params.check_value(ps["âm"], -5) is None
    assert params.check_value(ps["khóa_cứng"], Fraction(1, 2)) == params.LOCKED
    assert params.check_value(ps["khóa_cứng"], Fraction(1, 2), override=False) is None
    assert params.check_value(ps["từ_ngày"], dt.date(2026, 2, 1)) == params.LOCKED  # no `cho phép`: locked
    assert params.check_value(ps["mức"], "x") == params.WRONG_KIND


def test_messages_per_context():
    ps = _params()
    run = params.message(params.OUT_OF_BOUNDS, ps["mức"], Fraction(6, 10))
    assert run == 'giá trị 60% của tham số "mức" nằm ngoài khoảng cho phép 0% đến 50%'
    adoption = params.message(params.OUT_OF_BOUNDS, ps["âm"], context=params.ADOPTION)
    assert adoption == 'giá trị của "âm" nằm ngoài khoảng cho phép -5 đến 0'
    assert params.check_overrides(ps, {"mưc": 1, "khóa_cứng": 1}) == [
        'không có tham số "mưc"; có phải "mức"?',
        'tham số "khóa_cứng" bị khóa, không được thay đổi',
    ]
