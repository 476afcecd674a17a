"""A lost race: two writers (two imports of the same rows, two moves of one person) touched the same data
at once and the database refused the later one. That is no fault in the data: the caller is told so in
Vietnamese with the stable code "conflict" and may simply run again (then it sees the winner's rows)."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError

from .errors import Conflict

CONFLICT = "conflict"
MESSAGE = "một lần nhập khác đang ghi cùng dữ liệu; hãy chạy lại"
# PostgreSQL: unique_violation, exclusion_violation, serialization_failure, deadlock_detected, lock_not_available
_SQLSTATES = {"23505", "23P01", "40001", "40P01", "55P03"}
_SQLITE = ("UNIQUE constraint failed", "database is locked")


def lost_race(exc: SQLAlchemyError) -> bool:
    """Whether the database refused a write because another transaction got there first."""
    if not isinstance(exc, (IntegrityError, OperationalError)):
        return False
    orig = exc.orig
    if getattr(orig, "sqlstate", None) in _SQLSTATES:
        return True
    return type(orig).__module__.startswith("sqlite3") and any(m in str(orig) for m in _SQLITE)


def conflict(what: str = "") -> Conflict:
    return Conflict(f"{what}: {MESSAGE}" if what else MESSAGE[0].upper() + MESSAGE[1:], code=CONFLICT)
