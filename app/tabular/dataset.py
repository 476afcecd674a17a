"""Building a dsl Dataset from the people, tasks, period-input and sub-period-result files."""

from __future__ import annotations

import os
from collections.abc import Iterable

import numpy as np

from dsl.fields import PERIOD_RESULT_FIELDS, PERSON_FIELDS, TASK_FIELDS, FieldSpec
from dsl.records import Dataset, PersonRecord
from dsl.text import header_key, identifier_of

from . import values as V
from .columns import ColumnReader, bounds_check
from .errors import RowError, TableErrors
from .headers import match_header_names, match_headers, spec_keys
from .periods import describe, periods_in, split
from .readers import read_table
from .specs import PERIOD_SPEC, PERSON_CODE_SPEC, input_specs, merge_specs
from .tasks import load_tasks

Source = str | os.PathLike | bytes


def _open(source: Source, specs: list[FieldSpec], errors: list[RowError], filename: str | None = None):
    table = read_table(source, filename)
    errors.extend(table.errors)
    if table.errors and not table.headers:
        return None
    mapping, header_errors = match_headers(table, specs)
    errors.extend(header_errors)
    return ColumnReader(table, mapping, errors)


def load_dataset(
    people_path: Source,
    tasks_path: Source,
    inputs_path: Source | None = None,
    *,
    period: str | None = None,
    period_kind: str | None = None,
    extra_task_fields: Iterable[object] = (),
    extra_inputs: Iterable[object] = (),
    extra_person_fields: Iterable[object] = (),
    results_path: Source | None = None,
    criteria: Iterable[str] = (),
    task_fields: Iterable[str] | None = None,
) -> Dataset:
    """Read the files and build a Dataset of one period; raises TableErrors with every problem of every
    file, and when the records span several periods (never mixed: see `load_datasets`).
    `task_fields`: the task fields the caller reads (None: all); free-text columns outside it that
    cannot fail are not converted (they keep their default) — `kpi eval` passes the ruleset's."""
    datasets = load_datasets(
        people_path, tasks_path, inputs_path, period=period, period_kind=period_kind,
        extra_task_fields=extra_task_fields, extra_inputs=extra_inputs,
        extra_person_fields=extra_person_fields, results_path=results_path, criteria=criteria,
        task_fields=task_fields,
    )  # fmt: skip
    if len(datasets) > 1:
        found = ", ".join(d.period for d in datasets)
        message = f"dữ liệu có nhiều kỳ ({found}): chọn một kỳ"
        raise TableErrors([RowError(_name(tasks_path or results_path), None, "Kỳ", None, message)])
    return datasets[0]


def load_datasets(
    people_path: Source,
    tasks_path: Source,
    inputs_path: Source | None = None,
    *,
    period: str | None = None,
    period_kind: str | None = None,
    extra_task_fields: Iterable[object] = (),
    extra_inputs: Iterable[object] = (),
    extra_person_fields: Iterable[object] = (),
    results_path: Source | None = None,
    criteria: Iterable[str] = (),
    task_fields: Iterable[str] | None = None,
) -> list[Dataset]:
    """Like `load_dataset`, one Dataset per period (sorted). Without `period`, the periods are those of
    the tasks (else of the sub-period results, else of the inputs), each taken to the ruleset's
    `period_kind` ("tháng", "quý", "năm"; a month's task belongs to its quarter in a quarterly
    ruleset); each period gets its own tasks, input rows and results. A record whose period is longer
    than the ruleset's (a quarter in a monthly ruleset) is an error naming it."""
    # `kpi eval` pauses the cyclic GC around this (app.cli.evaluate.paused_gc): millions of
    # short-lived row lists and nothing cyclic built here.
    return _load(
        people_path, tasks_path, inputs_path, period, period_kind, extra_task_fields, extra_inputs,
        extra_person_fields, results_path, criteria, task_fields,
    )  # fmt: skip


def _name(source) -> str:
    return (
        source if isinstance(source, str) else os.fsdecode(source) if isinstance(source, os.PathLike) else ""
    )


def _load(
    people_path, tasks_path, inputs_path, period, period_kind, extra_task_fields, extra_inputs,
    extra_person_fields, results_path, criteria, task_fields=None,
) -> list[Dataset]:  # fmt: skip
    errors: list[RowError] = []
    if period is not None:
        period = V.parse_period(period)
    before = len(errors)
    people = _load_people(people_path, list(extra_person_fields), errors)
    people_failed = any(e.row is None or e.row == 1 for e in errors[before:])
    index = {p.code: i for i, p in enumerate(people)}
    dataset = Dataset(people=people)
    if tasks_path is not None:
        specs = merge_specs(TASK_FIELDS, extra_task_fields, task_field=True)
        codes = None if people_failed else [p.code for p in people]
        skip = frozenset() if task_fields is None else frozenset(s.name for s in specs) - set(task_fields)
        load_tasks(tasks_path, codes, period, specs, dataset, errors, skip=skip)
    if results_path is not None:
        _load_results(results_path, None if people_failed else index, period, list(criteria), dataset, errors)
    inputs: dict[str | None, dict[str, dict[str, object]]] = {}
    if inputs_path is not None:
        inputs = _load_inputs(
            inputs_path, None if people_failed else index, period, input_specs(extra_inputs), errors
        )
    periods = (
        [period]
        if period is not None
        else _periods(dataset, inputs, period_kind, tasks_path, results_path, errors)
    )
    if errors:
        raise TableErrors(errors)
    if period is not None or not periods:
        dataset.period = period
        dataset.inputs = {**inputs.get(None, {}), **inputs.get(period, {})}
        return [dataset]
    return split(dataset, periods, period_kind, inputs)


def _periods(dataset: Dataset, inputs: dict, kind, tasks_path, results_path, errors) -> list[str]:
    """The evaluation periods of records loaded without a period filter (see `load_datasets`)."""
    if dataset.task_count:
        source, column = tasks_path, dataset.task_columns["kỳ"].tolist()
    elif len(dataset.period_person):
        source, column = results_path, dataset.period_columns["kỳ"].tolist()
    else:
        source, column = None, [p for p in inputs if p is not None]
    found, misfits = periods_in(set(column), kind)
    for p in misfits:
        message = f"kỳ {p} ({describe(p)}) dài hơn kỳ của bộ quy tắc ({kind}): dữ liệu này không chấm được"
        errors.append(RowError(_name(source) if source is not None else "", None, "Kỳ", p, message))
    return found


def _load_people(source: Source, extra: list[object], errors: list[RowError]) -> list[PersonRecord]:
    specs = merge_specs(PERSON_FIELDS, extra)
    cols = _open(source, specs, errors)
    if cols is None or cols.n == 0:
        return []
    by = {s.name: s for s in specs}
    codes = cols.texts(by["mã_cán_bộ"], required=True).tolist()
    names = cols.texts(by["họ_và_tên"], required=True).tolist()
    units = cols.texts(by["đơn_vị"], required=True).tolist()
    positions = cols.texts(by["chức_vụ"]).tolist()
    leaders = cols.bools(by["lãnh_đạo"]).tolist()
    groups = cols.texts(by["nhóm_nhiệm_vụ"]).tolist()
    managers = cols.texts(by["người_quản_lý"]).tolist()
    extras = {s.name: _column_values(cols, s) for s in specs if s.name not in {f.name for f in PERSON_FIELDS}}
    known = set()
    for i, code in enumerate(codes):
        if code and code in known:
            cols.error_at("mã_cán_bộ", i, f'mã cán bộ "{code}" bị trùng')
        known.add(code)
    for i, manager in enumerate(managers):
        if manager and manager not in known:
            cols.error_at("người_quản_lý", i, f'không có cán bộ mã "{manager}" trong tệp')
        elif manager and manager == codes[i]:
            cols.error_at("người_quản_lý", i, "cán bộ không thể tự quản lý mình")
    return [
        PersonRecord(
            code=codes[i],
            name=names[i],
            unit=units[i],
            position=positions[i],
            leader=leaders[i],
            duty_group=groups[i],
            manager=managers[i],
            extra={k: v[i] for k, v in extras.items()},
        )
        for i in range(cols.n)
    ]


def _column_values(cols: ColumnReader, spec: FieldSpec) -> list[object]:
    """Per-row Python values of a column by its kind (for person extras and period inputs)."""
    if not cols.has(spec.name):
        return [spec.default] * cols.n
    kind = spec.kind
    if kind == "số":
        parse = V.parse_number
    elif kind == "ngày":
        parse = V.parse_date
    elif kind == "đúng sai":
        parse = V.parse_bool
    elif kind == "thang" or spec.choices:
        choices = spec.scale or spec.choices
        return cols.convert(
            spec.name, lambda v: V.parse_choice(v, choices, spec.label.lower()) if not V.is_empty(v) else None
        )
    else:
        return cols.convert(spec.name, lambda v: V.parse_text(v) or None)
    check = bounds_check(spec) if kind == "số" else None
    return cols.convert(spec.name, parse, check)


def _load_inputs(source, index, period, specs: list[FieldSpec], errors) -> dict:
    """{period (None: rows without one): {person code: {input: value}}}; with `period`, only the rows of
    that period or without one."""
    cols = _open(source, [PERSON_CODE_SPEC, PERIOD_SPEC, *specs], errors)
    if cols is None or cols.n == 0:
        return {}
    codes = cols.texts(PERSON_CODE_SPEC, required=True).tolist()
    periods = cols.convert("kỳ", V.parse_period) if cols.has("kỳ") else [None] * cols.n
    values = {s.name: _column_values(cols, s) for s in specs if cols.has(s.name)}
    out: dict[str | None, dict[str, dict[str, object]]] = {}
    for i, code in enumerate(codes):
        if not code:
            continue
        if index is not None and code not in index:
            cols.error_at("mã_cán_bộ", i, f'không có cán bộ mã "{code}" trong tệp người')
            continue
        p = periods[i]
        if period is not None and p is not None and p != period:
            continue
        rows = out.setdefault(p, {})
        if code in rows:
            where = f"kỳ {p}" if p is not None else "kỳ này"
            cols.error_at("mã_cán_bộ", i, f'cán bộ "{code}" có nhiều hơn một dòng đầu vào cho {where}')
            continue
        rows[code] = {name: column[i] for name, column in values.items() if column[i] is not None}
    return out


# Columns of `kpi eval` output that a sub-period results file may keep; they are not read.
RESULT_IGNORED = ("Đơn vị", "Họ và tên", "Trước hạn mức", "Xếp loại trước hạn mức", "Loại trừ")


def _load_results(source, index, period, criteria: list[str], dataset: Dataset, errors) -> None:
    """Sub-period results (roll-up rulesets): Mã cán bộ, Kỳ, Điểm, Xếp loại, and criteria codes: every
    further column is read as a number named by its header ("a", "b", "tb"...)."""
    table = read_table(source)
    errors.extend(table.errors)
    if not table.headers:
        return
    known = {k for s in PERIOD_RESULT_FIELDS for k in spec_keys(s)} | {header_key(h) for h in RESULT_IGNORED}
    # criteria codes are matched exactly ("d" and "đ" are two criteria), the rest leniently
    extra = {
        i: identifier_of(h)
        for i, h in enumerate(table.headers)
        if header_key(h) and header_key(h) not in known
    }
    mapping, header_errors = match_header_names(
        table.filename,
        table.headers,
        PERIOD_RESULT_FIELDS,
        ignore=[*RESULT_IGNORED, *(table.headers[i] for i in extra)],
    )
    errors.extend(header_errors)
    specs = list(PERIOD_RESULT_FIELDS)
    for i, name in extra.items():
        if name in mapping:
            errors.append(RowError(table.filename, 1, table.headers[i], None, f'cột "{name}" bị trùng'))
            continue
        mapping[name] = i
        specs.append(FieldSpec(name, table.headers[i], "số"))
    cols = ColumnReader(table, mapping, errors)
    if cols.n == 0:
        return
    by = {s.name: s for s in specs}
    codes = cols.texts(by["mã_cán_bộ"], required=True).tolist()
    periods = cols.convert("kỳ", V.parse_period) if cols.has("kỳ") else [None] * cols.n
    columns: dict[str, np.ndarray] = {"xếp_loại": cols.texts(by["xếp_loại"])}
    for spec in specs:
        if spec.kind == "số":
            columns[spec.name] = cols.numbers(spec)
    person = np.full(cols.n, -1, dtype=np.int64)
    for i, code in enumerate(codes):
        if index is None:
            continue
        if code in index:
            person[i] = index[code]
        elif code:
            cols.error_at("mã_cán_bộ", i, f'không có cán bộ mã "{code}" trong tệp người')
    kept = np.array(
        [p is not None and (period is None or V.period_contains(period, p)) for p in periods], dtype=bool
    )
    period_column = np.empty(cols.n, dtype=object)
    period_column[:] = periods
    columns["kỳ"] = period_column
    dataset.period_person = person[kept]
    dataset.period_columns = {k: v[kept] for k, v in columns.items()}
