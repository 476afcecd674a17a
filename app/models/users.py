"""Users with a role and a unit scope, and API tokens for other systems (both secrets stored hashed)."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import Boolean, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from .common import created_at
from .units import Unit

ROLES = ("province_admin", "ward_admin", "evaluator", "official")
ROLE_LABELS = {
    "province_admin": "Quản trị cấp tỉnh",
    "ward_admin": "Quản trị cấp xã/phường",
    "evaluator": "Người đánh giá",
    "official": "Cán bộ, công chức",
}
SYSTEM_USERNAME = "system"


class User(db.Model):
    """An account with a role and a unit scope; what it may do is decided by
    `app.services.scope.Scope.of_user` (the model holds no policy)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(255), default="")
    password_hash: Mapped[str] = mapped_column(String(255), default="")  # "": cannot log in
    role: Mapped[str] = mapped_column(String(32))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)  # None: everywhere
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))  # an official's own record
    active: Mapped[bool] = mapped_column(Boolean(), default=True)
    created_at: Mapped[dt.datetime] = created_at()

    unit: Mapped[Unit | None] = relationship()

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.username}>"


def hash_token(token: str) -> str:
    """API tokens are random and long: a plain SHA-256 is the right hash (looked up by equality)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiToken(db.Model):
    """A per-system API token limited to a unit subtree, read-only or read-write, with an optional expiry.
    Only its hash is stored; `last_used_at` is kept up to date by authentication. What it may see or
    change is decided by `app.services.scope.Scope.of_token`."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(128))  # the calling system
    access: Mapped[str] = mapped_column(String(8), default="write", server_default="write")  # read | write
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16), default="")  # first characters, to recognise it
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = created_at()
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime())

    unit: Mapped[Unit] = relationship()

    def matches(self, token: str) -> bool:
        return self.token_hash == hash_token(token)


class LoginFailure(db.Model):
    """One failed sign-in (for throttling per account and per address); cleared for an account when it
    signs in, and forgotten after the throttle window."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[dt.datetime] = created_at()
