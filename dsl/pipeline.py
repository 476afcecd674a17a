"""The single validation path: source → parse → resolve the adopted ruleset → merge → check.

The CLI, the app services and the API all call `check_source` / `check_file`."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import ast
from .adopt import merge
from .checker import Symbols, check_parts, check_with_symbols
from .diagnostics import Diagnostic, error, has_errors, sorted_diagnostics
from .fields import FieldSpec
from .resolver import AmbiguousRuleset, Resolver, default_resolver_for
from .text import canon, fold

MAX_ADOPTION_DEPTH = 8


@dataclass(slots=True)
class CheckResult:
    ruleset: ast.Ruleset | None  # the EFFECTIVE ruleset (merged with what it adopts); None: unparsable
    source_ruleset: ast.Ruleset | None  # as written
    diagnostics: list[Diagnostic] = field(default_factory=list)  # sorted, `file` set
    sha256: str = ""  # of the UTF-8 canon() source
    # the effective ruleset's symbol table (catalog fields included): what dsl.run.compile reads
    symbols: Symbols | None = None

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


def _parse(source: str, filename: str):
    from .parser import parse  # imported late: the parser module builds its grammar on import

    return parse(source, filename)


def normalise(source: str) -> str:
    return canon(source[1:] if source.startswith("\ufeff") else source)


def source_hash(source: str) -> str:
    """The SHA-256 (hex) of a ruleset source: of its UTF-8 normalised text, the one definition that
    CheckResult.sha256, stored versions and bundles share."""
    return hashlib.sha256(normalise(source).encode("utf-8", errors="surrogatepass")).hexdigest()


@dataclass(slots=True)
class _Env:
    resolver: Resolver | None
    extra_task_fields: tuple[FieldSpec, ...]
    extra_inputs: tuple[FieldSpec, ...]


def _key(code: str, version: int) -> tuple[str, int]:
    return fold(canon(code)), int(version)


def _first_error(diags: list[Diagnostic]) -> str:
    for d in diags:
        if d.is_error:
            return f"{d.file}:{d.span.line}:{d.span.column}: {d.message}"
    return ""


def _load_parent(ref: ast.AdoptRef, env: _Env, stack: tuple[tuple[str, int], ...]):
    """(the adopted ruleset, effective, or None; diagnostics for the adopting file; whether the
    adopted ruleset has errors)."""
    name = f'"{ref.code}" phiên bản {ref.version}'
    key = _key(ref.code, ref.version)
    if key in stack:
        chain = " → ".join(f"{c} phiên bản {v}" for c, v in (*stack, key))
        return None, [error("E0605", ref.span, f"vòng lặp áp dụng bộ quy tắc: {chain}")], True
    if len(stack) > MAX_ADOPTION_DEPTH:
        msg = f"chuỗi áp dụng bộ quy tắc quá sâu (quá {MAX_ADOPTION_DEPTH} tầng) tại {name}"
        return None, [error("E0605", ref.span, msg)], True
    found = None
    if env.resolver is not None:
        try:
            found = env.resolver.find(ref.code, ref.version)
        except AmbiguousRuleset as exc:
            msg = f"không xác định được bộ quy tắc {name} được áp dụng: {exc}"
            return None, [error("E0601", ref.span, msg)], True
        except (OSError, UnicodeDecodeError, ValueError):
            found = None
    if found is None:
        searched = getattr(env.resolver, "searched", None)
        where = f" ({searched()})" if callable(searched) else ""
        return None, [error("E0601", ref.span, f"không tìm thấy bộ quy tắc {name} được áp dụng{where}")], True
    source, filename = found
    parsed, diags = _parse(normalise(source), filename)
    diags = [replace(d, file=filename) for d in diags]
    if parsed is not None and _key(parsed.header.code, parsed.header.version) != key:
        got = f'"{parsed.header.code}" phiên bản {parsed.header.version}'
        msg = f"không tìm thấy bộ quy tắc {name} được áp dụng ({filename} là bộ quy tắc {got})"
        return None, [error("E0601", ref.span, msg)], True
    effective = parsed
    if parsed is not None:
        effective, more, grandparent_bad = _effective(parsed, env, (*stack, key))
        diags += more
        if effective is not None:
            own, foreign = check_parts(
                effective, extra_task_fields=env.extra_task_fields, extra_inputs=env.extra_inputs
            )
            diags += own + _inherited(foreign, grandparent_bad)
        diags = [replace(d, file=filename) if d.file != filename else d for d in diags]
    if parsed is None or effective is None or has_errors(diags):
        count = sum(1 for d in diags if d.is_error)
        msg = (
            f"bộ quy tắc được áp dụng {name} ({filename}) có {count} lỗi; lỗi đầu tiên: {_first_error(diags)}"
        )
        return effective, [error("E0605", ref.span, msg)], True
    return effective, [], False


def _inherited(foreign: list[Diagnostic], parent_bad: bool) -> list[Diagnostic]:
    """What to keep of the diagnostics on inherited nodes: when the adopted ruleset has errors, none
    (E0605 says so); else only errors (the adopter's overrides caused them: the adopted ruleset alone
    is clean), since warnings on the adopted text are its own business."""
    return [] if parent_bad else [d for d in foreign if d.is_error]


def _effective(parsed: ast.Ruleset, env: _Env, stack: tuple[tuple[str, int], ...]):
    """(effective ruleset or None when what it adopts is unusable, diagnostics, adopted has errors)."""
    ref = parsed.header.adopts
    if ref is None:
        return parsed, [], False
    parent, diags, bad = _load_parent(ref, env, stack)
    if parent is None:
        return None, diags, True
    merged, merge_diags = merge(parsed, parent)
    return merged, diags + merge_diags, bad


def check_source(
    source: str,
    filename: str = "<nguồn>",
    *,
    resolver: Resolver | None = None,
    extra_task_fields: tuple[FieldSpec, ...] = (),
    extra_inputs: tuple[FieldSpec, ...] = (),
) -> CheckResult:
    """Parse, resolve and merge what the source adopts, and check: every diagnostic, sorted."""
    text = normalise(source)
    digest = source_hash(text)
    parsed, diags = _parse(text, filename)
    if parsed is None:
        return CheckResult(None, None, _finish(diags, filename), digest)
    env = _Env(resolver, tuple(extra_task_fields), tuple(extra_inputs))
    own_key = _key(parsed.header.code, parsed.header.version) if parsed.header.code else ("", 0)
    effective, more, parent_bad = _effective(parsed, env, (own_key,))
    diags = list(diags) + more
    if effective is None:
        return CheckResult(parsed, parsed, _finish(diags, filename), digest)
    own, foreign, symbols = check_with_symbols(
        effective, extra_task_fields=env.extra_task_fields, extra_inputs=env.extra_inputs
    )
    diags += own + _inherited(foreign, parent_bad)
    return CheckResult(effective, parsed, _finish(diags, filename), digest, symbols)


def _finish(diags: list[Diagnostic], filename: str) -> list[Diagnostic]:
    return sorted_diagnostics([d if d.file == filename else replace(d, file=filename) for d in diags])


def not_utf8_diagnostic(data: bytes, exc: UnicodeDecodeError, filename: str) -> Diagnostic:
    """E0005 at the first byte that is not UTF-8: its line, and its column counted in the characters
    of the valid text before it on that line (as an editor shows it)."""
    start = exc.start
    line = data[:start].count(b"\n") + 1
    line_start = data.rfind(b"\n", 0, start) + 1
    prefix = data[line_start:start]
    if line == 1 and prefix.startswith(b"\xef\xbb\xbf"):
        prefix = prefix[3:]
    column = len(prefix.decode("utf-8", errors="replace")) + 1
    msg = (
        f"tệp không phải văn bản UTF-8 (byte 0x{data[start]:02X} ở đây không đọc được); "
        "lưu lại tệp với mã hóa UTF-8"
    )
    return Diagnostic("E0005", msg, ast.Span(line, column, line, column + 1), file=filename)


def check_file(
    path: str | Path,
    resolver: Resolver | None = None,
    *,
    extra_task_fields: tuple[FieldSpec, ...] = (),
    extra_inputs: tuple[FieldSpec, ...] = (),
) -> CheckResult:
    """Read a ruleset file (UTF-8, with or without BOM) and check it; an unreadable or undecodable
    file gives an E0001 diagnostic, never a traceback. Without `resolver`, adopted rulesets are looked
    for as `default_resolver_for(path)` does (never in the working folder alone)."""
    filename = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        diag = error("E0001", ast.Span(1, 1, 1, 1), f"không đọc được tệp: {reason}", filename)
        return CheckResult(None, None, [diag], hashlib.sha256(b"").hexdigest())
    try:
        source = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        diag = not_utf8_diagnostic(data, exc, filename)
        return CheckResult(None, None, [diag], hashlib.sha256(data).hexdigest())
    if resolver is None:
        resolver = default_resolver_for(path)
    return check_source(
        source, filename, resolver=resolver, extra_task_fields=extra_task_fields, extra_inputs=extra_inputs
    )
