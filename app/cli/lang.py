"""`kpi check`, `kpi test`, `kpi fmt`, `kpi diff` (and `kpi eval`, defined in app.cli.evaluate)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .common import (
    RulesetSearch,
    SourceCache,
    check_path,
    checked_ruleset,
    diagnostics_json,
    echo_out,
    expand_paths,
    read_text,
    render_diagnostics,
    rulesets_option,
    summary,
)
from .main import CliError, help_option

_FORMAT = click.Choice(["text", "json"])


@click.command("check")
@help_option
@click.argument("files", nargs=-1, required=True)
@click.option("--format", "fmt", type=_FORMAT, default="text", show_default=True, help="Dạng in lỗi.")
@rulesets_option
def check(files: tuple[str, ...], fmt: str, rulesets_dirs: tuple[str, ...]) -> None:
    """Kiểm tra bộ quy tắc (tệp hoặc thư mục): in mọi lỗi và cảnh báo (mã thoát 1 nếu có lỗi)."""
    files = tuple(expand_paths(files))
    search = RulesetSearch.of(rulesets_dirs, files)
    sources = SourceCache()
    diagnostics = []
    io_failed = 0
    for path in files:
        try:
            result = check_path(path, search)
        except CliError as exc:
            click.echo(exc.message, err=True)
            io_failed += 1
            continue
        diagnostics.extend(result.diagnostics)
    if fmt == "json":
        echo_out(diagnostics_json(diagnostics))
    else:
        if diagnostics:
            echo_out(render_diagnostics(diagnostics, sources))
        if len(files) > io_failed:
            click.echo(summary(diagnostics, len(files) - io_failed), err=True)
    if io_failed:
        raise click.exceptions.Exit(2)
    if any(d.is_error for d in diagnostics):
        raise click.exceptions.Exit(1)


@click.command("test")
@help_option
@click.argument("files", nargs=-1, required=True)
@rulesets_option
def test(files: tuple[str, ...], rulesets_dirs: tuple[str, ...]) -> None:
    """Chạy các ca kiểm thử viết trong bộ quy tắc (mã thoát 1 nếu có ca không đạt)."""
    files = tuple(expand_paths(files))
    search = RulesetSearch.of(rulesets_dirs, files)
    from dsl.testing import run_tests

    sources = SourceCache()
    passed = failed = 0
    bad_file = False
    for path in files:
        try:
            result = checked_ruleset(path, sources, search)
        except CliError as exc:
            click.echo(exc.message, err=True)
            bad_file = True
            continue
        outcomes = run_tests(result.ruleset, result.sha256, result.symbols)
        click.echo(path)
        if not outcomes:
            click.echo("  (không có ca kiểm thử)")
        for outcome in outcomes:
            if outcome.passed:
                passed += 1
                click.echo(f"  ✓ {outcome.name}")
                continue
            failed += 1
            line = f":{outcome.span.line}" if getattr(outcome, "span", None) and outcome.span.line else ""
            click.echo(f"  ✗ {outcome.name} ({path}{line})")
            for failure in outcome.failures:
                click.echo(f"      {failure}")
    click.echo(f"{passed} ca đạt, {failed} ca không đạt.")
    if bad_file:
        raise click.exceptions.Exit(1)
    if failed:
        raise click.exceptions.Exit(1)


@click.command("fmt")
@help_option
@click.argument("files", nargs=-1, required=True)
@click.option(
    "--check", "check_only", is_flag=True, help="Chỉ kiểm tra; mã thoát 1 nếu tệp chưa đúng định dạng."
)
@click.option("--write", is_flag=True, help="Ghi đè tệp bằng bản đã định dạng.")
@rulesets_option
def fmt(files: tuple[str, ...], check_only: bool, write: bool, rulesets_dirs: tuple[str, ...]) -> None:
    """Định dạng bộ quy tắc theo một cách trình bày chuẩn (chỉ đọc từng tệp: --rulesets được nhận
    cho đồng bộ với các lệnh khác nhưng không cần)."""
    files = tuple(expand_paths(files))
    from dsl.formatter import format_source

    if check_only and write:
        raise CliError("không dùng --check cùng --write", 2)
    sources = SourceCache()
    code = 0
    for path in files:
        source = read_text(path)
        sources.add(path, source)
        formatted, diagnostics = format_source(source, path)
        if formatted is None:
            click.echo(render_diagnostics(diagnostics, sources), err=True)
            code = max(code, 1)
            continue
        if check_only:
            if formatted != source:
                click.echo(f"{path}: cần định dạng lại")
                code = max(code, 1)
        elif write:
            if formatted != source:
                Path(path).write_text(formatted, encoding="utf-8")
                click.echo(f"{path}: đã định dạng lại", err=True)
        else:
            echo_out(formatted)
    if code:
        raise click.exceptions.Exit(code)


@click.command("diff")
@help_option
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=_FORMAT, default="text", show_default=True)
@rulesets_option
def diff(old: str, new: str, fmt: str, rulesets_dirs: tuple[str, ...]) -> None:
    """So sánh nội dung hai bộ quy tắc (sau khi áp dụng bộ quy tắc cấp trên); mã thoát 0: giống
    nhau, 1: khác nhau (hoặc có bộ quy tắc lỗi), 2: không đọc được tệp."""
    from dsl.diff import diff_rulesets

    sources = SourceCache()
    search = RulesetSearch.of(rulesets_dirs, (old, new))
    before = checked_ruleset(old, sources, search).ruleset
    after = checked_ruleset(new, sources, search).ruleset
    changes = diff_rulesets(before, after)
    if fmt == "json":
        echo_out(json.dumps([c.to_json() for c in changes], ensure_ascii=False, indent=2))
    elif not changes:
        click.echo("Không có thay đổi về nội dung.")
    for change in changes if fmt != "json" else ():
        click.echo(change.render())
    if changes:  # as diff(1) does: 0 the same, 1 different (2: usage or unreadable files)
        raise click.exceptions.Exit(1)
