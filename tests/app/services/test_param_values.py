"""Proposed parameter values typed by the declared literal, every problem reported at once."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from app.services.errors import ServiceError
from app.services.param_values import parse_params

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def ruleset():
    from dsl.pipeline import check_source

    path = ROOT / "rulesets" / "quoc-gia" / "nd-335-2025.kpi"
    return check_source(path.read_text(encoding="utf-8"), filename=str(path)).ruleset


def test_typed_values(ruleset):
    assert parse_params(["mức_trừ_chậm=20%", "mức_trừ_sai_sót = 0,25"], ruleset) == {
        "mức_trừ_chậm": Fraction(1, 5),
        "mức_trừ_sai_sót": Fraction(1, 4),
    }


def test_every_problem_at_once(ruleset):
    with pytest.raises(ServiceError) as refused:
        parse_params(["mức_trừ_chậm", "không_có=1", "mức_trừ_sai_sót=nhiều"], ruleset)
    assert refused.value.message == "giá trị tham số không hợp lệ"
    assert len(refused.value.details) == 3 and "cần dạng TÊN=GIÁ_TRỊ" in refused.value.details[0]
