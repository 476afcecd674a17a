"""Running a command with the application: `with_app` creates the app from the environment
(DATABASE_URL, …), pushes an app context, runs the command as ONE transaction (committed when it
succeeds, rolled back when it fails: services never commit), and turns ServiceError into a Vietnamese
CliError."""

from __future__ import annotations

import datetime as dt
import functools
import re

import click

from .main import CliError


def with_app(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from app import create_app
        from app.services.errors import ServiceError
        from app.transaction import transaction

        application = create_app()
        with application.app_context():
            try:
                with transaction():
                    return func(*args, **kwargs)
            except ServiceError as exc:
                raise CliError(str(exc), 1) from None
            except Exception as exc:
                if type(exc).__module__.startswith("sqlalchemy"):
                    raise CliError(f"lỗi cơ sở dữ liệu: {exc.__class__.__name__}: {str(exc).splitlines()[0]}\n"
                                   "Đã chạy `kpi db upgrade` chưa?", 2) from None  # fmt: skip
                raise

    return wrapper


def parse_date(text: str) -> dt.date:
    """dd/mm/yyyy or yyyy-mm-dd, else CliError (exit 2)."""
    text = text.strip()
    try:
        if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", text):
            day, month, year = (int(p) for p in text.split("/"))
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CliError(f"ngày không hợp lệ: {text} (dùng dd/mm/yyyy hoặc yyyy-mm-dd)", 2) from None


def acting_user(username: str | None):
    """The named user, or the system user when none is given."""
    from app.services.users import get_user, system_user

    return get_user(username) if username else system_user()


def split_ref(ref: str) -> tuple[str, int]:
    """ "CODE@N" (or "CODE:N") → (code, N)."""
    match = re.fullmatch(r"(.+?)[@:](\d+)", ref.strip())
    if not match:
        raise CliError(f'"{ref}": cần dạng MÃ@PHIÊN_BẢN, ví dụ ND335-2025@1', 2)
    return match.group(1), int(match.group(2))


user_option = click.option("--user", "username", metavar="TÊN", help="Người thực hiện (mặc định: system).")
