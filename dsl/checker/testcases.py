"""Test cases written in the ruleset (E0801): attribute names and values, persons, expectations."""

from __future__ import annotations

from .. import ast
from .. import params as params_
from ..fields import PERIOD_RESULT_FIELDS, by_name
from ..text import suggest
from . import symbols as S
from . import types as T
from .outcomes import level_exists
from .sink import Sink, did_you_mean

_FIXED_KEYS = {
    "điểm": T.NUMBER,
    "xếp_loại": T.LEVEL,
    "xếp_loại_trước_hạn_mức": T.LEVEL,
    "loại_trừ": T.BOOL,
    "không_xếp_loại": T.BOOL,
}


MAX_TEST_RECORDS = 10_000  # records (tasks and period results) per test case: bounded test runs


def _value_fits(want: T.Type, value: ast.Expr) -> bool:
    got = T.of_literal(value)
    if got is None:
        return False
    if isinstance(value, ast.Text) and value.value == "" and want.kind in (T.DATE_KIND, T.NUMBER_KIND):
        return True  # an empty cell
    return T.compatible(want, got)


class _CaseChecker:
    def __init__(self, ruleset: ast.Ruleset, syms: S.Symbols, levels: tuple[str, ...], sink: Sink):
        self.syms = syms
        self.levels = levels
        self.sink = sink
        names = syms.names
        self.person_attrs = {n: s.type for n, s in names.items() if s.kind in (S.PERSON_FIELD, S.INPUT)}
        self.task_attrs = {n: s.type for n, s in names.items() if s.kind == S.TASK_FIELD}
        self.task_attrs["mã_cán_bộ"] = T.TEXT
        self.period_attrs = {n: T.from_kind(f.kind) for n, f in by_name(PERIOD_RESULT_FIELDS).items()}
        self.period_attrs["xếp_loại"] = T.TEXT
        self.expect_keys = dict(_FIXED_KEYS)
        for c in ruleset.criteria:
            self.period_attrs.setdefault(c.code, T.NUMBER)
            self.expect_keys.setdefault(c.code, T.NUMBER)
        for o in ruleset.outputs:
            self.expect_keys.setdefault(o.name, syms.type_of(o.name) if o.name in syms else T.UNKNOWN)
        self.params = {p.name: p for p in ruleset.params}

    def attrs(self, attrs: tuple[ast.Attr, ...], allowed: dict[str, T.Type], what: str) -> None:
        seen: set[str] = set()
        for a in attrs:
            if a.name in seen:
                self.sink.error("E0801", a.span, f'"{a.name}" được ghi hai lần')
            seen.add(a.name)
            want = allowed.get(a.name)
            if want is None:
                hint = suggest(a.name, list(allowed))
                self.sink.error("E0801", a.span, f'{what} không có trường "{a.name}"{did_you_mean(hint)}')
                continue
            self.value(a.name, want, a.value)

    def value(self, name: str, want: T.Type, value: ast.Expr) -> None:
        if not _value_fits(want, value):
            got = T.of_literal(value)
            what = got.describe() if got else "biểu thức"
            self.sink.error(
                "E0801", value.span, f'giá trị của "{name}" phải là {want.describe()}, không phải {what}'
            )
        elif want.kind == T.SCALE_KIND and isinstance(value, ast.Text) and value.value not in want.scale:
            hint = suggest(value.value, want.scale)
            self.sink.error(
                "E0801", value.span, f'"{value.value}" không có trong thang của "{name}"{did_you_mean(hint)}'
            )
        elif want.kind == T.LEVEL_KIND and isinstance(value, ast.Text):
            level_exists(value.value, value.span, self.levels, self.sink)

    def case(self, case: ast.TestCase) -> None:
        records = sum(max(r.count, 0) for p in case.persons for r in p.records)
        if records > MAX_TEST_RECORDS:
            self.sink.error(
                "E0801",
                case.span,
                f"ca kiểm thử có {records} bản ghi, vượt giới hạn {MAX_TEST_RECORDS}; hãy giảm số lần lặp",
            )
        codes: dict[str, ast.TestPerson] = {}
        for person in case.persons:
            if person.code in codes:
                self.sink.error(
                    "E0801", person.span, f'cán bộ "{person.code}" được khai báo hai lần trong ca kiểm thử'
                )
            codes.setdefault(person.code, person)
            self.attrs(person.attrs, self.person_attrs, "cán bộ")
            for record in person.records:
                if record.kind == "kỳ":
                    if not self.syms.rollup:
                        self.sink.error(
                            "E0801", record.span, '"kết quả kỳ" chỉ dùng trong bộ quy tắc tổng hợp'
                        )
                    self.attrs(record.attrs, self.period_attrs, "kết quả kỳ")
                else:
                    self.attrs(record.attrs, self.task_attrs, "nhiệm vụ")
        for person in case.persons:
            for a in person.attrs:
                if a.name == "người_quản_lý" and isinstance(a.value, ast.Text) and a.value.value:
                    if a.value.value not in codes:
                        hint = suggest(a.value.value, list(codes))
                        self.sink.error(
                            "E0801",
                            a.value.span,
                            f'không có cán bộ "{a.value.value}" trong ca kiểm thử{did_you_mean(hint)}',
                        )
        for o in case.overrides:
            param = self.params.get(o.name)
            if param is None:
                hint = suggest(o.name, list(self.params))
                self.sink.error("E0101", o.span, f'không có tham số "{o.name}"{did_you_mean(hint)}')
                continue
            self.value(o.name, T.of_literal(param.value) or T.UNKNOWN, o.value)
            style = params_.percent_style_error(param, o.value)
            if style is not None:
                self.sink.error("E0702", o.value.span, style)
        unknown: set[str] = set()
        for e in case.expectations:
            if e.person is not None and e.person not in codes:
                if e.person not in unknown:  # once per person, not once per expected value
                    unknown.add(e.person)
                    hint = suggest(e.person, list(codes))
                    msg = f'không có cán bộ "{e.person}" trong ca kiểm thử{did_you_mean(hint)}'
                    self.sink.error("E0801", e.span, msg)
            elif e.person is None and len(codes) > 1:
                self.sink.error(
                    "E0801", e.span, 'ca kiểm thử có nhiều cán bộ: ghi rõ mã cán bộ sau "mong đợi"'
                )
            want = self.expect_keys.get(e.key)
            if want is None:
                hint = suggest(e.key, list(self.expect_keys))
                self.sink.error("E0801", e.span, f'không kiểm tra được "{e.key}"{did_you_mean(hint)}')
                continue
            self.value(e.key, want, e.value)


def check_tests(ruleset: ast.Ruleset, syms: S.Symbols, levels: tuple[str, ...], sink: Sink) -> None:
    checker = _CaseChecker(ruleset, syms, levels, sink)
    names: dict[str, ast.TestCase] = {}
    for case in ruleset.tests:
        if case.name in names:
            sink.error(
                "E0105", case.span, f'ca kiểm thử "{case.name}" trùng tên (dòng {names[case.name].span.line})'
            )
        names.setdefault(case.name, case)
        checker.case(case)
