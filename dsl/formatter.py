"""`kpi fmt`: one canonical layout for a ruleset, keeping every comment.

Canonical: Vietnamese keywords with diacritics in lower case, 2-space indentation, one space around
operators, `×` for multiplication, numbers as written, a blank line between top-level statements of
different kinds (and around blocks). Own-line comments stay before the line they preceded; trailing
comments stay at the end of their line. The layout is printed from the AST, so formatting never changes
meaning; a source that does not parse is returned as None with its diagnostics."""

from __future__ import annotations

from dataclasses import dataclass, field

from .diagnostics import Diagnostic, has_errors
from .parser import parse
from .syntax import comments as comment_scan
from .syntax import layout


@dataclass(slots=True)
class _Line:
    tag: float  # the source line this output line comes from (for placing comments)
    indent: int
    text: str
    before: list[str] = field(default_factory=list)  # own-line comments ("" for a blank line)
    after: list[str] = field(default_factory=list)


def format_source(source: str, filename: str = "<nguồn>") -> tuple[str | None, list[Diagnostic]]:
    ruleset, diags = parse(source, filename)
    if ruleset is None or has_errors(diags):
        return None, diags
    comments, code_lines = comment_scan.scan(ruleset.source)
    blocks = layout.statements(ruleset, code_lines)
    lines: list[_Line | None] = []  # None: a blank line
    previous_kind = None
    for kind, block in blocks:
        if previous_kind is not None and (kind != previous_kind or kind in layout.BLOCK_KINDS):
            lines.append(None)
        lines.extend(_Line(tag, indent, text) for tag, indent, text in block)
        previous_kind = kind
    tail = _place_comments([ln for ln in lines if ln is not None], comments, code_lines)
    return _render(lines, tail), diags


def _place_comments(lines: list[_Line], comments, code_lines: list[int]) -> list[str]:
    """Attach comments to output lines; return the comments that follow the last statement."""
    tail: list[str] = []
    next_code = _next_code_index(code_lines)
    for comment in comments:
        if comment.own_line:
            target = next_code(comment.line)
            line = _first_at_or_after(lines, target) if target is not None else None
            if line is None:
                tail.append(comment.text)
                if comment.blank_after:
                    tail.append("")
            else:
                line.before.append(comment.text)
                if comment.blank_after:
                    line.before.append("")
        else:
            line = _exact_or_before(lines, comment.line)
            if line is None:
                tail.append(comment.text)
            else:
                line.after.append(comment.text)
    return tail


def _next_code_index(code_lines: list[int]):
    import bisect

    def next_code(line: int) -> int | None:
        i = bisect.bisect_right(code_lines, line)
        return code_lines[i] if i < len(code_lines) else None

    return next_code


def _first_at_or_after(lines: list[_Line], target: int) -> _Line | None:
    """The output line of source line `target`; for a line that has none (a continuation line inside
    brackets, a merged header item) the output line of the statement it continues."""
    exact = next((ln for ln in lines if ln.tag == target), None)
    if exact is not None:
        return exact
    earlier = [ln for ln in lines if ln.tag < target]
    if earlier:
        best = max(ln.tag for ln in earlier)
        return next(ln for ln in earlier if ln.tag == best)
    later = [ln for ln in lines if ln.tag > target]
    return min(later, key=lambda ln: ln.tag) if later else None


def _exact_or_before(lines: list[_Line], line_no: int) -> _Line | None:
    exact = next((ln for ln in lines if ln.tag == line_no), None)
    if exact is not None:
        return exact
    best: _Line | None = None
    for ln in lines:
        if ln.tag < line_no and (best is None or ln.tag >= best.tag):
            best = ln
    return best


def _render(lines: list[_Line | None], tail: list[str]) -> str:
    out: list[str] = []
    for ln in lines:
        if ln is None:
            out.append("")
            continue
        pad = " " * ln.indent
        out.extend(pad + text if text else "" for text in ln.before)
        text = pad + ln.text
        if ln.after:
            text += "  " + " ".join(ln.after)
        out.append(text)
    while tail and not tail[-1]:
        tail.pop()
    if tail:
        if out:
            out.append("")
        out.extend(tail)
    return "\n".join(out) + "\n"
