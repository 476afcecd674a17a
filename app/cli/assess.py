"""`kpi assess …`: run an assessment over a unit subtree and a period, list, show, explain, re-pin.

Part B's workflow commands (decide, publish, lock, rollup, simulate, export…) live in
`app/cli/assess_workflow.py` (its `COMMANDS` list) and are registered in this group."""

from __future__ import annotations

import json
import os
import socket
import time

import click

from .appctx import acting_user, user_option, with_app
from .common import echo_out
from .main import CliError, help_option


@click.group("assess")
@help_option
def assess() -> None:
    """Đợt đánh giá: chạy, xem, giải thích kết quả theo đơn vị và kỳ."""


def _scope(user):
    from app.services.scope import Scope

    return Scope.of_user(user)


def _progress_bar():
    """A progress callback drawing a bar on stderr (people done / total), and its closer."""
    state = {"bar": None}

    def update(done: int, total: int) -> None:
        if state["bar"] is None:
            state["bar"] = click.progressbar(length=total, label="Đang tính", file=click.get_text_stream("stderr"),
                                             show_pos=True)  # fmt: skip
            state["bar"].__enter__()
        bar = state["bar"]
        bar.update(done - bar.pos)

    def close() -> None:
        if state["bar"] is not None:
            state["bar"].__exit__(None, None, None)

    return update, close


@assess.command("run")
@help_option
@click.argument("unit")
@click.argument("period")
@click.option("--dry-run", is_flag=True, help="Tính và so sánh, không lưu.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", help="Dạng kết quả.")
@click.option("--reason", default="", help="Lý do (bắt buộc khi chạy lại đợt đã khóa).")
@click.option("--quiet", is_flag=True, help="Không hiện thanh tiến độ.")
@user_option
@with_app
def run_command(unit, period, dry_run, fmt, reason, quiet, username) -> None:
    """Chạy đợt đánh giá đơn vị UNIT (cả các đơn vị cấp dưới) cho kỳ PERIOD (2026-01, 2026-Q1, 2026)."""
    from app.extensions import db
    from app.services import assessments

    from .evaluate import paused_gc

    owner = f"{username or 'system'}@{socket.gethostname()}:{os.getpid()}"
    with assessments.exclusive(unit, period, owner) as guard:  # before the session reads (SQLite locks)
        user = acting_user(username)
        scope = _scope(user)
        update, close = _progress_bar() if not quiet and fmt == "table" else (None, lambda: None)
        db.session.rollback()  # end the read: on SQLite its shared lock would block the progress row
        with paused_gc():  # as `kpi eval`: no cycles, and the collector would walk the loaded columns
            report = _run_tracked(unit, period, owner, guard, scope, user, dry_run, reason, update, close)
    if fmt == "json":
        echo_out(json.dumps(report_json(report), ensure_ascii=False, indent=1))
    else:
        print_report(report)


def _run_tracked(unit, period, owner, guard, scope, user, dry_run, reason, update, close):
    from app.extensions import db
    from app.services.assessments import jobs

    with jobs.Tracked(unit, period, owner) as tracker:
        try:
            report = jobs.run_job(unit, period, scope=scope, tracker=tracker, user=user, dry_run=dry_run,
                                  reason=reason, progress=update, heartbeat=guard.heartbeat)  # fmt: skip
        except BaseException:
            db.session.rollback()
            raise
        finally:
            close()
        committing = time.perf_counter()
        if report.dry_run or report.unchanged:
            db.session.rollback()
        else:
            db.session.commit()
        report.timings["commit"] = time.perf_counter() - committing
    return report


def print_report(report, *, uncovered: bool = True) -> None:
    """The table form of a run's report: status, versions, people not covered, changes, level counts."""
    a = report.assessment
    head = f"Đợt đánh giá {a.unit.code} kỳ {report.period.code}" if a else f"Kỳ {report.period.code}"
    click.echo(f"{head}: {report.status_text}")
    for v in report.versions:
        click.echo(f"  bộ quy tắc {v['code']} phiên bản {v['version']} (sha256 {v['sha256'][:12]}…)")
    for u in report.uncovered if uncovered else ():
        click.echo(f"  CHƯA ĐÁNH GIÁ {u['person']} {u['name']} ({u['unit']}): {u['reason']}", err=True)
    for ch in report.changes:
        click.echo(f"  {ch['person']}: {ch['change']} — do {'; '.join(ch['why'])}")
    counts: dict[str, int] = {}
    for row in report.rows.values():
        counts[row["level"] or "không xếp loại"] = counts.get(row["level"] or "không xếp loại", 0) + 1
    click.echo(f"  {len(report.rows)} cán bộ: " + ", ".join(f"{k}: {n}" for k, n in sorted(counts.items())))
    t = report.timings
    click.echo("  thời gian: " + ", ".join(f"{k} {v:.2f} s" for k, v in t.items()), err=True)


def report_json(report) -> dict:
    """`kpi eval --format json`'s results (its writer), plus the assessment id, revision and versions."""
    from app.tabular import writers

    from .evaluate import layout_of

    results = []
    for version, run in report.runs:
        from app.services.assessments import engine

        layout = layout_of(engine.program_of(version).ruleset)
        results += writers.to_json(run, layout)["results"]
    results.sort(key=lambda r: r["person"])
    a, rev = report.assessment, report.revision
    return {
        "assessment": a.id if a is not None and a.id else None,
        "unit": a.unit.code if a is not None else None,
        "period": report.period.code,
        "revision": rev.number if rev is not None else None,
        "status": report.status_text,
        "unchanged": report.unchanged,
        "dry_run": report.dry_run,
        "versions": report.versions,
        "uncovered": report.uncovered,
        "changes": report.changes,
        "results": results,
    }


@assess.command("list")
@help_option
@click.option("--unit", "unit", help="Chỉ các đợt của đơn vị này.")
@user_option
@with_app
def list_command(unit, username) -> None:
    """Liệt kê các đợt đánh giá trong phạm vi của người dùng."""
    from app.services import assessments
    from app.services.assessments.workflow import label

    user = acting_user(username)
    found = assessments.list_assessments(scope=_scope(user), unit_code=unit)
    if not found:
        click.echo("Chưa có đợt đánh giá nào.")
    from app.services.assessments.rollup_kind import is_rollup

    if found:
        click.echo(f"{'Số':>5}  {'Đơn vị':<12} {'Kỳ':<8} {'Loại':<10} {'Trạng thái':<33} Lần chạy")
    for a in found:
        kind = "tổng hợp" if is_rollup(a) else "đánh giá"
        click.echo(
            f"{a.id:>5}  {a.unit.code:<12} {a.period:<8} {kind:<10} {label(a.status):<33} {a.current_revision}"
        )


@assess.command("show")
@help_option
@click.argument("unit")
@click.argument("period")
@click.option("--revision", type=int, help="Lần chạy (mặc định: lần mới nhất).")
@user_option
@with_app
def show_command(unit, period, revision, username) -> None:
    """Xem kết quả đã lưu của đợt đánh giá UNIT kỳ PERIOD."""
    from app.services import assessments

    user = acting_user(username)
    from app.services.assessments.workflow import label

    a = assessments.get(unit, period, scope=_scope(user))
    rev = assessments.revision_of(a, revision)
    click.echo(f"Đợt đánh giá {a.unit.code} kỳ {a.period}, trạng thái {label(a.status)}, lần chạy {rev.number}/"
               f"{a.current_revision} ({rev.created_at:%d/%m/%Y %H:%M}, {rev.reason})")  # fmt: skip
    for v in rev.versions:
        click.echo(f"  bộ quy tắc {v['code']} phiên bản {v['version']} (sha256 {v['sha256'][:12]}…)")
    for ch in rev.changes:
        click.echo(f"  thay đổi {ch['person']}: {ch['change']} — do {'; '.join(ch['why'])}")
    for u in rev.uncovered:
        click.echo(f"  CHƯA ĐÁNH GIÁ {u['person']} {u['name']}: {u['reason']}")
    from app.services.assessments.values import shown

    lines = [f"{'Mã':<8} {'Đơn vị':<10} {'Điểm':>11}  Xếp loại"]
    for r in assessments.results_of(a, revision):
        level = r.level or "không xếp loại"
        if r.level_before_quota and r.level_before_quota != r.level:
            level += f" (trước hạn mức: {r.level_before_quota})"
        if r.decided_level:
            level += f" → quyết định: {r.decided_level} ({r.decided_reason})"
        lines.append(f"{r.person_code:<8} {r.unit_code:<10} {shown(r.score_text):>11}  {level}")
    echo_out("\n".join(lines) + "\n")


@assess.command("explain")
@help_option
@click.argument("unit")
@click.argument("period")
@click.argument("person")
@click.option("--revision", type=int, help="Lần chạy (mặc định: lần mới nhất).")
@user_option
@with_app
def explain_command(unit, period, person, revision, username) -> None:
    """Giải thích kết quả của cán bộ PERSON trong đợt đánh giá UNIT kỳ PERIOD."""
    from app.services import assessments

    user = acting_user(username)
    scope = _scope(user)
    a = assessments.get(unit, period, scope=scope)
    e = assessments.explain(a, person, scope=scope, revision=revision)
    click.echo(
        f"Cán bộ {e.person} {e.name} ({e.unit}), {a.label}, lần chạy {e.revision}, bộ quy tắc {e.version}"
    )
    for line in e.lines:
        click.echo(f"  {line}")
    from app.services.assessments.values import shown

    click.echo(f"Kết quả đã lưu: {shown(e.score)} điểm, {e.level or 'không xếp loại'}")  # 97,5: exact
    if e.decided_level:
        click.echo(f"Quyết định của người có thẩm quyền: {e.decided_level} — lý do: {e.decided_reason}")
    if not e.matches:
        raise CliError("kết quả tính lại khác kết quả đã lưu", 1)


@assess.command("repin")
@help_option
@click.argument("unit")
@click.argument("period")
@click.option("--reason", required=True, help="Lý do chuyển sang phiên bản mới (ghi nhật ký).")
@user_option
@with_app
def repin_command(unit, period, reason, username) -> None:
    """Chuyển đợt đánh giá sang các phiên bản bộ quy tắc đang có hiệu lực (áp dụng ở lần chạy sau)."""
    from app.extensions import db
    from app.services import assessments

    user = acting_user(username)
    scope = _scope(user)
    a = assessments.get(unit, period, scope=scope)
    dropped = assessments.repin(a, scope=scope, user=user, reason=reason)
    db.session.commit()
    names = ", ".join(label for label, _ in dropped) or "(không có)"
    click.echo(f"Đã bỏ ghim {names}; lần chạy sau của {a.label} dùng phiên bản đang có hiệu lực.")


@assess.command("jobs")
@help_option
@with_app
def jobs_command() -> None:
    """Các lần chạy gần đây và tiến độ (số cán bộ đã tính / tổng số)."""
    from app.services.assessments.progress import jobs

    for job in jobs():
        total = job.total or 0
        percent = f"{100 * job.done // total}%" if total else "—"
        click.echo(f"{job.id:>5}  {job.unit_code:<10} {job.period:<8} {job.status_label:<18} {job.done}/{total} "
                   f"({percent})  {job.owner}  {job.message}")  # fmt: skip


@assess.command("cancel")
@help_option
@click.argument("job_id", type=int)
@with_app
def cancel_command(job_id: int) -> None:
    """Yêu cầu dừng lần chạy JOB_ID (kết quả trước đó được giữ nguyên)."""
    from app.extensions import db
    from app.services.assessments.progress import cancel

    job = cancel(job_id)
    db.session.commit()
    click.echo(f"Đã yêu cầu dừng lần chạy {job.id} ({job.unit_code} kỳ {job.period}).")


def _register_workflow() -> None:
    import importlib
    import importlib.util

    if importlib.util.find_spec("app.cli.assess_workflow") is None:  # part B's commands not in this build
        return
    assess_workflow = importlib.import_module("app.cli.assess_workflow")
    for command in getattr(assess_workflow, "COMMANDS", []):
        assess.add_command(command)


_register_workflow()
