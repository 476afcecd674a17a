"""`kpi serve`: the platform under gunicorn (workers, timeout, --bind); `--demo` first migrates the
database and loads the demo data, then prints the address and the demo accounts."""

from __future__ import annotations

import os

import click

from .main import CliError, help_option


def _make_app():
    from app import create_app
    from app.config import ConfigError

    try:
        return create_app()
    except ConfigError as exc:
        raise CliError(str(exc), 2) from None


def _prepare_demo(application) -> list[tuple[str, str, str, str]]:
    from flask_migrate import upgrade

    from app.extensions import db
    from app.services.demo import run_demo
    from app.services.errors import ServiceError

    with application.app_context():
        try:
            upgrade()
            report = run_demo()
            db.session.commit()
        except ServiceError as exc:
            db.session.rollback()
            raise CliError(str(exc), 1) from None
        finally:
            db.session.remove()
            db.engine.dispose()  # the workers open their own connections
    return report.accounts


def _address(bind: str) -> str:
    host, _, port = bind.rpartition(":")
    if bind.startswith("unix:"):
        return bind
    if host in ("0.0.0.0", "", "[::]"):
        host = "127.0.0.1"
    return f"http://{host}:{port}/"


@click.command("serve")
@help_option
@click.option("--bind", "-b", default="127.0.0.1:8000", show_default=True, metavar="ĐỊA_CHỈ:CỔNG",
              help="Địa chỉ lắng nghe (sau reverse proxy: 127.0.0.1:8000).")  # fmt: skip
@click.option("--workers", "-w", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Số tiến trình xử lý (gợi ý: 2 × số nhân CPU + 1).")  # fmt: skip
@click.option("--timeout", "-t", default=120, show_default=True, type=click.IntRange(5, 3600),
              help="Số giây tối đa cho một yêu cầu trước khi tiến trình bị khởi động lại.")  # fmt: skip
@click.option("--demo", is_flag=True,
              help="Nâng cấp cơ sở dữ liệu và nạp dữ liệu mẫu trước khi chạy (in các tài khoản dùng thử).")  # fmt: skip
def serve(bind: str, workers: int, timeout: int, demo: bool) -> None:
    """Chạy nền tảng (giao diện quản trị và API) bằng gunicorn."""
    from gunicorn.app.base import BaseApplication

    application = _make_app()
    if demo:
        accounts = _prepare_demo(application)
        click.echo("Tài khoản dùng thử (mật khẩu chỉ dành cho dữ liệu mẫu, đừng dùng thật):")
        click.echo(f"  {'Tên đăng nhập':<18} {'Mật khẩu':<20} {'Vai trò':<20} Đơn vị")
        for username, password, role, unit in accounts:
            click.echo(f"  {username:<18} {password:<20} {role:<20} {unit}")
    database = application.config["SQLALCHEMY_DATABASE_URI"]
    click.echo(f"Cơ sở dữ liệu: {_hide_password(database)}")
    click.echo(f"Mở trình duyệt tại: {_address(bind)}  (dừng: Ctrl+C)", nl=True)

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", bind)
            self.cfg.set("workers", workers)
            self.cfg.set("timeout", timeout)
            self.cfg.set("graceful_timeout", min(timeout, 30))
            self.cfg.set("accesslog", os.environ.get("KPI_ACCESS_LOG") or None)
            self.cfg.set("control_socket_disable", True)  # no shared socket under ~/.gunicorn
            self.cfg.set("forwarded_allow_ips", os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"))

        def load(self):
            return application

    Server().run()


def _hide_password(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "?"
