"""Imports of units, people, tasks and period inputs from CSV/XLSX/JSON files with the template headers.

- `import_file(kind, source, filename=None, *, dry_run=False, user=None, source_system=MANUAL_SOURCE,
  scope=None) -> ImportReport`: reads the file with app.tabular, checks every row (values, and
  cross-row: unknown unit/leader/person codes, leader cycles, repeated keys), and reports EVERY error at
  once (row, column, value, Vietnamese reason). With any error nothing changes. Otherwise, unless
  `dry_run`, it applies everything in a savepoint (all or nothing) and writes one audit entry with the
  counts; the caller (CLI command, API request) commits. Idempotent: rows are upserted by their key (unit code, person code, task external
  id within `source_system`, person and period), so the same file twice reports "không thay đổi".
  A write that loses a race with another import of the same rows raises ServiceError(code="conflict")
  ("một lần nhập khác đang ghi cùng dữ liệu; hãy chạy lại"), never a database error with row advice.
- `import_rows(kind, items, ...)`: the same for a list of JSON objects (the REST API).
- `KINDS`: "units", "people", "tasks", "inputs", "salaries".
"""

from __future__ import annotations

import json

from sqlalchemy.exc import SQLAlchemyError

from ...extensions import db
from ...models import User
from ...models.tasks import MANUAL_SOURCE, Task
from ...tabular import RowError, read_table
from .. import audit
from ..errors import ServiceError
from ..races import conflict, lost_race
from ..scope import Scope
from ..users import system_user
from . import inputs, people, salaries, tasks, units
from .context import Context
from .report import KIND_LABELS, ImportReport

KINDS = {"units": units, "people": people, "tasks": tasks, "inputs": inputs, "salaries": salaries}

__all__ = ["KINDS", "KIND_LABELS", "ImportReport", "import_file", "import_rows"]


def import_file(
    kind: str,
    source,
    filename: str | None = None,
    *,
    dry_run: bool = False,
    user: User | None = None,
    source_system: str = MANUAL_SOURCE,
    scope: Scope | None = None,
    actor: str | None = None,
    items: bool = False,
) -> ImportReport:
    """See the module docstring. `actor`: the name written in the audit log (default: the user's);
    `items`: the rows are items of a JSON list (API), so messages count items rather than lines;
    `scope`: what the caller may change (app.services.scope; default: the user's scope, or everything)."""
    if kind not in KINDS:
        raise ValueError(f"unknown import kind {kind!r}")
    longest = Task.source_system.type.length
    if len(source_system) > longest:
        raise ServiceError(f"tên hệ thống nguồn dài {len(source_system)} ký tự; tối đa {longest} ký tự")
    table = read_table(source, filename)
    errors = list(table.errors)
    report = ImportReport(kind, table.filename, dry_run=dry_run, rows=len(table))
    scope = scope or (Scope.of_user(user) if user is not None else Scope.everything())
    if not scope.can_write and not dry_run:
        scope.require_write()
    ctx = Context(table, errors, source_system=source_system, scope=scope, items=items)
    module = KINDS[kind]
    plan = module.prepare(ctx) if table.headers else None
    if plan is not None and not len(table) and not errors:
        errors.append(RowError(table.filename, None, None, None, "tệp không có dòng dữ liệu nào"))
    report.errors = errors
    report.forbidden = ctx.forbidden
    if errors or plan is None:
        if not errors:
            errors.append(RowError(table.filename, None, None, None, "tệp không có dòng dữ liệu nào"))
        return report
    report.created, report.updated, report.unchanged = plan.created, plan.updated, plan.unchanged
    report.notes = plan.notes
    if dry_run or not (plan.created or plan.updated):
        return report
    try:
        with db.session.begin_nested():
            module.apply(ctx, plan)
            refresh_provisional(kind, plan)
            after = {"tệp": table.filename, "nguồn": source_system, **report.counts(), "ghi chú": plan.notes}
            audit.record(
                f"import.{kind}", kind, table.filename, user=user or system_user(), actor=actor, after=after
            )
    except SQLAlchemyError as exc:
        if lost_race(exc):  # the savepoint is gone; the caller rolls the rest back
            raise conflict(f"không nhập {table.filename}") from None
        message = f"cơ sở dữ liệu từ chối thay đổi, không nhập gì: {type(getattr(exc, 'orig', None) or exc).__name__}"
        report.errors.append(RowError(table.filename, None, None, None, message))
        return report
    report.applied = True
    return report


def refresh_provisional(kind: str, plan) -> None:
    """Provisional scores of the people whose tasks or inputs changed (one call, after the write)."""
    from ..assessments.provisional import after_import

    after_import(kind, plan)


def import_rows(kind: str, items: list[dict], name: str = "dữ liệu.json", **options) -> ImportReport:
    """import_file over a list of JSON objects (keys are template headers or field names)."""
    data = json.dumps(items, ensure_ascii=False, default=str).encode("utf-8")
    return import_file(kind, data, name, items=True, **options)
