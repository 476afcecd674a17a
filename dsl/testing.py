"""The runner of the test cases written inside rulesets (`kiểm thử "...":`).

Each case becomes a small Dataset (its people, tasks, inputs and sub-period results), is evaluated with
its `đặt` overrides, and every `mong đợi` is compared after the ruleset's rounding. An evaluation error
makes the case fail with its message, never a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from . import ast
from .checker.symbols import Symbols
from .checker.testcases import MAX_TEST_RECORDS
from .engine.program import Program, compile_ruleset
from .engine.values import NA, format_value, norm, round_to
from .errors import EvalError, TooManyRecords
from .records import Dataset, PersonRecord
from .syntax.literals import literal_value

DEFAULT_PERSON = "CB1"
_PERSON_ATTRS = {
    "đơn_vị": "unit",
    "nhóm_nhiệm_vụ": "duty_group",
    "lãnh_đạo": "leader",
    "người_quản_lý": "manager",
    "chức_vụ": "position",
    "họ_và_tên": "name",
}
_KEY_LABEL = {
    "điểm": "điểm",
    "xếp_loại": "xếp loại",
    "xếp_loại_trước_hạn_mức": "xếp loại trước hạn mức",
    "loại_trừ": "loại trừ",
    "không_xếp_loại": "không xếp loại",
}


@dataclass(slots=True)
class TestOutcome:
    name: str
    span: ast.Span
    passed: bool
    failures: list[str] = field(default_factory=list)


def _value(node: ast.Expr):
    try:
        return norm(literal_value(node))
    except TypeError:
        return None


def _columns(rows: list[dict]) -> dict[str, np.ndarray]:
    keys: dict[str, None] = {}
    for r in rows:
        keys.update(dict.fromkeys(r))
    return {k: np.array([r.get(k) for r in rows] + [None], dtype=object)[:-1] for k in keys}


def build_dataset(case: ast.TestCase) -> Dataset:
    """The Dataset a test case describes."""
    persons = case.persons or (ast.TestPerson(DEFAULT_PERSON, (), (), case.span),)
    people: list[PersonRecord] = []
    inputs: dict[str, dict[str, object]] = {}
    tasks: list[dict] = []
    task_owner: list[int] = []
    periods: list[dict] = []
    period_owner: list[int] = []
    for i, tp in enumerate(persons):
        rec = PersonRecord(tp.code)
        mine: dict[str, object] = {}
        for attr in tp.attrs:
            v = _value(attr.value)
            if attr.name in _PERSON_ATTRS:
                setattr(
                    rec,
                    _PERSON_ATTRS[attr.name],
                    bool(v) if attr.name == "lãnh_đạo" else ("" if v is None else v),
                )
            elif attr.name != "mã_cán_bộ":
                mine[attr.name] = v
        people.append(rec)
        inputs[tp.code] = mine
        for record in tp.records:
            values = {a.name: _value(a.value) for a in record.attrs}
            if record.kind == "kỳ":
                periods.append(values)
                period_owner.append(i)
                continue
            if len(tasks) + record.count > MAX_TEST_RECORDS:
                raise TooManyRecords(f"ca kiểm thử vượt giới hạn {MAX_TEST_RECORDS} bản ghi")
            for _ in range(max(record.count, 0)):
                tasks.append(dict(values))
                task_owner.append(i)
    data = Dataset(people=people, inputs=inputs)
    data.task_person = np.array(task_owner, dtype=np.int64)
    data.task_columns = _columns(tasks)
    data.period_person = np.array(period_owner, dtype=np.int64)
    data.period_columns = _columns(periods)
    return data


def _same(expected, actual, digits: int, mode: str) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool) or actual is None:
        return expected == actual
    if isinstance(expected, int | Fraction) and isinstance(actual, int | Fraction):
        return round_to(actual, digits, mode) == round_to(expected, digits, mode)
    return expected == actual


def _actual(program: Program, state, key: str):
    """(found, value) of an expectation key for a person's state."""
    if key == "điểm":
        return True, state.score
    if key == "xếp_loại":
        return True, state.level
    if key == "xếp_loại_trước_hạn_mức":
        return True, state.level_before_quota
    if key == "loại_trừ":
        return True, state.vetoed
    if key == "không_xếp_loại":
        return True, state.not_rated
    if key in program.names.criteria or key in program.outputs:
        return True, state.values.get(key, NA)
    return False, None


def _show(v, digits: int) -> str:
    if v is None:
        return "(không xếp loại)"
    return format_value(v, digits)


def run_case(program: Program, case: ast.TestCase) -> TestOutcome:
    outcome = TestOutcome(case.name, case.span, True)
    params = {o.name: _value(o.value) for o in case.overrides}
    digits, mode = program.rounding.digits, program.rounding.mode
    try:
        run = program.run(build_dataset(case), params=params)
    except EvalError as e:
        outcome.passed = False
        outcome.failures.append(str(e))
        return outcome
    except Exception as e:  # a test must report, never crash the runner
        outcome.passed = False
        outcome.failures.append(f"lỗi khi đánh giá: {e!r}")
        return outcome
    only = next(iter(run.states)) if len(run.states) == 1 else None
    for exp in case.expectations:
        code = exp.person or only
        key = exp.key.replace(" ", "_")
        state = run.states.get(code) if code else None
        if state is None:
            who = exp.person or "(không nêu)"
            outcome.failures.append(f"cán bộ {who}: không có trong ca kiểm thử")
            continue
        found, actual = _actual(program, state, key)
        label = _KEY_LABEL.get(key) or (
            f"tiêu chí {key}" if key in program.names.criteria else f"đầu ra {key}"
        )
        if not found:
            outcome.failures.append(f'cán bộ {code}: không có giá trị "{exp.key}" để so sánh')
            continue
        expected = _value(exp.value)
        if actual is NA:
            outcome.failures.append(
                f"cán bộ {code}: {label} mong đợi {_show(expected, digits)}, thực tế không áp dụng"
            )
        elif not _same(expected, actual, digits, mode):
            outcome.failures.append(
                f"cán bộ {code}: {label} mong đợi {_show(expected, digits)}, thực tế {_show(actual, digits)}"
            )
    outcome.passed = not outcome.failures
    return outcome


def run_tests(ruleset: ast.Ruleset, sha256: str = "", symbols: Symbols | None = None) -> list[TestOutcome]:
    """Run every test case of a checked, effective ruleset (`symbols`: the checker's table, see
    CheckResult.symbols, so that catalog fields resolve)."""
    if not ruleset.tests:
        return []
    program = compile_ruleset(ruleset, sha256, symbols)
    return [run_case(program, case) for case in ruleset.tests]
