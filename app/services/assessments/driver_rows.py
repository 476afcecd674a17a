"""Rows of a select as plain driver tuples, for the bulk reads of assessments (members, tasks, stored
results): no SQLAlchemy row objects or result processing."""

from __future__ import annotations

from ...extensions import db


def raw_rows(query, *, binary: bool = False) -> list[tuple]:
    """The rows of a select as plain driver tuples (no SQLAlchemy row objects or result processing:
    the casts in the select give floats and ISO text already). `binary`: PostgreSQL's binary format
    (arrays of numbers decode several times faster)."""
    conn = db.session.connection()
    compiled = query.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params = [compiled.params[k] for k in compiled.positiontup] if compiled.positional else compiled.params
    raw = conn.connection.dbapi_connection
    cursor = raw.cursor(binary=True) if binary else raw.cursor()
    try:
        cursor.execute(str(compiled), params)
        return cursor.fetchall()
    finally:
        cursor.close()
