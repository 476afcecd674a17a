"""Matching a table's column headers with field specs, ignoring case, diacritics, spaces and underscores."""

from __future__ import annotations

from collections.abc import Iterable

from dsl.fields import FieldSpec
from dsl.text import header_key, suggest

from .errors import RowError
from .readers import Table


def spec_keys(spec: FieldSpec) -> set[str]:
    return {header_key(spec.label), header_key(spec.name), *(header_key(a) for a in spec.aliases)}


def match_headers(
    table: Table, specs: Iterable[FieldSpec], *, ignore: Iterable[str] = ()
) -> tuple[dict[str, int], list[RowError]]:
    """Map field name -> column index. Errors: unknown, duplicated or missing required columns, and
    columns with data but no header. `ignore`: headers (any spelling) allowed in the file but not read.
    """
    mapping, errors = match_header_names(table.filename, table.headers, specs, ignore=ignore)
    for index, header in enumerate(table.headers):
        if not header_key(header) and any(v is not None and str(v).strip() for v in table.columns[index]):
            errors.append(
                RowError(table.filename, 1, f"cột {index + 1}", None, "cột có dữ liệu nhưng không có tiêu đề")
            )
    return mapping, errors


def match_header_names(
    filename: str, headers: list[str], specs: Iterable[FieldSpec], *, ignore: Iterable[str] = ()
) -> tuple[dict[str, int], list[RowError]]:
    """match_headers on header names alone (columns without a header are skipped)."""
    specs = list(specs)
    by_key: dict[str, FieldSpec] = {}
    for spec in specs:
        for key in spec_keys(spec):
            by_key.setdefault(key, spec)
    ignored = {header_key(h) for h in ignore}
    mapping: dict[str, int] = {}
    errors: list[RowError] = []
    for index, header in enumerate(headers):
        key = header_key(header)
        if not key:
            continue
        spec = by_key.get(key)
        if spec is None:
            if key in ignored:
                continue
            hint = suggest(header, [s.label for s in specs])
            message = "cột không có trong mẫu và bộ quy tắc không khai báo trường này"
            if hint:
                message += f'; có phải "{hint}"?'
            errors.append(RowError(filename, 1, header, None, message))
            continue
        if spec.name in mapping:
            first = headers[mapping[spec.name]]
            errors.append(RowError(filename, 1, header, None, f'cột trùng với cột "{first}" ({spec.label})'))
            continue
        mapping[spec.name] = index
    for spec in specs:
        if spec.required and spec.name not in mapping:
            errors.append(RowError(filename, 1, spec.label, None, f'thiếu cột bắt buộc "{spec.label}"'))
    return mapping, errors
