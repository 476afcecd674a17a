"""Throttling failed sign-ins: at most MAX_PER_ACCOUNT failures per account and MAX_PER_ADDRESS per
client address within WINDOW; then sign-in is refused (even with the right password) until the window
passes. Flushes only: the sign-in view commits."""

from __future__ import annotations

import datetime as dt

from ..extensions import db
from ..models import LoginFailure
from ..models.common import utcnow

WINDOW = dt.timedelta(minutes=15)
MAX_PER_ACCOUNT = 5
MAX_PER_ADDRESS = 20


def _since(now: dt.datetime | None) -> dt.datetime:
    return (now or utcnow()) - WINDOW


def blocked(username: str, address: str, now: dt.datetime | None = None) -> bool:
    """Whether sign-in for this account or from this address is throttled right now."""
    since = _since(now)
    count = db.func.count(LoginFailure.id)
    per_account = db.session.scalar(
        db.select(count).where(LoginFailure.username == username.strip().lower(), LoginFailure.at >= since)
    )
    if per_account >= MAX_PER_ACCOUNT:
        return True
    per_address = db.session.scalar(
        db.select(count).where(LoginFailure.address == address, LoginFailure.at >= since)
    )
    return per_address >= MAX_PER_ADDRESS


def record_failure(username: str, address: str, now: dt.datetime | None = None) -> None:
    """Remember a failure; forget failures older than the window (the table stays small)."""
    db.session.execute(db.delete(LoginFailure).where(LoginFailure.at < _since(now)))
    db.session.add(
        LoginFailure(username=username.strip().lower()[:64], address=address[:64], at=now or utcnow())
    )
    db.session.flush()


def clear(username: str) -> None:
    """A successful sign-in forgets the account's failures (not the address's)."""
    db.session.execute(db.delete(LoginFailure).where(LoginFailure.username == username.strip().lower()))
    db.session.flush()
