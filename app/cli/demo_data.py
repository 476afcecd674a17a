"""`kpi demo`: load the demo data set (idempotent) and print the demo accounts."""

from __future__ import annotations

import click

from .appctx import with_app
from .main import help_option


@click.command("demo")
@help_option
@click.option("--rulesets", "rulesets_dir", default=None, type=click.Path(file_okay=False),
              help="Thư mục bộ quy tắc (mặc định: rulesets/ của dự án hoặc KPI_RULESETS_DIR).")  # fmt: skip
@with_app
def demo(rulesets_dir: str | None) -> None:
    """Nạp dữ liệu mẫu: tỉnh Thanh Hóa, phường Hạc Thành, phường Đông Sơn (chạy lại không nhân đôi)."""
    from app.services.demo import DEMO_SYSTEM, run_demo

    report = run_demo(rulesets_dir)
    for item in report.imports:
        click.echo(item.summary())
    if report.rulesets is not None:
        loaded, same = len(report.rulesets.loaded), len(report.rulesets.unchanged)
        click.echo(f"Bộ quy tắc: nạp {loaded}, đã có {same}.")
        for error in report.rulesets.errors:
            click.echo(f"  lỗi: {error}", err=True)
    for note in report.notes:
        click.echo(f"  - {note}")
    click.echo("\nTài khoản dùng thử (mật khẩu chỉ dành cho dữ liệu mẫu, đừng dùng thật):")
    click.echo(f"  {'Tên đăng nhập':<18} {'Mật khẩu':<20} {'Vai trò':<20} Đơn vị")
    for username, password, role, unit in report.accounts:
        click.echo(f"  {username:<18} {password:<20} {role:<20} {unit}")
    click.echo(f"\nMã truy cập API của hệ thống {DEMO_SYSTEM} (phường Hạc Thành và cấp dưới):")
    click.echo(f"  {report.token}")
    click.echo(
        "  Ví dụ: curl -H 'Authorization: Bearer " + report.token + "' http://localhost:5000/api/v1/units"
    )
