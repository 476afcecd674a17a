"""`kpi db`: database migrations (Flask-Migrate / Alembic)."""

from __future__ import annotations

import click

from .appctx import with_app
from .main import help_option


@click.group("db")
@help_option
def db() -> None:
    """Cơ sở dữ liệu: nâng cấp, hạ cấp cấu trúc bảng (DATABASE_URL)."""


@db.command("upgrade")
@help_option
@click.option("--revision", default="head", show_default=True, help="Phiên bản cấu trúc đích.")
@with_app
def upgrade(revision: str) -> None:
    """Nâng cấp cơ sở dữ liệu lên phiên bản cấu trúc mới nhất."""
    from flask import current_app
    from flask_migrate import upgrade as do_upgrade

    from app.extensions import init_migrate

    init_migrate(current_app)
    do_upgrade(revision=revision)
    click.echo(f"Đã nâng cấp cơ sở dữ liệu lên {revision}.")


@db.command("downgrade")
@help_option
@click.option("--revision", default="-1", show_default=True, help="Phiên bản đích (base: xóa hết bảng).")
@with_app
def downgrade(revision: str) -> None:
    """Hạ cấp cơ sở dữ liệu (mặc định lùi một bước)."""
    from flask import current_app
    from flask_migrate import downgrade as do_downgrade

    from app.extensions import init_migrate

    init_migrate(current_app)
    do_downgrade(revision=revision)
    click.echo(f"Đã hạ cấp cơ sở dữ liệu về {revision}.")


@db.command("current")
@help_option
@with_app
def current() -> None:
    """In phiên bản cấu trúc hiện tại của cơ sở dữ liệu."""
    from alembic.migration import MigrationContext

    from app.extensions import db as database

    with database.engine.connect() as conn:
        revision = MigrationContext.configure(conn).get_current_revision()
    click.echo(revision or "(chưa có bảng nào: chạy kpi db upgrade)")


@db.command("roles")
@help_option
@click.option("--owner", default="kpi_owner", show_default=True, help="Vai trò sở hữu bảng (chạy di chuyển).")
@click.option("--app", "app_role", default="kpi_app", show_default=True, help="Vai trò ứng dụng kết nối.")
@click.option(
    "--apply", "do_apply", is_flag=True, help="Thực thi ngay trên DATABASE_URL (cần quyền quản trị)."
)
@with_app
def roles(owner: str, app_role: str, do_apply: bool) -> None:
    """In (hoặc thực thi với --apply) SQL tạo vai trò PostgreSQL: chủ sở hữu và ứng dụng với quyền tối thiểu."""
    import sqlalchemy as sa

    from app.extensions import db as database
    from app.services.db_roles import script, statements

    from .main import CliError

    engine = database.engine
    if engine.dialect.name != "postgresql":
        raise CliError("kpi db roles chỉ dành cho PostgreSQL (DATABASE_URL=postgresql://…)", 2)
    name = engine.url.database or ""
    if not do_apply:
        click.echo(script(name, owner, app_role), nl=False)
        return
    with engine.begin() as conn:
        for sql in statements(name, owner, app_role):
            conn.execute(sa.text(sql))
    click.echo(
        f"Đã áp dụng vai trò: {owner} sở hữu bảng (chạy kpi db upgrade bằng vai trò này), "
        f"{app_role} cho ứng dụng (không TRUNCATE, không ALTER, nhật ký chỉ ghi thêm).\n"
        f"Đặt mật khẩu: ALTER ROLE {app_role} PASSWORD '…' (và cho {owner}: ALTER ROLE {owner} LOGIN PASSWORD '…')."
    )
