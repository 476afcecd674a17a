"""Input files (CSV, XLSX, JSON) in; raw tables, parsed values and dsl Datasets out.

Public API (the database import services reuse it):

- ``read_table(path_or_bytes, filename=None) -> Table`` — ``Table(filename, headers, columns,
  row_numbers, errors)``; ``table.rows`` gives row tuples. CSV: UTF-8 with or without BOM, delimiter
  (comma, semicolon or tab) sniffed from the header line. XLSX: first sheet (openpyxl, read-only).
  JSON: a list of objects. File-level problems are ``table.errors`` (never an exception).
- ``match_headers(table, specs, *, ignore=()) -> (dict[field name, column index], list[RowError])`` —
  headers matched ignoring case, diacritics, spaces and underscores against each ``FieldSpec``'s
  label, name and aliases; unknown, duplicated and missing required columns are errors.
- Value parsers (raise ``ValueError`` with a Vietnamese message, return None for an empty cell):
  ``parse_number`` (-> Fraction; "97.5", "97,5", "25%"; "1.234" is ambiguous: error; > 15 significant
  digits: error), ``parse_date`` (dd/mm/yyyy, yyyy-mm-dd, spreadsheet dates), ``parse_bool``
  (có/không/x/1/0/đúng/sai/yes/no), ``parse_status`` (dsl.fields.TASK_STATUSES, leniently),
  ``parse_period`` (-> "2026-01", "2026-Q1" or "2026"), ``parse_text`` (canon()), ``parse_choice``.
- ``load_dataset(people, tasks, inputs=None, *, period=None, extra_task_fields=(), extra_inputs=(),
  extra_person_fields=(), results_path=None, criteria=()) -> dsl.records.Dataset`` — raises
  ``TableErrors(errors)`` listing every ``RowError(file, row, column, value, message)`` of every file
  (row as the user sees it: the header is row 1). Extra fields/inputs are ``FieldSpec``s or a ruleset's
  ``FieldDecl``/``InputDecl``. ``period`` keeps the tasks of that period (a quarter keeps its months, a
  year everything in it) and the input rows of that period (or without a period). Records spanning
  several periods are an error naming them. ``load_datasets(..., period_kind=None)`` -> one Dataset per
  period (the ruleset's ``kỳ``: a month's task counts in its quarter for a quarterly ruleset), each
  with its own tasks, inputs and sub-period results; ``app.tabular.periods`` holds the period rules.
- ``spec_of(decl)``, ``merge_specs(standard, extra)``: FieldSpecs from ruleset declarations.
- Writers of evaluation results live in ``app.tabular.writers`` (table, JSON, CSV, XLSX).
"""

from .dataset import load_dataset, load_datasets
from .errors import RowError, TableErrors
from .headers import match_headers
from .readers import Table, read_table
from .specs import merge_specs, spec_of
from .values import (
    parse_bool,
    parse_choice,
    parse_date,
    parse_number,
    parse_period,
    parse_status,
    parse_text,
    period_contains,
)

__all__ = [
    "RowError",
    "Table",
    "TableErrors",
    "load_dataset",
    "load_datasets",
    "match_headers",
    "merge_specs",
    "parse_bool",
    "parse_choice",
    "parse_date",
    "parse_number",
    "parse_period",
    "parse_status",
    "parse_text",
    "period_contains",
    "read_table",
    "spec_of",
]
