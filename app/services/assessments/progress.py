"""A run's progress row (people done / total, status, message) and its cancel flag, written and read
beside the run's own transaction, so that the web admin and `kpi assess jobs` see the counts while the
run is still computing.

Where the rows live (`store()`):
- PostgreSQL (and an in-memory SQLite database): the `assessment_jobs` table, on the side connection of
  `side.py` (autocommit): other sessions read every update at once.
- An SQLite file: a small SQLite file of its own beside the database (`<database>-tien-do`). The run's
  transaction holds a shared lock on the main file from its first read to its commit (and the write
  lock while it stores); a progress write into that file would have to wait for the run, so before
  this store it was skipped and readers saw only the start and the end. The side file has no lock in
  common with the run (and WAL journal mode would not help: a transaction that read and then writes
  fails once another connection has committed in between).

Cancellation is a flag on the row that the run checks between groups and parts."""

from __future__ import annotations

import threading
from pathlib import Path
from types import SimpleNamespace

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    insert,
    or_,
    select,
    update,
)

from ...extensions import db
from ...models import AssessmentJob
from ...models.common import utcnow
from ..errors import NotFound, ServiceError
from .side import SideConnection

SIDE_SUFFIX = "-tien-do"  # the SQLite side file: kpi.sqlite3 -> kpi.sqlite3-tien-do
RUNNING, QUEUED, DONE, FAILED, CANCELLED = "running", "queued", "done", "failed", "cancelled"
STATUS_LABELS = {QUEUED: "đang chờ", RUNNING: "đang chạy", DONE: "xong", FAILED: "lỗi", CANCELLED: "đã hủy"}
FINISHED = (DONE, FAILED, CANCELLED)
# the owner of a row that is not a run but the building of an assessment's sheets PDF (`sheet_files`)
SHEETS = "phiếu-pdf:"


class Cancelled(ServiceError):
    """The run was cancelled at the user's request (nothing stored)."""

    def __init__(self):
        super().__init__("đã hủy lần chạy đánh giá theo yêu cầu", code="conflict")


def _side_table() -> Table:
    """The columns of `assessment_jobs` (no foreign key: the assessments live in the other file)."""
    return Table(
        "assessment_jobs",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("assessment_id", Integer, index=True),
        Column("unit_code", String(64), default=""),
        Column("period", String(16), default=""),
        Column("status", String(16), default=QUEUED),
        Column("total", Integer, default=0),
        Column("done", Integer, default=0),
        Column("parts", Integer, default=1),
        Column("parts_done", Integer, default=0),
        Column("cancel_requested", Boolean, default=False),
        Column("message", Text, default=""),
        Column("owner", String(128), default=""),
        Column("created_at", DateTime),
        Column("updated_at", DateTime),
    )


class TableStore:
    """`assessment_jobs` in the application's database, through the side connection."""

    def __init__(self):
        self.table = AssessmentJob.__table__
        self.side = SideConnection(busy_ms=50)

    def begin(self):
        return self.side.begin()

    def close(self) -> None:
        self.side.close()


class FileStore:
    """The SQLite side file (one engine per file and process, the table created on first use)."""

    _engines: dict[str, object] = {}
    _guard = threading.Lock()

    def __init__(self, path: str):
        self.table = _SIDE_TABLE
        with self._guard:
            engine = self._engines.get(path)
            if engine is None:
                engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 10})
                self.table.create(engine, checkfirst=True)
                self._engines[path] = engine
        self.engine = engine

    def begin(self):
        return self.engine.begin()

    def close(self) -> None:
        pass


_SIDE_TABLE = _side_table()


def store():
    """Where this database keeps its progress rows (see the module docstring)."""
    engine = db.engine
    name = engine.url.database or ""
    if engine.dialect.name == "sqlite" and name and name != ":memory:" and not name.startswith("file:"):
        return FileStore(str(Path(name).resolve()) + SIDE_SUFFIX)
    return TableStore()


def _columns(table) -> dict:
    return {c: table.c[c] for c in table.c.keys()}


class Progress:
    """The row of one run: created here, or an existing queued row (`job_id`, made by `queue`)."""

    def __init__(self, unit_code: str, period: str, owner: str, parts: int = 1, *, job_id: int | None = None,
                 assessment_id: int | None = None):  # fmt: skip
        self.store = store()
        table = self.store.table
        now = utcnow()
        with self.store.begin() as conn:
            if job_id is None:
                values = dict(unit_code=unit_code, period=period, status=RUNNING, owner=owner, parts=parts,
                              created_at=now, updated_at=now)  # fmt: skip
                if assessment_id is not None:
                    values["assessment_id"] = assessment_id
                job_id = conn.execute(insert(table).values(**values).returning(table.c.id)).scalar_one()
            else:
                conn.execute(update(table).where(table.c.id == job_id).values(status=RUNNING, updated_at=now))
        self.job_id = job_id
        self._written = False
        self.counts = (0, 0)  # the last known (done, total), written again at the end

    def _set(self, **values) -> None:
        table = self.store.table
        try:
            with self.store.begin() as conn:
                conn.execute(
                    update(table).where(table.c.id == self.job_id).values(updated_at=utcnow(), **values)
                )
        except Exception as exc:  # a busy side file: the next update will do
            if not type(exc).__module__.startswith("sqlalchemy"):
                raise

    def update(self, done: int, total: int, *, force: bool = False) -> None:
        """Write each new count at once (they come per evaluation group or finished part: a few per run,
        and a count held back would stay on screen for as long as the next group takes)."""
        if force or (done, total) != self.counts or not self._written:
            self._set(done=done, total=total)
            self._written = True
        self.counts = (done, total)

    def part_done(self, parts_done: int) -> None:
        self._set(parts_done=parts_done)

    def cancelled(self) -> bool:
        table = self.store.table
        try:
            with self.store.begin() as conn:
                return bool(
                    conn.execute(select(table.c.cancel_requested).where(table.c.id == self.job_id)).scalar()
                )
        except Exception as exc:
            if not type(exc).__module__.startswith("sqlalchemy"):
                raise
            return False

    def finish(self, status: str, message: str = "") -> None:
        if status == DONE and self.counts[1]:
            self.counts = (self.counts[1], self.counts[1])  # everyone stored (a split run counts parts only)
        self._set(status=status, message=message[:2000], done=self.counts[0], total=self.counts[1])
        self.store.close()


def _row(r) -> SimpleNamespace:
    """A row as plain values, with its Vietnamese status; `active`: running (or queued) and heard from
    within the lock's stale time (a run whose process died leaves its row "running" without updates)."""
    from .lock import stale_after

    out = SimpleNamespace(**dict(r._mapping))
    out.finished = out.status in FINISHED
    silent = not out.finished and out.updated_at is not None and utcnow() - out.updated_at > stale_after()
    out.active = not out.finished and not silent
    out.status_label = "không còn tín hiệu" if silent else STATUS_LABELS.get(out.status, out.status)
    return out


def queue(unit_code: str, period: str, owner: str, assessment_id: int | None = None) -> int:
    """A row in status "đang chờ" for a run about to start in the background; its id, for the page that
    follows it (the run attaches with `Progress(…, job_id=id)`)."""
    s = store()
    table, now = s.table, utcnow()
    values = dict(unit_code=unit_code, period=period, status=QUEUED, owner=owner, created_at=now,
                  updated_at=now, assessment_id=assessment_id)  # fmt: skip
    try:
        with s.begin() as conn:
            return conn.execute(insert(table).values(**values).returning(table.c.id)).scalar_one()
    finally:
        s.close()


def fail(job_id: int, message: str) -> None:
    """Mark a queued row failed (the run could not start: the lock was taken, the job not enqueued)."""
    s = store()
    values = dict(status=FAILED, message=message[:2000], updated_at=utcnow())
    try:
        with s.begin() as conn:
            conn.execute(update(s.table).where(s.table.c.id == job_id).values(**values))
    finally:
        s.close()


def read(job_id: int) -> SimpleNamespace | None:
    s = store()
    try:
        with s.begin() as conn:
            r = conn.execute(select(s.table).where(s.table.c.id == job_id)).first()
    finally:
        s.close()
    return _row(r) if r is not None else None


def cancel(job_id: int):
    """Ask a running job to stop (it stops at its next check and keeps the previous results)."""
    s = store()
    try:
        with s.begin() as conn:
            found = conn.execute(select(s.table).where(s.table.c.id == job_id)).first()
            if found is None:
                raise NotFound(f"không có lần chạy số {job_id}")
            conn.execute(update(s.table).where(s.table.c.id == job_id).values(cancel_requested=True))
    finally:
        s.close()
    return _row(found)


def jobs(limit: int = 20, *, unit_code: str | None = None, period: str | None = None,
         assessment_id: int | None = None, sheets: bool = False) -> list[SimpleNamespace]:  # fmt: skip
    """The latest rows of runs (or, `sheets`, of sheets PDFs being built), newest first (of one unit and
    period, or one assessment, when given)."""
    s = store()
    marked = s.table.c.owner.like(f"{SHEETS}%")
    query = (
        select(s.table)
        .where(marked if sheets else or_(s.table.c.owner.is_(None), ~marked))
        .order_by(s.table.c.id.desc())
        .limit(limit)
    )
    if unit_code is not None:
        query = query.where(s.table.c.unit_code == unit_code)
    if period is not None:
        query = query.where(s.table.c.period == period)
    if assessment_id is not None:
        query = query.where(s.table.c.assessment_id == assessment_id)
    try:
        with s.begin() as conn:
            return [_row(r) for r in conn.execute(query)]
    finally:
        s.close()
