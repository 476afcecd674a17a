"""The tasks file, streamed: one sink per column, then vectorised defaults, checks and the period filter.

This is the hot path of `kpi eval` on a million-row file: each distinct raw value is parsed once, each
cell costs one dict lookup, and everything after the read is numpy.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections import Counter
from dataclasses import replace
from fractions import Fraction

import numpy as np

from dsl.defaults import derived_task_defaults
from dsl.fields import FieldSpec
from dsl.records import Dataset

from . import halves
from . import values as V
from .errors import RowError
from .headers import match_header_names
from .readers import join_rows, open_csv_part, open_stream, safe_chunks
from .sinks import Sink

_MISSING = "thiếu giá trị"


def _number_parser(spec: FieldSpec):
    default = None if spec.default is None else float(spec.default)
    low = None if spec.low is None else Fraction(spec.low)
    high = None if spec.high is None else Fraction(spec.high)
    required = spec.required and default is None

    def parse(raw: object) -> float:
        value = V.parse_number(raw)
        if value is None:
            if required:
                raise ValueError(_MISSING)
            return float("nan") if default is None else default
        if low is not None and value < low:
            raise ValueError(f"giá trị phải từ {V.number_text(low)} trở lên")
        if high is not None and value > high:
            raise ValueError(f"giá trị không được lớn hơn {V.number_text(high)}")
        return float(value)

    return parse


def _date_parser(spec: FieldSpec):
    def parse(raw: object) -> float:
        value = V.parse_date(raw)
        if value is None:
            if spec.required:
                raise ValueError(_MISSING)
            return float("nan")
        return float(value.toordinal())

    return parse


def _bool_parser(spec: FieldSpec):
    default = bool(spec.default)

    def parse(raw: object) -> bool:
        value = V.parse_bool(raw)
        return default if value is None else value

    return parse


def _text_parser(spec: FieldSpec):
    choices = spec.choices or spec.scale
    default = "" if spec.default is None else str(spec.default)

    def parse(raw: object) -> str:
        if choices:
            value = V.parse_choice(raw, choices, spec.label.lower())
        else:
            value = V.parse_text(raw) or None
        if value is None:
            if spec.required:
                raise ValueError(_MISSING)
            return default
        return value

    return parse


def _person_parser(index: dict[str, int] | None):
    def parse(raw: object) -> float:
        code = V.parse_text(raw)
        if not code:
            raise ValueError(_MISSING)
        if index is None:  # the people file could not be read: do not report every row again
            return float("nan")
        if code not in index:
            raise ValueError(f'không có cán bộ mã "{code}" trong tệp người')
        return float(index[code])

    return parse


def _sink(filename: str, header: str, spec: FieldSpec, index: dict[str, int]) -> Sink:
    if spec.name == "mã_cán_bộ":
        return Sink(filename, header, _person_parser(index), "float")
    if spec.name == "kỳ":
        return Sink(filename, header, V.parse_period)
    if spec.kind == "số":
        return Sink(filename, header, _number_parser(spec), "float")
    if spec.kind == "ngày":
        return Sink(filename, header, _date_parser(spec), "float")
    if spec.kind == "đúng sai":
        return Sink(filename, header, _bool_parser(spec), "bool")
    plain = not (spec.choices or spec.scale or spec.default)
    return Sink(filename, header, _text_parser(spec), plain_text=plain, required=spec.required)


def _never_fails(spec: FieldSpec) -> bool:
    """Plain optional text: any cell is accepted (converting it only normalises the text)."""
    plain = not (spec.required or spec.choices or spec.scale)
    return spec.kind == "văn bản" and plain and spec.name not in ("mã_cán_bộ", "kỳ")


def _filled(value: object) -> bool:
    return bool(value.strip()) if isinstance(value, str) else value is not None


def _default_column(spec: FieldSpec, n: int) -> np.ndarray:
    if spec.kind == "số":
        return np.full(n, float("nan") if spec.default is None else float(spec.default))
    if spec.kind == "ngày":
        return np.full(n, float("nan"))
    if spec.kind == "đúng sai":
        return np.full(n, bool(spec.default), dtype=bool)
    out = np.empty(n, dtype=object)
    out[:] = [None if spec.name == "kỳ" else ("" if spec.default is None else str(spec.default))] * n
    return out


def load_tasks(
    source: str | os.PathLike | bytes,
    people_codes: list[str] | None,
    period: str | None,
    specs: list[FieldSpec],
    dataset: Dataset,
    errors: list[RowError],
    filename: str | None = None,
    skip: frozenset[str] = frozenset(),
    parallel: bool = True,
) -> None:
    """Read the tasks file into `dataset` (task_person, task_columns, task_rows); append errors.
    `skip`: free-text fields the caller does not read; those that cannot fail (plain, optional text)
    are not converted and hold their default (a performance option for `kpi eval`).
    `parallel`: a large CSV may be read on two cores (halves.py); the outcome is the same."""
    split = halves.plan(source) if parallel else None
    if split is not None:
        stream = open_stream(io.BytesIO(split.head), filename or str(source))
    else:
        stream = open_stream(source, filename)
    name = stream.filename
    if not stream.headers:
        errors.extend(stream.errors)
        return
    mapping, header_errors = match_header_names(name, stream.headers, specs)
    index = None if people_codes is None else {code: i for i, code in enumerate(people_codes)}
    known = people_codes or []
    sinks = {
        s.name: _sink(name, stream.headers[mapping[s.name]], s, index)
        for s in specs
        if s.name in mapping and not (s.name in skip and _never_fails(s))
    }
    unnamed = [j for j, h in enumerate(stream.headers) if not h.strip()]
    child = None
    if split is not None:

        def second_half():
            part = open_csv_part(source, name, split.offset, stream.delimiter, len(stream.headers))
            kept, found = _feed(part, sinks, mapping, unnamed)
            results = {k: (sink.result(), sink.errors, sink.bad_rows) for k, sink in sinks.items()}
            return kept, found, part.errors, results

        child = halves.fork(second_half)
    try:
        parts, found = _feed(stream, sinks, mapping, unnamed)
    except BaseException:
        if child is not None:  # interrupted (or a bug): do not leave the child behind
            halves.abandon(child)
        raise
    if child is not None:
        got = None
        if any(e.row is None for e in stream.errors) or (
            split.quoted and halves.ends_in_quotes(stream.progress.get("last"))
        ):
            halves.abandon(child)
        else:
            got = halves.collect(child)
        if got is None or any(e.row is None for e in got[2]):
            load_tasks(source, people_codes, period, specs, dataset, errors, filename, skip, parallel=False)
            return
        _join(got, stream.progress["next_row"], parts, found, stream.errors, sinks)
    for j in found:
        header_errors.append(RowError(name, 1, f"cột {j + 1}", None, "cột có dữ liệu nhưng không có tiêu đề"))
    errors.extend(stream.errors)
    errors.extend(header_errors)
    for sink in sinks.values():
        errors.extend(sink.errors)
    joined = join_rows(parts)
    rows = (
        np.arange(joined.start, joined.stop, dtype=np.int64)
        if isinstance(joined, range)
        else np.asarray(joined, dtype=np.int64)
    )
    n = len(rows)
    columns = {s.name: (sinks[s.name].result() if s.name in sinks else _default_column(s, n)) for s in specs}
    person_f = sinks["mã_cán_bộ"].result() if "mã_cán_bộ" in sinks else np.full(n, np.nan)
    person = np.where(np.isnan(person_f), -1, person_f).astype(np.int64)
    codes = np.empty(len(known) + 1, dtype=object)
    codes[:-1] = known
    codes[-1] = ""
    columns["mã_cán_bộ"] = codes[person]
    bad = lambda field: sinks[field].bad_rows if field in sinks else set()  # noqa: E731
    _fill_periods(name, columns, rows, bad("kỳ") | bad("hạn_hoàn_thành"), stream.headers, mapping, errors)
    derived_task_defaults(columns, n)
    _duplicates(
        name,
        columns["mã_nhiệm_vụ"],
        rows,
        stream.headers[mapping["mã_nhiệm_vụ"]] if "mã_nhiệm_vụ" in mapping else "",
        errors,
    )
    if period is not None and n:
        kinds = columns["kỳ"].tolist()
        keep_of = {p: p is not None and V.period_contains(period, p) for p in set(kinds)}
        keep = np.fromiter(map(keep_of.__getitem__, kinds), dtype=bool, count=n)
        if not keep.all():
            columns = {k: v[keep] for k, v in columns.items()}
            person, rows = person[keep], rows[keep]
    dataset.task_person = person
    dataset.task_columns = columns
    dataset.task_rows = rows


def _feed(stream, sinks: dict[str, Sink], mapping: dict[str, int], unnamed: list[int]):
    """Feed the stream's chunks to the sinks; returns the chunks' row numbers and, in the order found,
    the unnamed columns that hold data."""
    parts, found = [], []
    for kept, chunk in safe_chunks(stream):
        parts.append(kept)
        columns = list(zip(*chunk, strict=True))
        for field_name, sink in sinks.items():
            sink.feed(kept, columns[mapping[field_name]])
        for j in unnamed:
            if j not in found and any(_filled(v) for v in columns[j]):
                found.append(j)
    return parts, found


def _join(got, shift: int, parts: list, found: list[int], stream_errors: list[RowError], sinks) -> None:
    """Append the child's results (rows numbered from 0) after the head's, whose next row is `shift`."""
    more_parts, more_found, more_errors, results = got
    parts.extend(
        range(p.start + shift, p.stop + shift) if isinstance(p, range) else [r + shift for r in p]
        for p in more_parts
    )
    found.extend(j for j in more_found if j not in found)
    stream_errors.extend(_renumber(more_errors, shift))
    for k, (values, sink_errors, bad_rows) in results.items():
        sinks[k].absorb(values, _renumber(sink_errors, shift), {r + shift for r in bad_rows})


def _renumber(errors: list[RowError], shift: int) -> list[RowError]:
    return [replace(e, row=e.row + shift) if e.row is not None else e for e in errors]


def _fill_periods(name, columns, rows, reported: set[int], headers, mapping, errors) -> None:
    """An empty Kỳ takes the month of the deadline; without a deadline it is an error."""
    periods = columns["kỳ"]
    empty = np.flatnonzero(np.equal(periods, None))
    if not len(empty):
        return
    deadlines = columns["hạn_hoàn_thành"][empty]
    months: dict[float, str] = {}
    for ordinal in set(deadlines[~np.isnan(deadlines)].tolist()):
        date = dt.date.fromordinal(int(ordinal))
        months[ordinal] = f"{date.year:04d}-{date.month:02d}"
    header = headers[mapping["kỳ"]] if "kỳ" in mapping else "Kỳ"
    for i, ordinal in zip(empty.tolist(), deadlines.tolist(), strict=True):
        if ordinal == ordinal:
            periods[i] = months[ordinal]
        elif int(rows[i]) not in reported:
            errors.append(
                RowError(name, int(rows[i]), header, None, "thiếu kỳ và không có hạn hoàn thành để suy ra kỳ")
            )


def _duplicates(name: str, codes: np.ndarray, rows: np.ndarray, header: str, errors: list[RowError]) -> None:
    values = codes.tolist()
    if len(set(values)) == len(values):
        return
    counts = Counter(values)
    for i, code in enumerate(values):
        if code and counts[code] > 1:
            errors.append(RowError(name, int(rows[i]), header, code, f'mã nhiệm vụ "{code}" bị trùng'))
