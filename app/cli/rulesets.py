"""`kpi rulesets`: rulesets in the database (load, list, show, diff, save, publish, adopt, resolve, …)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .appctx import acting_user, parse_date, split_ref, user_option, with_app
from .main import CliError, help_option

STATUS = {"draft": "bản nháp", "published": "đã công bố", "retired": "ngừng áp dụng"}


@click.group("rulesets")
@help_option
def rulesets() -> None:
    """Bộ quy tắc trong cơ sở dữ liệu: nạp, xem, so sánh, công bố, áp dụng, xác định hiệu lực."""


def _version(ref: str):
    from app.services import rulesets as svc

    code, number = split_ref(ref)
    return svc.version_by_code(code, number)


@rulesets.command("load")
@help_option
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@with_app
def load(directory: str | None) -> None:
    """Nạp và công bố các bộ quy tắc có sẵn (thư mục rulesets/ hoặc KPI_RULESETS_DIR)."""
    from flask import current_app

    from app.services.loader import load_shipped

    report = load_shipped(directory or current_app.config["KPI_RULESETS_DIR"])
    for unit in report.created_units:
        click.echo(f"  + đơn vị {unit}")
    for line in report.loaded:
        click.echo(f"  + {line}")
    click.echo(f"Đã nạp {len(report.loaded)} bộ quy tắc; {len(report.unchanged)} không đổi.")
    if report.errors:
        raise CliError("Lỗi:\n" + "\n".join(f"  - {e}" for e in report.errors), 1)


@rulesets.command("list")
@help_option
@click.option("--code", help="Chỉ bộ quy tắc có mã này.")
@click.option("--status", type=click.Choice(list(STATUS)), help="Chỉ phiên bản có trạng thái này.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@with_app
def list_(code: str | None, status: str | None, fmt: str) -> None:
    """Liệt kê các phiên bản bộ quy tắc."""
    from app.services import rulesets as svc

    rows = [_row(v) for v in svc.list_versions(code, status)]
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("Chưa có bộ quy tắc nào. Chạy: kpi rulesets load")
    for r in rows:
        period = f"{r['effective_from'] or '…'} → {r['effective_to'] or '…'}"
        ref, owner = f"{r['ruleset']}@{r['version']}", r["owner_unit"] or "quốc gia"
        click.echo(f"{ref:<22} {STATUS[r['status']]:<14} {owner:<18} {period}  {r['title']}")


def _row(v) -> dict:
    from app.services.serialize import version_json

    return version_json(v)


@rulesets.command("show")
@help_option
@click.argument("ref", metavar="MÃ@PHIÊN_BẢN")
@click.option("--source", is_flag=True, help="In mã nguồn.")
@with_app
def show(ref: str, source: bool) -> None:
    """Thông tin một phiên bản (và mã nguồn với --source)."""
    v = _version(ref)
    if source:
        click.echo(v.source, nl=False)
        return
    row = _row(v)
    click.echo(f"{v.label}: {v.title}")
    click.echo(f"  trạng thái: {STATUS[v.status]}; đơn vị: {row['owner_unit'] or 'quốc gia'}")
    click.echo(
        f"  hiệu lực: {row['effective_from'] or '…'} → {row['effective_to'] or '…'}; kỳ: {v.period or '?'}"
    )
    click.echo(f"  đối tượng: {', '.join(v.subjects) or 'mọi đối tượng'}")
    for link in v.legal_bases:
        click.echo(f"  căn cứ: {link.legal_basis.number} điều {', '.join(link.articles)}")
    if v.adoption:
        click.echo(f"  áp dụng: {v.adoption.adopted.label}; đặt: {v.adoption.overrides}")
    click.echo(f"  sha256: {v.sha256}")
    who = v.publisher.username if v.publisher else "-"
    click.echo(f"  tác giả: {v.author.username if v.author else '-'}; công bố: {who} {v.published_at or ''}")


@rulesets.command("diff")
@help_option
@click.argument("old", metavar="MÃ@PHIÊN_BẢN")
@click.argument("new", metavar="MÃ@PHIÊN_BẢN")
@with_app
def diff(old: str, new: str) -> None:
    """Khác biệt về ý nghĩa giữa hai phiên bản."""
    from app.services import rulesets as svc

    changes = svc.diff(_version(old), _version(new))
    for change in changes:
        click.echo(change.render())
    if not changes:
        click.echo("Không có khác biệt về ý nghĩa.")


@rulesets.command("save")
@help_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--unit", "unit_code", metavar="MÃ", help="Đơn vị sở hữu (bỏ trống: cấp quốc gia).")
@user_option
@with_app
def save(file: str, unit_code: str | None, username: str | None) -> None:
    """Lưu tệp FILE thành bản nháp (mã và phiên bản lấy từ đầu tệp)."""
    from app.services import rulesets as svc
    from app.services.users import get_unit

    from .common import read_text

    unit = get_unit(unit_code) if unit_code else None
    version = svc.save_draft(read_text(file), acting_user(username), unit)
    for line in svc.render(version.check.diagnostics):
        click.echo(line)
    click.echo(f"Đã lưu bản nháp {version.label}.")


@rulesets.command("new-draft")
@help_option
@click.argument("ref", metavar="MÃ@PHIÊN_BẢN")
@user_option
@with_app
def new_draft(ref: str, username: str | None) -> None:
    """Tạo bản nháp mới (phiên bản kế tiếp) từ một phiên bản."""
    from app.services import rulesets as svc

    version = svc.new_draft_from(_version(ref).id, acting_user(username))
    click.echo(f"Đã tạo bản nháp {version.label}.")


@rulesets.command("publish")
@help_option
@click.argument("ref", metavar="MÃ@PHIÊN_BẢN")
@click.option("--from", "effective_from", metavar="NGÀY", help="Ngày bắt đầu hiệu lực (thay đầu tệp).")
@user_option
@with_app
def publish(ref: str, effective_from: str | None, username: str | None) -> None:
    """Công bố một bản nháp (kiểm tra và chạy kiểm thử trước)."""
    from app.services import rulesets as svc

    day = parse_date(effective_from) if effective_from else None
    version = svc.publish(_version(ref).id, acting_user(username), day)
    click.echo(f"Đã công bố {version.label}.")
    stale = [item for item in svc.needs_review() if item.newer.id == version.id]
    if stale:
        click.echo(f"{len(stale)} đơn vị đang áp dụng phiên bản cũ, cần xem lại:")
        for item in stale:
            click.echo(f"  - {item.describe()}")


@rulesets.command("retire")
@help_option
@click.argument("ref", metavar="MÃ@PHIÊN_BẢN")
@user_option
@with_app
def retire(ref: str, username: str | None) -> None:
    """Ngừng áp dụng một phiên bản đã công bố."""
    from app.services import rulesets as svc

    version = svc.retire(_version(ref).id, acting_user(username))
    click.echo(f"Đã ngừng áp dụng {version.label}.")


@rulesets.command("adopt")
@help_option
@click.argument("ref", metavar="MÃ@PHIÊN_BẢN")
@click.option("--unit", "unit_code", required=True, metavar="MÃ", help="Đơn vị (xã/phường) áp dụng.")
@click.option(
    "--set", "settings", multiple=True, metavar="THAM_SỐ=GIÁ_TRỊ", help="Đặt tham số (lặp lại được)."
)
@click.option("--publish", "and_publish", is_flag=True, help="Công bố ngay sau khi lưu.")
@user_option
@with_app
def adopt(
    ref: str, unit_code: str, settings: tuple[str, ...], and_publish: bool, username: str | None
) -> None:
    """Đơn vị áp dụng bộ quy tắc cấp trên, đặt các tham số được phép."""
    from app.services import rulesets as svc
    from app.services.users import get_unit

    overrides = {}
    for item in settings:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise CliError(f'"{item}": cần dạng THAM_SỐ=GIÁ_TRỊ', 2)
        overrides[name.strip()] = value.strip()
    user = acting_user(username)
    version = svc.adopt(get_unit(unit_code), _version(ref), overrides, user)
    click.echo(f"Đã lưu bản nháp {version.label}.")
    if and_publish:
        svc.publish(version.id, user)
        click.echo(f"Đã công bố {version.label}.")


@rulesets.command("resolve")
@help_option
@click.option("--person", "person_code", metavar="MÃ", help="Mã cán bộ.")
@click.option("--unit", "unit_code", metavar="MÃ", help="Mã đơn vị.")
@click.option("--date", "day", required=True, metavar="NGÀY", help="Ngày (dd/mm/yyyy hoặc yyyy-mm-dd).")
@click.option("--subject", help='Đối tượng, ví dụ "công chức".')
@click.option("--period", type=click.Choice(["tháng", "quý", "năm"]), help="Loại kỳ.")
@with_app
def resolve(person_code, unit_code, day, subject, period) -> None:
    """Phiên bản có hiệu lực cho một cán bộ hoặc đơn vị vào một ngày."""
    from app.extensions import db
    from app.models import Person
    from app.services import rulesets as svc
    from app.services.users import get_unit

    if bool(person_code) == bool(unit_code):
        raise CliError("cần đúng một trong --person hoặc --unit", 2)
    if person_code:
        target = db.session.scalar(db.select(Person).where(Person.code == person_code))
        if target is None:
            raise CliError(f'không có cán bộ mã "{person_code}"', 1)
    else:
        target = get_unit(unit_code)
    version = svc.resolve(target, parse_date(day), subject, period=period)
    click.echo(f"{version.ruleset.code}@{version.version}  {version.title}")


@rulesets.command("review")
@help_option
@with_app
def review() -> None:
    """Các đơn vị cần xem lại vì cấp trên đã công bố phiên bản mới hơn."""
    from app.services import rulesets as svc

    items = svc.needs_review()
    for item in items:
        click.echo(item.describe())
    if not items:
        click.echo("Không có đơn vị nào cần xem lại.")


@rulesets.command("export")
@help_option
@click.argument("codes", nargs=-1, metavar="[MÃ]...")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Tệp YAML (mặc định: in ra).")
@with_app
def export(codes: tuple[str, ...], output: str | None) -> None:
    """Xuất gói (YAML) các bộ quy tắc đã công bố, căn cứ pháp lý và danh mục trường."""
    from app.services.bundles import export_bundle

    text = export_bundle(list(codes) or None)
    if output:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"Đã xuất gói vào {output}.")
    else:
        click.echo(text, nl=False)


@rulesets.command("import")
@help_option
@click.argument("file", type=click.Path(dir_okay=False))
@user_option
@with_app
def import_(file: str, username: str | None) -> None:
    """Nhập một gói (YAML): kiểm tra mã băm; không ghi đè phiên bản đã công bố; tất cả hoặc không gì."""
    from app.services.bundles import import_bundle

    from .common import read_text

    added = import_bundle(read_text(file), acting_user(username))
    for line in added:
        click.echo(f"  + {line}")
    click.echo(f"Đã nhập {len(added)} mục." if added else "Không có gì mới để nhập.")
