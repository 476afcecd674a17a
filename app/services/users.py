"""Users: creation with a hashed password, the system user that loads shipped rulesets, look-ups."""

from __future__ import annotations

from ..extensions import db
from ..models import Unit, User
from ..models.users import ROLE_LABELS, ROLES, SYSTEM_USERNAME
from . import audit
from .errors import NotFound, ServiceError

MIN_PASSWORD = 8


def get_user(username: str) -> User:
    user = db.session.scalar(db.select(User).where(User.username == username))
    if user is None:
        raise NotFound(f'không có người dùng "{username}"')
    return user


def get_unit(code: str) -> Unit:
    unit = db.session.scalar(db.select(Unit).where(Unit.code == code))
    if unit is None:
        raise NotFound(f'không có đơn vị mã "{code}"')
    return unit


def system_user() -> User:
    """The `system` user (no password: cannot log in), created on first use."""
    user = db.session.scalar(db.select(User).where(User.username == SYSTEM_USERNAME))
    if user is None:
        user = User(username=SYSTEM_USERNAME, full_name="Hệ thống", role="province_admin", password_hash="")
        db.session.add(user)
        db.session.flush()
    return user


def create_user(
    username: str,
    password: str,
    role: str,
    unit_code: str | None = None,
    full_name: str = "",
    *,
    actor: User | None = None,
) -> User:
    """A new user. Refuses an unknown role, unit, a taken name or a short password."""
    problems = []
    if role not in ROLES:
        problems.append(f'vai trò "{role}" không hợp lệ; chọn một trong: ' + ", ".join(ROLES))
    if not username.strip():
        problems.append("tên đăng nhập không được để trống")
    elif db.session.scalar(db.select(User.id).where(User.username == username)) is not None:
        problems.append(f'tên đăng nhập "{username}" đã có')
    if len(password) < MIN_PASSWORD:
        problems.append(f"mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự")
    unit = None
    if unit_code:
        unit = db.session.scalar(db.select(Unit).where(Unit.code == unit_code))
        if unit is None:
            problems.append(f'không có đơn vị mã "{unit_code}"')
    elif role != "province_admin":
        problems.append(f"vai trò {ROLE_LABELS.get(role, role)} cần một đơn vị")
    if problems:
        raise ServiceError("không tạo được người dùng", problems)
    user = User(username=username.strip(), full_name=full_name, role=role, unit=unit)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record("user.create", "users", user.id, user=actor or system_user(), after=audit.snapshot(user))
    return user
