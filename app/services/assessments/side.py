"""Writes beside the run's own transaction (the lock row, the progress row), visible to other processes
at once. PostgreSQL: one autocommit connection kept open (it also holds the advisory lock). SQLite:
each write is a short transaction of its own on a pooled connection (the app's SQLite setup emits BEGIN
itself, so an "autocommit" connection would keep a transaction open), with its own busy timeout."""

from __future__ import annotations

from contextlib import contextmanager

from ...extensions import db

SQLITE_DEFAULT_BUSY_MS = 5000  # the sqlite3 module's default, restored on the pooled connection


class SideConnection:
    def __init__(self, busy_ms: int):
        self.busy_ms = busy_ms
        self.pg = db.engine.dialect.name == "postgresql"
        self.conn = db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") if self.pg else None

    @contextmanager
    def begin(self):
        if self.pg:
            yield self.conn
            return
        with db.engine.connect() as conn:
            conn.exec_driver_sql(f"PRAGMA busy_timeout = {int(self.busy_ms)}")
            conn.commit()  # the PRAGMA began SQLAlchemy's transaction: end it before ours
            try:
                with conn.begin():
                    yield conn
            finally:
                conn.exec_driver_sql(f"PRAGMA busy_timeout = {SQLITE_DEFAULT_BUSY_MS}")
                conn.commit()

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None
