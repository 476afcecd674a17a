"""`kpi import units|people|tasks|inputs|salaries FILE [--dry-run]` and `kpi import template KIND --out FILE`."""

from __future__ import annotations

import click

from .appctx import acting_user, user_option, with_app
from .main import CliError, help_option


@click.group("import")
@help_option
def import_group() -> None:
    """Nhập đơn vị, cán bộ, nhiệm vụ, đầu vào theo kỳ từ tệp CSV/XLSX/JSON (theo mẫu)."""


def _kind_command(kind: str, help_text: str):
    @help_option
    @click.argument("file", type=click.Path(dir_okay=False))
    @click.option(
        "--dry-run", is_flag=True, help="Chỉ xem trước: báo sẽ tạo/cập nhật gì và các lỗi, không ghi."
    )
    @click.option("--source", "source_system", default=None, metavar="HỆ_THỐNG",
                  help="Hệ thống nguồn của mã nhiệm vụ (mặc định: thu-cong).")  # fmt: skip
    @user_option
    @with_app
    def command(file: str, dry_run: bool, source_system: str | None, username: str | None) -> None:
        from app.models.tasks import MANUAL_SOURCE
        from app.services.imports import import_file

        report = import_file(
            kind,
            file,
            dry_run=dry_run,
            user=acting_user(username),
            source_system=source_system or MANUAL_SOURCE,
        )
        if report.errors:
            unreadable = all(e.row is None for e in report.errors) and not report.rows
            raise CliError(report.render(), 2 if unreadable else 1)  # 2: the file itself (I/O)
        click.echo(report.render())

    command.__doc__ = help_text
    return import_group.command(kind)(command)


_kind_command("units", "Nhập đơn vị (Mã đơn vị, Tên đơn vị, Loại, Đơn vị cấp trên).")
_kind_command("people", "Nhập cán bộ (Mã cán bộ, Họ và tên, Đơn vị, Chức vụ, Lãnh đạo, …).")
_kind_command("tasks", "Nhập nhiệm vụ (Mã nhiệm vụ, Mã cán bộ, Kỳ, …, Trạng thái, …).")
_kind_command("inputs", "Nhập đầu vào theo kỳ (Mã cán bộ, Kỳ, Điểm tiêu chí chung, Kỷ luật, …).")
_kind_command("salaries", "Nhập tiền lương theo tháng (Mã cán bộ, Kỳ, Tiền lương, Ghi chú).")


@import_group.command("template")
@help_option
@click.argument("kind", type=click.Choice(["units", "people", "tasks", "inputs", "salaries"]))
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="Tệp .xlsx sẽ ghi.")
@click.option(
    "--no-catalog", is_flag=True, help="Không thêm các trường của danh mục (không cần cơ sở dữ liệu)."
)
def template(kind: str, out: str, no_catalog: bool) -> None:
    """Ghi mẫu nhập KIND (XLSX: tiêu đề, một dòng ví dụ, trang Ghi chú)."""
    from app.services.templates import template_bytes

    from .common import check_output_path, write_output

    check_output_path(out)
    extra = () if no_catalog else _catalog(kind)
    write_output(out, template_bytes(kind, extra))
    click.echo(f"Đã ghi mẫu {kind} vào {out}")


def _catalog(kind: str) -> tuple:
    """The catalog fields of `kind`, or none when the database is not there (yet)."""
    try:
        return _catalog_fields(kind)
    except CliError:
        return ()


@with_app
def _catalog_fields(kind: str) -> tuple:
    from app.services.templates import catalog_fields

    return catalog_fields(kind)
