"""`kpi assess open|comment|review|decide|publish|lock|rollup|simulate|export`: the workflow of Điều 22,
roll-ups, what-if simulations and reports. Registered in the `kpi assess` group (app/cli/assess.py) from
`COMMANDS`. Services flush; `with_app` owns the one commit (or rollback) of each command."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .appctx import acting_user, user_option, with_app
from .common import echo_out
from .main import CliError, help_option

unit_argument = click.argument("unit")
SHOWN = 20  # people listed by name before "… và N người khác"
period_argument = click.argument("period")


def sentence(text: str) -> str:
    """`text` starting a sentence: its first letter capitalised ("đợt đánh giá …" → "Đợt đánh giá …")."""
    return text[:1].upper() + text[1:]


def _context(unit: str, period: str, username: str | None):
    from app.services import assessments
    from app.services.scope import Scope

    user = acting_user(username)
    scope = Scope.of_user(user)
    return user, scope, assessments.get(unit, period, scope=scope)


def _step(name: str, help_text: str, done: str, *, note: bool = False):
    @help_option
    @unit_argument
    @period_argument
    @user_option
    @with_app
    def command(unit: str, period: str, username: str | None, **options) -> None:
        from app.services.assessments import workflow

        user, scope, assessment = _context(unit, period, username)
        getattr(workflow, name)(assessment, user, scope=scope, **options)
        click.echo(f"{sentence(assessment.label)}: {done} (bước: {workflow.label(assessment.status)}).")

    command.__doc__ = help_text
    if note:
        command = click.option(
            "--note", default="", metavar="GHI_CHÚ", help="Ghi chú của bước rà soát (ghi nhật ký)."
        )(command)
    return click.command(name.replace("_", "-") if name != "open_feedback" else "open")(command)


open_command = _step(
    "open_feedback", "Mở lấy tự đánh giá và ý kiến của cán bộ (sau khi đã tính).", "đã mở lấy ý kiến"
)
review_command = _step(
    "review", "Rà soát kết quả sau khi lấy tự đánh giá và ý kiến.", "đã rà soát", note=True
)
publish_command = _step("publish", "Công bố kết quả đã quyết định tới cán bộ của đơn vị.", "đã công bố")
lock_command = _step(
    "lock", "Khóa đợt đánh giá đã công bố (sửa sau đó cần lần chạy mới có lý do).", "đã khóa"
)


@click.command("comment")
@help_option
@unit_argument
@period_argument
@click.argument("person")
@click.argument("text")
@click.option("--self", "own", is_flag=True, help="Tự đánh giá (chỉ chính cán bộ PERSON).")
@user_option
@with_app
def comment_command(unit, period, person, text, own, username) -> None:
    """Ghi tự đánh giá (--self) hoặc ý kiến về kết quả của cán bộ PERSON."""
    from app.models.feedback import COMMENT, SELF_ASSESSMENT
    from app.services import assessments
    from app.services.assessments import workflow
    from app.services.scope import Scope

    user = acting_user(username)
    # an official of a sub-unit comments on the assessment of the unit above: the service checks that
    # the person's result lies in the user's scope (and, for a self-assessment, that it is their own)
    assessment = assessments.get(unit, period, scope=Scope.everything())
    workflow.add_feedback(assessment, user, person, text, kind=SELF_ASSESSMENT if own else COMMENT)
    click.echo(f"Đã ghi {'tự đánh giá' if own else 'ý kiến'} của {user.username} về cán bộ {person}.")


@click.command("decide")
@help_option
@unit_argument
@period_argument
@click.option("--person", "person", metavar="MÃ_CÁN_BỘ", help="Cán bộ có xếp loại được thay đổi.")
@click.option("--level", metavar="MỨC", help='Mức xếp loại quyết định, ví dụ "Hoàn thành tốt nhiệm vụ".')
@click.option("--reason", default="", metavar="LÝ_DO", help="Lý do bằng văn bản (bắt buộc khi đổi mức).")
@user_option
@with_app
def decide_command(unit, period, person, level, reason, username) -> None:
    """Quyết định xếp loại: giữ kết quả tính, hoặc đổi mức của một cán bộ kèm lý do."""
    from app.services.assessments import workflow

    if bool(person) != bool(level):
        raise CliError("--person và --level phải đi cùng nhau", 2)
    user, scope, assessment = _context(unit, period, username)
    made = workflow.decide(assessment, user, {person: (level, reason)} if person else None, scope=scope)
    for change in made:
        if change["computed"] == change["decided"]:
            click.echo(f"  {change['person']}: giữ {change['decided']}")
        else:
            click.echo(
                f"  {change['person']}: {change['computed']} → {change['decided']} (lý do: {change['reason']})"
            )
        for warning in change.get("over_quota", []):
            click.echo(f"  lưu ý: {warning}", err=True)
    click.echo(f"{sentence(assessment.label)}: đã quyết định xếp loại.")


@click.command("rollup")
@help_option
@unit_argument
@period_argument
@click.option("--dry-run", is_flag=True, help="Tính và so sánh, không lưu.")
@click.option("--reason", default="", help="Lý do (bắt buộc khi tổng hợp lại bản đã khóa).")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "xlsx"]), default="table", help="Dạng kết quả."
)
@click.option("--output", metavar="TỆP", help="Ghi kết quả vào tệp (bắt buộc với xlsx).")
@user_option
@with_app
def rollup_command(unit, period, dry_run, reason, fmt, output, username) -> None:
    """Tổng hợp quý/năm (2026-Q1, 2026) từ kết quả các kỳ đã lưu, theo bộ quy tắc tổng hợp đang áp dụng,
    và lưu thành đợt đánh giá của kỳ đó (lần chạy, giải thích, quyết định, công bố, khóa như mọi đợt)."""
    import os
    import socket

    from app.extensions import db
    from app.services import assessments
    from app.services.assessments import rollup_run
    from app.services.scope import Scope
    from app.tabular import writers

    from .assess import print_report, report_json
    from .evaluate import layout_of

    if fmt == "xlsx" and not output:
        raise CliError("dạng xlsx cần --output TỆP.xlsx", 2)
    owner = f"{username or 'system'}@{socket.gethostname()}:{os.getpid()}"
    with assessments.exclusive(unit, period, owner):  # before the session reads (SQLite locks)
        try:
            user = acting_user(username)
            report = rollup_run.run(
                unit, period, scope=Scope.of_user(user), user=user, dry_run=dry_run, reason=reason
            )
        except BaseException:
            db.session.rollback()  # end the transaction before the lock is released
            raise
        if report.dry_run or report.unchanged:
            db.session.rollback()
        else:
            db.session.commit()
    lines = [f"{u['person']} {u['name']} ({u['unit']}): {u['reason']}" for u in report.uncovered]
    for line in lines[:SHOWN]:
        click.echo(f"CHƯA TỔNG HỢP {line}", err=True)
    if len(lines) > SHOWN:
        click.echo(f"… và {len(lines) - SHOWN} người khác chưa tổng hợp", err=True)
    if fmt == "json":
        echo_out(json.dumps(report_json(report), ensure_ascii=False, indent=1))
        return
    print_report(report, uncovered=False)
    texts = []
    for version, result in report.runs:
        layout = layout_of(version_ruleset(version))
        if fmt == "xlsx":
            target = (
                output
                if len(report.runs) == 1
                else str(Path(output).with_stem(f"{Path(output).stem}-{version.ruleset.code}"))
            )
            writers.write_xlsx(result, layout, target)
            texts.append(f"Đã ghi {len(result.results)} kết quả ({version.label}) vào {target}")
        else:
            texts.append(writers.format_table(result, layout))
    echo_out("\n".join(texts) + "\n")


def version_ruleset(version):
    from app.services.assessments import engine

    return engine.program_of(version).ruleset


@click.command("simulate")
@help_option
@unit_argument
@period_argument
@click.option(
    "--ruleset",
    "ruleset_file",
    metavar="TỆP",
    type=click.Path(dir_okay=False),
    help="Tệp bộ quy tắc (bản nháp) để thử.",
)
@click.option("--version", "version_ref", metavar="MÃ@N", help="Phiên bản đã lưu để thử, ví dụ ND335-2025@2.")
@click.option(
    "--param",
    "param_options",
    multiple=True,
    metavar="TÊN=GIÁ_TRỊ",
    help="Tham số đề xuất: TÊN=GIÁ_TRỊ (lặp lại được).",
)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", help="Dạng kết quả.")
@user_option
@with_app
def simulate_command(unit, period, ruleset_file, version_ref, param_options, fmt, username) -> None:
    """Mô phỏng: chạy bộ quy tắc khác hoặc tham số đề xuất trên dữ liệu đã lưu của đợt đánh giá; không lưu gì."""
    from app.services.assessments import simulate
    from app.services.assessments.queries import pinned_versions
    from app.services.assessments.values import shown

    from .appctx import split_ref
    from .evaluate import parse_param_options

    if ruleset_file and version_ref:
        raise CliError("chọn --ruleset hoặc --version, không cả hai", 2)
    user, scope, assessment = _context(unit, period, username)
    candidate = None
    if ruleset_file:
        try:
            source = Path(ruleset_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CliError(f"{ruleset_file}: không đọc được tệp ({exc})", 2) from None
        candidate = simulate.candidate_from_source(source, ruleset_file)
    elif version_ref:
        candidate = simulate.candidate_from_version(*split_ref(version_ref))
    params = {}
    if param_options:
        versions = pinned_versions(assessment)
        ruleset = candidate[0].ruleset if candidate is not None else version_ruleset(versions[0])
        params = parse_param_options(param_options, ruleset)
    sim = simulate.simulate(assessment, scope=scope, candidate=candidate, params=params)
    if fmt == "json":
        echo_out(json.dumps(sim.to_json(), ensure_ascii=False, indent=1, default=str))
        return
    lines = [f"Mô phỏng {assessment.label} (lần chạy {assessment.current_revision}) với {sim.candidate}: "
             f"{sim.changed} cán bộ đổi xếp loại; không lưu gì."]  # fmt: skip
    for u in sorted(sim.units.values(), key=lambda x: x.unit):
        lines.append(f"\nĐơn vị {u.unit}: {u.people} cán bộ")
        for level in sorted(set(u.before) | set(u.after)):
            lines.append(f"  {level}: {u.before.get(level, 0)} → {u.after.get(level, 0)}")
        lines.append(f"  bị hạ do hạn mức: {u.quota_before} → {u.quota_after}")
        for c in u.changes:
            before, after = shown(c.score_before), shown(c.score_after)
            lines.append(
                f"  {c.person} {c.name}: {before} điểm, {c.level_before} → {after} điểm, {c.level_after}"
            )
    echo_out("\n".join(lines) + "\n")


@click.command("export")
@help_option
@unit_argument
@period_argument
@click.option("--kind", "kind", type=click.Choice(["results", "sheets", "income"]), default="results",
              help="results: bảng kết quả (XLSX); sheets: phiếu đánh giá (PDF); income: bảng thu nhập tăng thêm của quý (XLSX).")  # fmt: skip
@click.option(
    "--person", "persons", multiple=True, metavar="MÃ_CÁN_BỘ", help="Chỉ phiếu của cán bộ này (lặp lại được)."
)
@click.option(
    "--out",
    "out",
    required=True,
    metavar="TỆP",
    type=click.Path(dir_okay=False),
    help="Tệp sẽ ghi (.xlsx hoặc .pdf).",
)
@user_option
@with_app
def export_command(unit, period, kind, persons, out, username) -> None:
    """Xuất báo cáo của đợt đánh giá UNIT kỳ PERIOD (hoặc bảng thu nhập tăng thêm của quý PERIOD)."""
    from app.services.assessments import exports, income, reports_pdf, reports_xlsx
    from app.services.scope import Scope

    user = acting_user(username)
    if kind == "income":
        sheet = income.payment_sheet(unit, period, scope=Scope.of_user(user))
        data = income.sheet_bytes(sheet)
        for problem in sheet.problems:
            click.echo(f"  CẦN BỔ SUNG {problem}", err=True)
        what = f"bảng thu nhập tăng thêm ({len(sheet.lines)} cán bộ)"
    else:
        from app.services import assessments

        scope = Scope.of_user(user)
        # an official reads the assessment of the unit above once published (checked by the service)
        lookup = Scope.everything(user.username) if user.role == "official" else scope
        assessment = assessments.get(unit, period, scope=lookup)
        if kind == "results":
            data = reports_xlsx.results_bytes(exports.unit_sheet(assessment, scope=scope, user=user))
            what = "bảng kết quả"
        else:
            sheets = exports.person_sheets(assessment, scope=scope, codes=list(persons) or None, user=user)
            data = reports_pdf.people_pdf(sheets)
            what = f"{len(sheets)} phiếu đánh giá"
    try:
        Path(out).write_bytes(data)
    except OSError as exc:
        raise CliError(f"{out}: không ghi được tệp ({exc.strerror or exc})", 2) from None
    click.echo(f"Đã ghi {what} vào {out}")


COMMANDS = [open_command, comment_command, review_command, decide_command, publish_command, lock_command,
            rollup_command, simulate_command, export_command]  # fmt: skip
