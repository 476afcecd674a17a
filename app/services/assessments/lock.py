"""One run at a time per assessment (unit subtree + period), across processes and hosts.

A lock row (`assessment_locks`: owner, host, pid, heartbeat) written on its own autocommit connection
before the run reads anything, removed after the run's transaction ended. A second run finds the row and
is refused with a Vietnamese message naming the holder. A row is stale (taken over) when its process is
gone on this host, or its heartbeat is older than `KPI_LOCK_STALE_SECONDS` (default 120): a run killed
with `kill -9` never blocks the assessment for long. On PostgreSQL a session advisory lock is taken too,
on the same connection: the server frees it the moment the process dies, so there even a run on
another host that died is taken over at once."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
import socket

from sqlalchemy import delete, insert, select, text, update

from ...models import AssessmentLock, Unit
from ...models.common import utcnow
from ..errors import NotFound, ServiceError
from .side import SideConnection

BUSY = "conflict"  # another run holds the assessment (ServiceError codes are fixed: errors.CODES)


def stale_after() -> dt.timedelta:
    return dt.timedelta(seconds=float(os.environ.get("KPI_LOCK_STALE_SECONDS", "120")))


def _alive(host: str, pid: int) -> bool:
    if host != socket.gethostname():
        return True  # cannot tell: the heartbeat decides
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Guard:
    """A held lock; `heartbeat()` during the run, `release()` once the transaction is over."""

    def __init__(self, unit_code: str, period: str, owner: str):
        self.unit_code, self.period, self.owner = unit_code, period, owner
        self.key = ""
        self.token = secrets.token_hex(16)
        self.side: SideConnection | None = None
        self.held = False

    def acquire(self) -> Guard:
        self.side = side = SideConnection(busy_ms=2000)
        try:
            self._acquire(side)
        except ServiceError:
            side.close()
            raise
        except Exception as exc:  # a concurrent insert, or SQLite busy: someone else holds it
            side.close()
            if type(exc).__module__.startswith("sqlalchemy"):
                raise self._busy(None) from None
            raise
        self.held = True
        return self

    def _acquire(self, side: SideConnection) -> None:
        table, units = AssessmentLock.__table__, Unit.__table__
        with side.begin() as conn:
            unit_id = conn.execute(select(units.c.id).where(units.c.code == self.unit_code)).scalar()
            if unit_id is None:
                raise NotFound(f'không có đơn vị mã "{self.unit_code}"')
            self.key = key_of(unit_id, self.period)
            if (
                side.pg
                and not conn.execute(
                    text("SELECT pg_try_advisory_lock(:k)"), {"k": _advisory_key(self.key)}
                ).scalar()
            ):
                raise self._busy(conn.execute(select(table).where(table.c.key == self.key)).first())
            row = conn.execute(select(table).where(table.c.key == self.key)).first()
            if row is not None:
                if not side.pg and _alive(row.host, row.pid) and utcnow() - row.heartbeat < stale_after():
                    raise self._busy(row)
                conn.execute(delete(table).where(table.c.key == self.key, table.c.token == row.token))
            now = utcnow()
            conn.execute(
                insert(table).values(key=self.key, owner=self.owner, host=socket.gethostname(), pid=os.getpid(),
                                     token=self.token, acquired_at=now, heartbeat=now)
            )  # fmt: skip

    def _busy(self, row) -> ServiceError:
        who = (
            f" (người chạy: {row.owner}, máy {row.host}, tiến trình {row.pid}, từ {row.acquired_at:%H:%M:%S})"
            if row
            else ""
        )
        return ServiceError(
            f"đợt đánh giá này đang được chạy bởi một tiến trình khác{who}; chờ lần chạy đó xong rồi chạy lại",
            code=BUSY,
        )

    def heartbeat(self) -> None:
        if not self.held or not self.side.pg:
            return  # SQLite is one host: liveness is the process id (a write would wait for the run's lock)
        table = AssessmentLock.__table__
        try:
            with self.side.begin() as conn:
                conn.execute(
                    update(table)
                    .where(table.c.key == self.key, table.c.token == self.token)
                    .values(heartbeat=utcnow())
                )
        except Exception as exc:  # SQLite: our own transaction holds the file; liveness is the pid
            if not type(exc).__module__.startswith("sqlalchemy"):
                raise

    def release(self) -> None:
        if not self.held:
            return
        table = AssessmentLock.__table__
        try:
            with self.side.begin() as conn:
                conn.execute(delete(table).where(table.c.key == self.key, table.c.token == self.token))
                if self.side.pg:
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _advisory_key(self.key)})
        finally:
            self.held = False
            self.side.close()

    def __enter__(self) -> Guard:
        return self.acquire() if not self.held else self

    def __exit__(self, *exc) -> None:
        self.release()


def _advisory_key(key: str) -> int:
    return int.from_bytes(hashlib.sha256(f"kpi-assessment:{key}".encode()).digest()[:8], "big", signed=True)


def key_of(unit_id: int, period: str) -> str:
    return f"{unit_id}:{period}"
