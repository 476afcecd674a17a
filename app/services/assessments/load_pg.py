"""Task columns read from PostgreSQL as one packed byte string per column: no Python object per row.

One aggregate select over the period's tasks: each column is written by the server with its binary
send function (`int8send`, `float8send`, `int4send`, `boolsend`) and concatenated with `string_agg`,
text as UTF-8 with a NUL after each value (PostgreSQL text never holds NUL). All aggregates of one
select see the rows in the same order, so the columns line up. The client turns each byte string into
a numpy column with `np.frombuffer` (text: one decode and one split). Values as `load.py`'s plain
select gives them: numbers as the float nearest the stored decimal (`numeric::float8`), dates as
proleptic ordinals (days since 0001-01-01 plus one, as `date.toordinal()`), NULL as NaN, "" or false.
Measured on 1,000,000 tasks: see docs/architecture.md (Assessment performance)."""

from __future__ import annotations

import json

import numpy as np

from ...extensions import db

# up to this many people, the rows are chosen by `person_id = ANY(array)` (an index scan for a part of a
# distributed run: 5,000 people, 100,000 tasks in 0.2 s); above it the period's tasks are all read and the
# caller keeps its members' (a province reads every task of the period anyway)
MAX_PEOPLE = 20_000
NUL = r"'\x00'::bytea"
NO_DATE = -2147483647  # no date (a NULL); ordinals of real dates are >= 1
EMPTY = "''::bytea"


def _expression(column: str, kind: str) -> str:
    if kind == "number":
        return f"float8send(coalesce({column}::float8, 'NaN'::float8))"
    if kind == "date":
        return f"int4send(coalesce({column} - DATE '0001-01-01' + 1, {NO_DATE}))"
    if kind == "bool":
        return f"boolsend(coalesce({column}, false))"
    return f"convert_to(coalesce({column}::text, ''), 'UTF8') || {NUL}"


def _column(data: bytes | None, kind: str, n: int) -> np.ndarray:
    data = data or b""
    if kind == "number":
        return np.frombuffer(data, dtype=">f8", count=n).astype(float)
    if kind == "date":
        days = np.frombuffer(data, dtype=">i4", count=n)
        return np.where(days == NO_DATE, np.nan, days.astype(float))
    if kind == "bool":
        return np.frombuffer(data, dtype=np.uint8, count=n).astype(bool)
    values = data.decode("utf-8").split("\x00")[:n] if n else []
    out = np.empty(n, dtype=object)
    out[:] = values
    return out


def task_columns(
    columns: list[tuple[str, str]], extras: bool, periods: list[str], person_ids: list[int]
) -> list:
    """[person ids, task ids, one numpy column per (tasks column, kind) of `columns`, then the `extra`
    JSON texts when `extras`] of the tasks of `periods`, of `person_ids` (all the period's tasks when
    there are more than MAX_PEOPLE: the caller keeps its members' rows)."""
    parts = [("person_id", "int"), ("id", "int"), *columns]
    if extras:
        parts.append(("extra", "text"))
    # the period of one period's tasks is that period: not sent (every row matched `period = ANY(…)`)
    constant = {("period", "text"): periods[0]} if len(periods) == 1 else {}
    selected = [
        f"string_agg(int8send({c}::int8), {EMPTY})" if kind == "int" else f"string_agg({_expression(c, kind)}, {EMPTY})"
        for c, kind in parts if (c, kind) not in constant
    ]  # fmt: skip
    sql = f"SELECT count(*), {', '.join(selected)} FROM tasks WHERE period = ANY(%s)"
    params: list = [list(periods)]
    if len(person_ids) <= MAX_PEOPLE:
        sql += " AND person_id = ANY(%s)"
        params.append(list(person_ids))
    raw = db.session.connection().connection.dbapi_connection
    with raw.cursor(binary=True) as cursor:
        cursor.execute(sql, params, prepare=False)  # a plan for these ids (never a generic one)
        n, *packed = cursor.fetchone()
    packed.reverse()
    out = []
    for part in parts:
        kind = part[1]
        if part in constant:
            out.append(np.full(n, constant[part], dtype=object))
            continue
        data = packed.pop()
        if kind == "int":
            out.append(np.frombuffer(data or b"", dtype=">i8", count=n).astype(np.int64))
        else:
            out.append(_column(data, kind, n))
    if extras:
        out[-1] = out[-1].tolist()
    return out


def input_rows(period: str, person_ids: list[int]) -> list[list]:
    """[person id, general score as text, discipline, values] of the period inputs of `person_ids` (all
    the period's when there are more than MAX_PEOPLE), as one JSON document parsed once."""
    sql = (
        'SELECT coalesce(json_agg(json_build_array(person_id, general_score::text, discipline, "values"))'
        "::text, '[]') FROM period_inputs WHERE period = %s"
    )
    params: list = [period]
    if len(person_ids) <= MAX_PEOPLE:
        sql += " AND person_id = ANY(%s)"
        params.append(list(person_ids))
    raw = db.session.connection().connection.dbapi_connection
    with raw.cursor() as cursor:
        cursor.execute(sql, params, prepare=False)
        return json.loads(cursor.fetchone()[0])
