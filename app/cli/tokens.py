"""`kpi token create|list|revoke`: API tokens for other systems (the secret is printed once)."""

from __future__ import annotations

import datetime as dt

import click

from .appctx import acting_user, parse_date, user_option, with_app
from .main import help_option


@click.group("token")
@help_option
def token() -> None:
    """Mã truy cập API cho các hệ thống khác: tạo, liệt kê, thu hồi."""


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
@click.option("--read-only", is_flag=True, help="Chỉ đọc (không ghi được nhiệm vụ, cán bộ, đầu vào).")
@click.option("--expires", metavar="NGÀY", help="Hết hạn từ đầu ngày này (dd/mm/yyyy hoặc yyyy-mm-dd).")
@user_option
@with_app
def create(unit_code: str, system: str, read_only: bool, expires: str | None, username: str | None) -> None:
    """Tạo mã truy cập API (chỉ hiện một lần)."""
    from app.services.api_tokens import ACCESS_LABELS, create_token

    expires_at = dt.datetime.combine(parse_date(expires), dt.time()) if expires else None
    row, secret = create_token(unit_code, system, user=acting_user(username),
                               access="read" if read_only else "write", expires_at=expires_at)  # fmt: skip
    until = f", hết hạn {row.expires_at:%d/%m/%Y}" if row.expires_at else ""
    click.echo(f"Mã truy cập số {row.id} của hệ thống {row.name} (đơn vị {row.unit.code} và cấp dưới, "
               f"{ACCESS_LABELS[row.access]}{until}):")  # fmt: skip
    click.echo(secret)
    click.echo("Lưu lại ngay: mã chỉ hiện một lần. Gửi kèm tiêu đề: Authorization: Bearer <mã>")


def _when(value) -> str:
    return f"{value:%d/%m/%Y %H:%M}" if value else "-"


@token.command("list")
@help_option
@with_app
def list_() -> None:
    """Liệt kê mã truy cập (số, đầu mã, hệ thống, đơn vị, quyền, hạn, lần dùng cuối, trạng thái)."""
    from app.services.api_tokens import ACCESS_LABELS, list_tokens, status

    rows = list_tokens()
    if not rows:
        click.echo("Chưa có mã truy cập nào.")
        return
    click.echo(f"{'Số':>4}  {'Đầu mã':<14}{'Hệ thống':<20}{'Đơn vị':<10}{'Quyền':<12}"
               f"{'Hết hạn':<18}{'Dùng lần cuối':<18}Trạng thái")  # fmt: skip
    for t in rows:
        click.echo(f"{t.id:>4}  {t.prefix + '…':<14}{t.name:<20}{t.unit.code:<10}{ACCESS_LABELS[t.access]:<12}"
                   f"{_when(t.expires_at):<18}{_when(t.last_used_at):<18}{status(t)}")  # fmt: skip


@token.command("revoke")
@help_option
@click.argument("ref", metavar="SỐ|ĐẦU_MÃ")
@user_option
@with_app
def revoke(ref: str, username: str | None) -> None:
    """Thu hồi một mã truy cập (theo số hoặc đầu mã trong `kpi token list`)."""
    from app.services.api_tokens import find_token
    from app.services.api_tokens import revoke as revoke_token

    row = revoke_token(find_token(ref).id, user=acting_user(username))
    click.echo(f"Đã thu hồi mã truy cập số {row.id} ({row.prefix}…) của hệ thống {row.name}.")
