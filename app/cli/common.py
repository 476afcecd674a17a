"""Helpers shared by the language commands: reading rulesets, checking them, printing diagnostics."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from .main import CliError


def read_bytes(path: str) -> bytes:
    """A file's bytes, or CliError exit 2 with a Vietnamese message (missing, a folder, unreadable)."""
    p = Path(path)
    if not p.exists():
        raise CliError(f"{path}: không tìm thấy tệp", 2)
    if p.is_dir():
        raise CliError(f"{path}: đây là một thư mục, không phải tệp", 2)
    try:
        return p.read_bytes()
    except PermissionError:
        raise CliError(f"{path}: không có quyền đọc tệp", 2) from None
    except OSError as exc:
        raise CliError(f"{path}: không đọc được tệp ({exc.strerror or exc})", 2) from None


def read_text(path: str) -> str:
    """A text file (UTF-8, BOM allowed), or CliError exit 2 with a Vietnamese message."""
    try:
        return read_bytes(path).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CliError(f"{path}: tệp không phải văn bản UTF-8", 2) from None


def expand_paths(paths: tuple[str, ...]) -> list[str]:
    """Files as given; a directory stands for the *.kpi files under it (sorted)."""
    out: list[str] = []
    for path in paths:
        p = Path(path)
        if p.is_dir():
            found = sorted(str(f) for f in p.rglob("*.kpi"))
            if not found:
                raise CliError(f"{path}: thư mục không có tệp .kpi nào", 2)
            out.extend(found)
        else:
            out.append(path)
    return out


RULESETS_ENV = "KPI_RULESETS_DIR"

rulesets_option = click.option(
    "--rulesets",
    "rulesets_dirs",
    multiple=True,
    type=click.Path(file_okay=False, exists=True),
    help=f"Thư mục tìm bộ quy tắc được áp dụng (lặp lại được; thêm vào biến môi trường {RULESETS_ENV}).",
)


@dataclass(frozen=True, slots=True)
class RulesetSearch:
    """Where adopted rulesets are looked for: --rulesets folders, then KPI_RULESETS_DIR (folders
    separated by the system's path separator), and the files named on the command line; each file
    adds its own `rulesets` ancestor (else its folder). Never the working folder alone."""

    dirs: tuple[str, ...] = ()
    files: tuple[str, ...] = ()

    @staticmethod
    def of(options: tuple[str, ...], files) -> RulesetSearch:
        env = [d for d in os.environ.get(RULESETS_ENV, "").split(os.pathsep) if d.strip()]
        return RulesetSearch((*options, *env), tuple(files))

    def resolver_for(self, path: str):
        from dsl.resolver import default_resolver_for

        return default_resolver_for(path, self.dirs, self.files)


def check_path(path: str, search: RulesetSearch | None = None):
    """dsl.pipeline.check_file on `path`, after making sure the file can be read (else exit 2). A file
    that is not UTF-8 is a diagnostic (E0005) like the others, not an I/O failure."""
    read_bytes(path)
    from dsl.pipeline import check_file

    search = search or RulesetSearch.of((), (path,))
    return check_file(path, search.resolver_for(path))


class SourceCache:
    """Sources by file name, for rendering diagnostics that point into adopted files too."""

    def __init__(self) -> None:
        self._sources: dict[str, str | None] = {}

    def add(self, name: str, source: str) -> None:
        self._sources[name] = source

    def get(self, name: str) -> str | None:
        if name not in self._sources:
            try:
                # undecodable bytes shown as U+FFFD: E0005 still gets its line and caret
                self._sources[name] = Path(name).read_bytes().decode("utf-8-sig", errors="replace")
            except (OSError, UnicodeDecodeError):
                self._sources[name] = None
        return self._sources[name]


def render_diagnostics(diagnostics, sources: SourceCache) -> str:
    from dsl.diagnostics import sorted_diagnostics

    return "\n".join(d.render(sources.get(d.file)) for d in sorted_diagnostics(list(diagnostics)))


def diagnostics_json(diagnostics) -> str:
    from dsl.diagnostics import sorted_diagnostics

    items = [d.to_json() for d in sorted_diagnostics(list(diagnostics))]
    return json.dumps(items, ensure_ascii=False, indent=2)


def summary(diagnostics, files: int) -> str:
    errors = sum(1 for d in diagnostics if d.is_error)
    warnings = len(diagnostics) - errors
    where = f"{files} tệp"
    if not errors and not warnings:
        return f"Không có lỗi ({where})."
    return f"{errors} lỗi, {warnings} cảnh báo ({where})."


def checked_ruleset(path: str, sources: SourceCache, search: RulesetSearch | None = None):
    """The effective ruleset of `path`, or print its diagnostics and exit 1."""
    result = check_path(path, search)
    if not result.ok or result.ruleset is None:
        text = render_diagnostics(result.diagnostics, sources)
        raise CliError(f"{text}\n{path}: bộ quy tắc có lỗi, không chạy được.", 1)
    warnings = [d for d in result.diagnostics if not d.is_error]
    if warnings:
        click.echo(render_diagnostics(warnings, sources), err=True)
    return result


def echo_out(text: str) -> None:
    try:
        click.echo(text, nl=not text.endswith("\n"))
    except BrokenPipeError:
        sys.stderr.close()
