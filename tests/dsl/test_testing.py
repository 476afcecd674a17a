"""The runner of test cases written inside rulesets (hand-built AST; source-text tests further down)."""

from __future__ import annotations

import sys
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "engine"))
from engine_astkit import KHT, TOT, XS, S, ast, national, num, txt  # noqa: E402

from dsl.testing import build_dataset, run_tests  # noqa: E402


def attr(n, v):
    if isinstance(v, bool):
        node = ast.Bool(S, v)
    elif isinstance(v, str):
        node = txt(v)
    else:
        node = num(v)
    return ast.Attr(n, node, S)


def task(count=1, **attrs):
    return ast.TestRecord("nhiệm_vụ", count, tuple(attr(k, v) for k, v in attrs.items()), S)


def expect(key, value, person=None):
    """Numbers may be given as decimal strings ("97.42"); other strings are text."""
    if isinstance(value, bool):
        node = ast.Bool(S, value)
    elif isinstance(value, str) and not value.replace(".", "").isdigit():
        node = txt(value)
    else:
        node = num(value)
    return ast.Expectation(person, key, node, S)


def person(code, records=(), **attrs):
    return ast.TestPerson(code, tuple(attr(k, v) for k, v in attrs.items()), tuple(records), S)


def case(name, persons, expectations, overrides=()):
    return ast.TestCase(name, tuple(persons), tuple(expectations), S, tuple(overrides))


EX1 = case(
    "Ví dụ 1",
    [
        person(
            "CB1",
            [task(9, trạng_thái="Hoàn thành"), task(1, trạng_thái="Hoàn thành", số_lần_chậm=1)],
            điểm_tiêu_chí_chung=28,
        )
    ],
    [expect("a", 100), expect("c", "97.5"), expect("điểm", "97.42"), expect("xếp_loại", XS)],
)

LEADER = case(
    "Ví dụ 3",
    [
        person(
            "LD",
            [
                task(1, trạng_thái="Hoàn thành", số_lần_sai_sót_lớn=4),
                task(8, trạng_thái="Hoàn thành", số_lần_chậm=1),
                task(11, trạng_thái="Hoàn thành"),
            ],
            lãnh_đạo=True,
            điểm_tiêu_chí_chung=27,
            đơn_vị="P1",
        ),
        person(
            "NV1",
            [task(1, trạng_thái="Đang thực hiện")],
            người_quản_lý="LD",
            điểm_tiêu_chí_chung=10,
            đơn_vị="P1",
        ),
    ],
    [
        expect("d", 50, "LD"),
        expect("điểm", "89.42", "LD"),
        expect("xếp_loại", TOT, "LD"),
        expect("xếp_loại", KHT, "NV1"),
        expect("loại_trừ", False, "NV1"),
        expect("không_xếp_loại", False, "NV1"),
    ],
)


def test_passing_cases():
    rs = national(tests=(EX1, LEADER), quotas=())
    outcomes = run_tests(rs)
    assert [(o.name, o.passed, o.failures) for o in outcomes] == [
        ("Ví dụ 1", True, []),
        ("Ví dụ 3", True, []),
    ]


def test_failure_messages_compare_after_rounding():
    bad = replace(EX1, expectations=(expect("điểm", "97.41"), expect("xếp_loại", TOT), expect("d", 5)))
    (out,) = run_tests(national(tests=(bad,), quotas=()))
    assert not out.passed
    assert out.failures == [
        "cán bộ CB1: điểm mong đợi 97,41, thực tế 97,42",
        'cán bộ CB1: xếp loại mong đợi "Hoàn thành tốt nhiệm vụ", thực tế "Hoàn thành xuất sắc nhiệm vụ"',
        "cán bộ CB1: tiêu chí d mong đợi 5, thực tế không áp dụng",
    ]


def test_overrides_apply_to_the_case_only():
    override = ast.Override("mức_trừ", ast.Num(S, Fraction(1, 2), "50%", True), S)
    slow = case(
        "Chậm, mức trừ 50%",
        [person("CB1", [task(1, trạng_thái="Hoàn thành", số_lần_chậm=1)], điểm_tiêu_chí_chung=30)],
        [expect("c", 50)],
        [override],
    )
    plain = replace(slow, name="Mặc định", overrides=(), expectations=(expect("c", 75),))
    outcomes = run_tests(national(tests=(slow, plain), quotas=()))
    assert [o.passed for o in outcomes] == [True, True]


def test_evaluation_error_fails_the_case_with_message():
    missing = case(
        "Thiếu đầu vào", [person("CB1", [task(1, trạng_thái="Hoàn thành")])], [expect("điểm", 100)]
    )
    (out,) = run_tests(national(tests=(missing,)))
    assert not out.passed
    assert len(out.failures) == 1 and "R1001" in out.failures[0] and "điểm_tiêu_chí_chung" in out.failures[0]


def test_unknown_person_and_quota_keys():
    people = [
        person(f"P{i}", [task(1, trạng_thái="Hoàn thành")], điểm_tiêu_chí_chung=30 - i) for i in range(3)
    ]
    c = case(
        "Hạn mức",
        people,
        [
            expect("xếp_loại_trước_hạn_mức", XS, "P0"),
            expect("xếp_loại", TOT, "P0"),
            expect("hệ_số_thu_nhập", "0.3", "P0"),
            expect("điểm", 100, "X9"),
        ],
    )
    (out,) = run_tests(national(tests=(c,)))
    assert out.failures == ["cán bộ X9: không có trong ca kiểm thử"]


def test_build_dataset_repeats_tasks_and_period_records():
    rec = ast.TestRecord("kỳ", 1, (attr("kỳ", "2026-01"), attr("điểm", 92)), S)
    c = case("x", [person("CB1", [task(3, khối_lượng_giao=2), rec], đơn_vị="P1", kỷ_luật="khiển trách")], [])
    data = build_dataset(c)
    assert data.task_count == 3 and list(data.task_columns["khối_lượng_giao"]) == [2, 2, 2]
    assert data.people[0].unit == "P1" and data.inputs["CB1"] == {"kỷ_luật": "khiển trách"}
    assert list(data.period_columns["điểm"]) == [92]


@pytest.mark.parametrize("count", [0, 2])
def test_empty_case_without_people_uses_cb1(count):
    c = case("rỗng", [], [])
    data = build_dataset(c)
    assert [p.code for p in data.people] == ["CB1"] and data.task_count == 0
