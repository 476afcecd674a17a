"""API tokens for other systems: created for a unit subtree and a source-system name, shown once, stored
as a SHA-256 hash; `authenticate` finds the active token of a presented secret."""

from __future__ import annotations

import re
import secrets

from ..extensions import db
from ..models import ApiToken, User
from ..models.common import utcnow
from ..models.users import hash_token
from . import audit
from .errors import ServiceError
from .users import get_unit, system_user

PREFIX = "kpi_"
_SYSTEM = re.compile(r"[\w.\-]{1,64}")


def create_token(unit_code: str, system: str, *, user: User | None = None, secret: str | None = None):
    """A new token for `system` limited to the subtree of `unit_code`: (ApiToken, the secret). Commits.
    The secret is shown once; only its hash is kept. `secret` (tests, demo) fixes the secret."""
    system = system.strip()
    if not _SYSTEM.fullmatch(system):
        raise ServiceError(
            f'tên hệ thống "{system}" không hợp lệ (chữ, số, dấu chấm, gạch ngang, gạch dưới; tối đa 64 ký tự)'
        )
    unit = get_unit(unit_code)
    secret = secret or PREFIX + secrets.token_urlsafe(32)
    if db.session.scalar(db.select(ApiToken.id).where(ApiToken.token_hash == hash_token(secret))):
        raise ServiceError("mã truy cập này đã tồn tại")
    actor = user or system_user()
    token = ApiToken(
        name=system, token_hash=hash_token(secret), prefix=secret[:12], unit=unit, created_by_id=actor.id
    )
    db.session.add(token)
    db.session.flush()
    audit.record("token.create", "api_tokens", token.id, user=actor, after=audit.snapshot(token))
    db.session.commit()
    return token, secret


def authenticate(secret: str) -> ApiToken | None:
    """The active (not revoked, not expired) token with this secret, or None."""
    if not secret:
        return None
    token = db.session.scalar(db.select(ApiToken).where(ApiToken.token_hash == hash_token(secret)))
    if token is None or token.revoked_at is not None:
        return None
    if token.expires_at is not None and token.expires_at <= utcnow():
        return None
    return token


def revoke(token_id: int, *, user: User | None = None) -> ApiToken:
    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise ServiceError(f"không có mã truy cập số {token_id}")
    before = audit.snapshot(token)
    token.revoked_at = utcnow()
    audit.record("token.revoke", "api_tokens", token.id, user=user or system_user(), before=before,
                 after=audit.snapshot(token))  # fmt: skip
    db.session.commit()
    return token
