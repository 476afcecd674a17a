"""Writing the append-only audit log: who, when, which action on which entity, before/after as JSON."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import inspect as sa_inspect

from ..extensions import db
from ..models import AuditLog, User

# columns not copied into audit snapshots (secrets)
_SECRET = {"password_hash", "token_hash"}


def _json_value(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    return value


def snapshot(obj, *, exclude: tuple[str, ...] = ()) -> dict | None:
    """The column values of a model instance as a JSON-safe dict (secrets left out)."""
    if obj is None:
        return None
    mapper = sa_inspect(obj).mapper
    return {
        attr.key: _json_value(getattr(obj, attr.key))
        for attr in mapper.column_attrs
        if attr.key not in _SECRET and attr.key not in exclude
    }


def record(
    action: str,
    entity: str,
    entity_id: object = "",
    *,
    user: User | None = None,
    actor: str | None = None,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditLog:
    """Add an audit entry to the current session and flush it (committed with the change it describes,
    by the caller)."""
    entry = AuditLog(
        user_id=user.id if user is not None else None,
        actor=actor or (user.username if user is not None else "?"),
        action=action,
        entity=entity,
        entity_id="" if entity_id is None else str(entity_id),
        before=_json_value(before) if before is not None else None,
        after=_json_value(after) if after is not None else None,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def entries(entity: str | None = None, entity_id: object = None) -> list[AuditLog]:
    query = db.select(AuditLog).order_by(AuditLog.id)
    if entity is not None:
        query = query.where(AuditLog.entity == entity)
    if entity_id is not None:
        query = query.where(AuditLog.entity_id == str(entity_id))
    return list(db.session.scalars(query))
