"""`kpi token create --unit CODE --system NAME`: an API token for another system, printed once."""

from __future__ import annotations

import click

from .appctx import acting_user, user_option, with_app
from .main import help_option


@click.group("token")
@help_option
def token() -> None:
    """Mã truy cập API cho các hệ thống khác."""


@token.command("create")
@help_option
@click.option(
    "--unit",
    "unit_code",
    required=True,
    metavar="MÃ",
    help="Đơn vị: mã truy cập chỉ dùng trong đơn vị này và cấp dưới.",
)
@click.option(
    "--system", "system", required=True, metavar="TÊN", help="Tên hệ thống gọi API (nguồn của mã nhiệm vụ)."
)
@user_option
@with_app
def create(unit_code: str, system: str, username: str | None) -> None:
    """Tạo mã truy cập API (chỉ hiện một lần)."""
    from app.services.api_tokens import create_token

    row, secret = create_token(unit_code, system, user=acting_user(username))
    click.echo(f"Mã truy cập của hệ thống {row.name} (đơn vị {row.unit.code} và cấp dưới):")
    click.echo(secret)
    click.echo("Lưu lại ngay: mã chỉ hiện một lần. Gửi kèm tiêu đề: Authorization: Bearer <mã>")
