"""Tasks and period inputs read in bulk into `dsl.records.Dataset` columns (no query and no ORM object
per row). On PostgreSQL the server packs each column into one byte string (`load_pg.py`); elsewhere one
plain select of columns per table, numbers cast to floats and dates to ISO text in SQL, each distinct
date converted once; then numpy. Both give the same columns."""

from __future__ import annotations

import datetime as dt
import functools
import json
from fractions import Fraction

import numpy as np
from sqlalchemy import Float, String, bindparam, cast, select

from dsl.records import Dataset, PersonRecord

from ...extensions import db
from ...models import PeriodInput, Task
from .driver_rows import raw_rows
from .members import Member

# task field -> (column of `tasks`, kind); the other task fields are catalog fields in `extra`
COLUMNS = {
    "mã_nhiệm_vụ": ("external_id", "text"),
    "kỳ": ("period", "text"),
    "tên_nhiệm_vụ": ("title", "text"),
    "ngày_giao": ("assigned_on", "date"),
    "hạn_hoàn_thành": ("deadline", "date"),
    "ngày_hoàn_thành": ("completed_on", "date"),
    "trạng_thái": ("status", "text"),
    "khối_lượng_giao": ("quantity_assigned", "number"),
    "khối_lượng_hoàn_thành": ("quantity_completed", "number"),
    "hệ_số_quy_đổi": ("conversion_factor", "number"),
    "số_lần_sai_sót_lớn": ("major_errors", "number"),
    "số_lần_chậm": ("delays", "number"),
    "miễn_trừ": ("exempt", "bool"),
    "minh_chứng": ("evidence", "text"),
}
ALWAYS = ("mã_nhiệm_vụ", "kỳ")
# person ids are sent in IN lists of CHUNK; above MAX_IN_LIST people one period-wide select is filtered
# in numpy instead (a province reads every task of the period anyway)
CHUNK = 1000
MAX_IN_LIST = 2000


def rows_for(query, column, ids: list[int]) -> list[tuple]:
    """`query` restricted to `column IN ids` (chunked; rows as SQLAlchemy gives them, a few thousand at
    most), or unrestricted for very many ids (driver tuples)."""
    if len(ids) > MAX_IN_LIST:
        return raw_rows(query)
    out: list[tuple] = []
    for start in range(0, len(ids), CHUNK):  # SQLAlchemy's statement cache: no compiling per call
        out += db.session.execute(query.where(column.in_(ids[start : start + CHUNK]))).all()
    return out


class _Ordinals(dict):
    """ISO date text (or a date) -> proleptic ordinal as float; each distinct value converted once."""

    def __missing__(self, key):
        if key is None:
            value = float("nan")
        else:
            day = key if isinstance(key, dt.date) else dt.date.fromisoformat(str(key)[:10])
            value = float(day.toordinal())
        self[key] = value
        return value


def apply_task_defaults(columns: dict[str, np.ndarray]) -> None:
    """The derived task-field defaults (khối_lượng_hoàn_thành, số_lần_chậm), in ONE place:
    `dsl.defaults.derived_task_defaults`, the rule the tasks file reader uses too."""
    from dsl.defaults import derived_task_defaults

    if {"trạng_thái", "khối_lượng_giao", "khối_lượng_hoàn_thành", "ngày_hoàn_thành", "hạn_hoàn_thành",
        "số_lần_chậm"} <= columns.keys():  # fmt: skip
        derived_task_defaults(columns)


def load_tasks(members: list[Member], periods: list[str], fields: set[str], kinds: dict[str, str]):
    """(task_person: index into `members`, columns by field name) for the members' tasks of `periods`,
    ordered by person then task id. `fields`: the task fields needed; `kinds`: kinds of catalog fields."""
    wanted = sorted(set(fields) | set(ALWAYS) | ({"trạng_thái", "khối_lượng_giao", "ngày_hoàn_thành",
                                                   "hạn_hoàn_thành"} if fields & {"khối_lượng_hoàn_thành",
                                                                                  "số_lần_chậm"} else set()))  # fmt: skip
    standard = [f for f in wanted if f in COLUMNS]
    extras = [f for f in wanted if f not in COLUMNS]
    person_ids = sorted(m.person_id for m in members)
    if db.session.connection().dialect.name == "postgresql":
        from .load_pg import task_columns

        raw = task_columns([COLUMNS[name] for name in standard], bool(extras), periods, person_ids)
    else:
        raw = _task_columns_sql(standard, bool(extras), periods, person_ids)
    owner = _positions(np.array([m.person_id for m in members], dtype=np.int64), raw[0])
    keep = owner >= 0
    order = np.lexsort((raw[1][keep], owner[keep]))
    picked = np.flatnonzero(keep)[order]
    columns: dict[str, np.ndarray] = {}
    for j, name in enumerate(standard, start=2):
        columns[name] = raw[j][picked]
    if extras:
        ordinals = _Ordinals()
        bags = [_bag(v) for v in raw[-1]]
        for name in extras:
            columns[name] = _extra_column(name, kinds.get(name, "số"), bags, ordinals)[picked]
    columns["mã_cán_bộ"] = np.array([m.code for m in members] + [""], dtype=object)[owner[picked]]
    apply_task_defaults(columns)
    return owner[picked], columns


def _task_columns_sql(standard: list[str], extras: bool, periods: list[str], person_ids: list[int]) -> list:
    """[person ids, task ids, one numpy column per standard field (numbers and dates as float, NaN for
    none; booleans; text as object), then the `extra` values when asked] from plain selects of driver
    tuples (SQLite and other databases)."""
    t = Task.__table__.c
    if len(person_ids) <= CHUNK:  # one person's refresh (provisional scores): a statement built once
        query = _task_select(tuple(standard), extras, True)
        rows = db.session.execute(query, {"periods": periods, "ids": person_ids}).all()
    else:
        query = _task_select(tuple(standard), extras, False).where(t.period.in_(periods))
        rows = rows_for(query, t.person_id, person_ids)
    selected = query.selected_columns
    raw = [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in selected]
    n_rows = len(rows)
    out: list = [
        np.fromiter(raw[0], dtype=np.int64, count=n_rows),
        np.fromiter(raw[1], dtype=np.int64, count=n_rows),
    ]
    ordinals = _Ordinals()
    for j, name in enumerate(standard, start=2):
        kind = COLUMNS[name][1]
        values = raw[j]
        if kind == "number":
            col = np.array(values, dtype=float) if n_rows else np.zeros(0)
            col = np.where(np.equal(values, None), np.nan, col) if n_rows and None in values else col
        elif kind == "date":
            col = np.fromiter(map(ordinals.__getitem__, values), dtype=float, count=n_rows)
        elif kind == "bool":
            col = np.array([bool(v) for v in values], dtype=bool)
        else:
            col = np.empty(n_rows, dtype=object)
            col[:] = ["" if v is None else v for v in values]
        out.append(col)
    if extras:
        out.append(raw[-1])
    return out


@functools.lru_cache(maxsize=64)
def _task_select(standard: tuple[str, ...], extras: bool, bound: bool):
    """The select of `_task_columns_sql`; `bound`: filtered by the expanding parameters periods and ids
    (SQLAlchemy then reuses its compiled form instead of building and compiling it at every call)."""
    t = Task.__table__.c
    selected = [t.person_id, t.id]
    for name in standard:
        column, kind = COLUMNS[name]
        col = t[column]
        selected.append(
            cast(col, Float) if kind == "number" else cast(col, String) if kind == "date" else col
        )
    if extras:
        selected.append(t.extra)
    query = select(*selected)
    if bound:
        query = query.where(
            t.period.in_(bindparam("periods", expanding=True)),
            t.person_id.in_(bindparam("ids", expanding=True)),
        )
    return query


def _positions(member_ids: np.ndarray, person_ids: np.ndarray) -> np.ndarray:
    """Index into the members of each row's person id, -1 for people outside the assessment."""
    order = np.argsort(member_ids, kind="stable")
    ordered = member_ids[order]
    at = np.searchsorted(ordered, person_ids).clip(0, max(len(ordered) - 1, 0))
    found = ordered[at] == person_ids if len(ordered) else np.zeros(len(person_ids), dtype=bool)
    return np.where(found, order[at] if len(ordered) else -1, -1).astype(np.int64)


def _bag(value) -> dict:
    if isinstance(value, dict):
        return value
    return json.loads(value) if value else {}


def _extra_column(name: str, kind: str, bags: list[dict], ordinals: _Ordinals) -> np.ndarray:
    values = [b.get(name) for b in bags]
    if kind == "số":
        return np.array([np.nan if v is None else float(Fraction(str(v))) for v in values], dtype=float)
    if kind == "ngày":
        return np.fromiter(map(ordinals.__getitem__, values), dtype=float, count=len(values))
    if kind == "đúng sai":
        return np.array([bool(v) for v in values], dtype=bool)
    out = np.empty(len(values), dtype=object)
    out[:] = ["" if v is None else str(v) for v in values]
    return out


def load_inputs(members: list[Member], period: str) -> dict[str, dict[str, object]]:
    """Person code -> input name -> value as stored (JSON-safe: numbers as exact text or int)."""
    t = PeriodInput.__table__.c
    code_of = {m.person_id: m.code for m in members}
    if db.session.connection().dialect.name == "postgresql":
        from .load_pg import input_rows

        rows = input_rows(period, sorted(code_of))
    else:
        query = select(t.person_id, cast(t.general_score, String), t.discipline, t["values"]).where(
            t.period == period
        )
        rows = rows_for(query, t.person_id, sorted(code_of))
    out: dict[str, dict[str, object]] = {}
    for person_id, score, discipline, values in rows:
        code = code_of.get(person_id)
        if code is None:
            continue
        out[code] = input_bag(score, discipline, values)
    return out


def input_bag(score, discipline, values) -> dict[str, object]:
    """One row of `period_inputs` (general score as text, discipline, values) as stored inputs by name."""
    bag = dict(_bag(values))
    if score is not None:
        bag["điểm_tiêu_chí_chung"] = _decimal_text(score)
    if discipline:
        bag["kỷ_luật"] = discipline
    return {k: v for k, v in bag.items() if v is not None}


def _decimal_text(text: str) -> str:
    text = str(text)
    return text.rstrip("0").rstrip(".") if "." in text else text


class _Numbers(dict):
    """Stored number (int or exact text) -> Fraction, each distinct value converted once."""

    def __missing__(self, value):
        number = self[value] = Fraction(str(value))
        return number


def typed_inputs(stored: dict[str, dict[str, object]], kinds: dict[str, str]) -> dict[str, dict[str, object]]:
    """Stored inputs as the engine reads them: numbers as Fraction, dates as date, by declared kind."""
    out = {}
    numbers = _Numbers()
    for code, bag in stored.items():
        typed = {}
        for name, value in bag.items():
            kind = kinds.get(name)
            if kind == "số" and not isinstance(value, bool):
                typed[name] = numbers[value]
            elif kind == "ngày" and isinstance(value, str):
                typed[name] = dt.date.fromisoformat(value)
            else:
                typed[name] = value
        out[code] = typed
    return out


def record_of(m: Member) -> PersonRecord:
    return PersonRecord(
        code=m.code, name=m.name, unit=m.unit_code, position=m.post, leader=m.leader,
        duty_group=m.duty_group, manager=m.manager_code,
    )  # fmt: skip


def dataset_of(records: list[PersonRecord], owner: np.ndarray, columns: dict, inputs: dict, period: str):
    return Dataset(people=records, task_person=owner, task_columns=columns, inputs=inputs, period=period)
