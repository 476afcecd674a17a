"""`kpi user`: accounts."""

from __future__ import annotations

import click

from .appctx import with_app
from .main import help_option


@click.group("user")
@help_option
def user() -> None:
    """Người dùng: tạo tài khoản."""


@user.command("create")
@help_option
@click.argument("username")
@click.option(
    "--role",
    required=True,
    type=click.Choice(["province_admin", "ward_admin", "evaluator", "official"]),
    help="Vai trò: quản trị tỉnh, quản trị xã/phường, người đánh giá, cán bộ.",
)
@click.option("--unit", "unit_code", metavar="MÃ", help="Mã đơn vị phạm vi của người dùng.")
@click.option("--name", "full_name", default="", help="Họ và tên.")
@click.option("--password", prompt="Mật khẩu", hide_input=True, confirmation_prompt="Nhập lại mật khẩu",
              help="Mật khẩu (bỏ trống để được hỏi).")  # fmt: skip
@with_app
def create(username: str, role: str, unit_code: str | None, full_name: str, password: str) -> None:
    """Tạo người dùng USERNAME."""
    from app.models.users import ROLE_LABELS
    from app.services.users import create_user

    account = create_user(username, password, role, unit_code, full_name)
    scope = account.unit.name if account.unit else "toàn bộ"
    label = ROLE_LABELS.get(role, role).lower()
    click.echo(f"Đã tạo người dùng {account.username} (vai trò: {label}, phạm vi: {scope}).")
