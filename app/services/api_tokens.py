"""API tokens for other systems: created for a unit subtree, a source-system name, read-only or
read-write access and an optional expiry; shown once, stored as a SHA-256 hash. `authenticate` finds the
active token of a presented secret and keeps its `last_used_at`. What a token may do: scope.Scope.of_token."""

from __future__ import annotations

import datetime as dt
import re
import secrets

from ..extensions import db
from ..models import ApiToken, User
from ..models.common import utcnow
from ..models.users import hash_token
from . import audit
from .errors import Conflict, NotFound, ServiceError
from .scope import READ, WRITE
from .users import get_unit, system_user

PREFIX = "kpi_"
_SYSTEM = re.compile(r"[\w.\-]{1,64}")
ACCESS_LABELS = {READ: "chỉ đọc", WRITE: "đọc và ghi"}
LAST_USED_PRECISION = dt.timedelta(minutes=1)  # `last_used_at` is written at most once a minute


def create_token(
    unit_code: str,
    system: str,
    *,
    user: User | None = None,
    secret: str | None = None,
    access: str = WRITE,
    expires_at: dt.datetime | None = None,
):
    """A new token for `system` limited to the subtree of `unit_code`: (ApiToken, the secret). The
    secret is shown once; only its hash is kept. `secret` (tests, demo) fixes the secret."""
    system = system.strip()
    if not _SYSTEM.fullmatch(system):
        raise ServiceError(
            f'tên hệ thống "{system}" không hợp lệ (chữ, số, dấu chấm, gạch ngang, gạch dưới; tối đa 64 ký tự)'
        )
    if access not in ACCESS_LABELS:
        raise ServiceError(
            f'quyền "{access}" không hợp lệ; chọn "{READ}" (chỉ đọc) hoặc "{WRITE}" (đọc và ghi)'
        )
    if expires_at is not None and expires_at <= utcnow():
        raise ServiceError("ngày hết hạn phải ở tương lai")
    unit = get_unit(unit_code)
    secret = secret or PREFIX + secrets.token_urlsafe(32)
    if db.session.scalar(db.select(ApiToken.id).where(ApiToken.token_hash == hash_token(secret))):
        raise Conflict("mã truy cập này đã tồn tại")
    actor = user or system_user()
    token = ApiToken(name=system, token_hash=hash_token(secret), prefix=secret[:12], unit=unit,
                     created_by_id=actor.id, access=access, expires_at=expires_at)  # fmt: skip
    db.session.add(token)
    db.session.flush()
    audit.record("token.create", "api_tokens", token.id, user=actor, after=audit.snapshot(token))
    return token, secret


def authenticate(secret: str) -> ApiToken | None:
    """The active (not revoked, not expired) token with this secret, or None; notes when it was used."""
    if not secret:
        return None
    token = db.session.scalar(db.select(ApiToken).where(ApiToken.token_hash == hash_token(secret)))
    if token is None or token.revoked_at is not None:
        return None
    now = utcnow()
    if token.expires_at is not None and token.expires_at <= now:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        token.last_used_at = now  # committed by the caller (the API request, also a refused one)
    return token


def note_use(token_id: int, when: dt.datetime) -> None:
    """Write `last_used_at` again after the caller rolled its refused request back."""
    db.session.execute(db.update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=when))


def list_tokens() -> list[ApiToken]:
    return list(db.session.scalars(db.select(ApiToken).order_by(ApiToken.id)))


def find_token(ref: str) -> ApiToken:
    """A token by its number or by the first characters of its secret (as `kpi token list` shows)."""
    ref = ref.strip()
    if ref.isdigit():
        token = db.session.get(ApiToken, int(ref))
    else:
        found = list(db.session.scalars(db.select(ApiToken).where(ApiToken.prefix.startswith(ref[:12]))))
        token = found[0] if len(found) == 1 and ref else None
        if len(found) > 1:
            raise ServiceError(f'có {len(found)} mã truy cập bắt đầu bằng "{ref}"; dùng số thứ tự')
    if token is None:
        raise NotFound(f'không có mã truy cập "{ref}"')
    return token


def revoke(token_id: int, *, user: User | None = None) -> ApiToken:
    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"không có mã truy cập số {token_id}")
    if token.revoked_at is not None:
        raise Conflict(f"mã truy cập số {token_id} đã bị thu hồi từ {token.revoked_at:%d/%m/%Y %H:%M}")
    before = audit.snapshot(token)
    token.revoked_at = utcnow()
    audit.record("token.revoke", "api_tokens", token.id, user=user or system_user(), before=before,
                 after=audit.snapshot(token))  # fmt: skip
    return token


def status(token: ApiToken) -> str:
    """ "đang dùng", "đã thu hồi" or "hết hạn", in Vietnamese."""
    if token.revoked_at is not None:
        return "đã thu hồi"
    if token.expires_at is not None and token.expires_at <= utcnow():
        return "hết hạn"
    return "đang dùng"
