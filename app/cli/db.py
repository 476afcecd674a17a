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
    from flask_migrate import upgrade as do_upgrade

    do_upgrade(revision=revision)
    click.echo(f"Đã nâng cấp cơ sở dữ liệu lên {revision}.")


@db.command("downgrade")
@help_option
@click.option("--revision", default="-1", show_default=True, help="Phiên bản đích (base: xóa hết bảng).")
@with_app
def downgrade(revision: str) -> None:
    """Hạ cấp cơ sở dữ liệu (mặc định lùi một bước)."""
    from flask_migrate import downgrade as do_downgrade

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
