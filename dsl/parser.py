"""Source text → `dsl.ast.Ruleset` + diagnostics. Never raises for any input text.

Stages: canon() → size and bracket limits → LALR parse (grammar built once per process) → AST builder →
assembly into a Ruleset. After a syntax error the parser blanks the top-level statement that holds it
and parses again, so one run reports the errors of several statements (up to `MAX_SYNTAX_ERRORS`)."""

from __future__ import annotations

from pathlib import Path

from lark import Lark
from lark.exceptions import UnexpectedEOF, UnexpectedInput, UnexpectedToken

from . import ast
from .diagnostics import Diagnostic, error
from .syntax.assemble import assemble
from .syntax.build import AstBuilder
from .syntax.indent import Indenter, LayoutError
from .syntax.keywords import FUNCTIONS, KEYWORDS
from .syntax.messages import last_token, message, unclosed_paren
from .text import canon

__all__ = ["FUNCTIONS", "KEYWORDS", "MAX_NESTING", "MAX_SOURCE", "parse", "parser"]

MAX_SOURCE = 200_000
MAX_NESTING = 64
MAX_SYNTAX_ERRORS = 10
GRAMMAR = Path(__file__).with_name("grammar.lark")

_PARSER: Lark | None = None


def parser() -> Lark:
    """The LALR parser, built on first use and kept for the process (lark's cache speeds cold starts)."""
    global _PARSER
    if _PARSER is None:
        options = dict(
            parser="lalr",
            lexer="contextual",
            postlex=Indenter(),
            propagate_positions=True,
            maybe_placeholders=False,
        )
        try:
            _PARSER = Lark.open(str(GRAMMAR), cache=True, **options)
        except OSError:  # cache directory not writable: build without it
            _PARSER = Lark.open(str(GRAMMAR), **options)
    return _PARSER


def parse(source: str, filename: str = "<nguồn>") -> tuple[ast.Ruleset | None, list[Diagnostic]]:
    """Parse a ruleset. Returns (ruleset or None, diagnostics); None when the text has syntax errors
    (E0001), exceeds the limits (E0002), holds an invalid literal (E0003) or a number too long (E0004),
    or has no header (E0904)."""
    text = canon(source)
    if len(text) > MAX_SOURCE:
        msg = f"nguồn quá lớn: {len(text):,} ký tự (tối đa {MAX_SOURCE:,})".replace(",", ".")
        return None, [error("E0002", ast.Span(1, 1, 1, 1), msg, filename)]
    deep = _bracket_depth_error(text, filename)
    if deep is not None:
        return None, [deep]
    statements, diags = _parse_statements(text, filename)
    if statements is None:
        return None, diags
    ruleset, more = assemble(statements, text, filename)
    diags += more
    if ruleset is None or any(d.code in ("E0001", "E0002", "E0003", "E0004") for d in diags):
        return None, diags
    return ruleset, diags


def _parse_statements(text: str, filename: str) -> tuple[list | None, list[Diagnostic]]:
    lines = (text + "\n").split("\n")
    diags: list[Diagnostic] = []
    for line_no, column in _unclosed_brackets(lines):
        msg = "thiếu dấu ')' đóng ngoặc '(' này: câu lệnh kết thúc trước khi ngoặc được đóng"
        diags.append(error("E0001", _point(line_no, column), msg, filename))
        _blank_statement(lines, line_no)
    for _ in range(MAX_SYNTAX_ERRORS):
        try:
            tree = parser().parse("\n".join(lines))
        except LayoutError as err:
            diags.append(error("E0001", _point(err.line, err.column), err.message, filename))
            if not _blank_statement(lines, err.line):
                break
            continue
        except UnexpectedInput as err:
            diag, at_end = _syntax_error(err, filename, lines)
            diags.append(diag)
            if at_end or not _blank_statement(lines, diag.span.line):
                break
            continue
        if diags:
            return None, diags
        builder = AstBuilder(filename)
        statements = builder.transform(tree)
        return statements, builder.diagnostics
    return None, diags


def _next_code_line(lines: list[str], after: int) -> int:
    """The 1-based number of the first line after `after` holding more than spaces or a comment."""
    for i in range(after, len(lines)):
        stripped = lines[i].strip()
        if stripped and not stripped.startswith("#"):
            return i + 1
    return after


def _point(line: int, column: int) -> ast.Span:
    return ast.Span(line, column, line, column + 1)


def _syntax_error(err: UnexpectedInput, filename: str, lines: list[str]) -> tuple[Diagnostic, bool]:
    prev = None
    state = getattr(err, "state", None)
    if state is not None:
        prev = last_token(getattr(state, "value_stack", None))
    text = message(err, prev)
    token = getattr(err, "token", None)
    at_end = token is None or token.type == "$END" or (token.type == "_DEDENT" and not str(token))
    line = getattr(err, "line", None)
    column = getattr(err, "column", None)
    at_line_end = isinstance(err, (UnexpectedToken, UnexpectedEOF)) and (
        token is None or token.type in ("_NL", "_DEDENT", "$END")
    )
    if token is not None and token.type == "_INDENT" and token.line:
        line = _next_code_line(lines, token.line)
        span = ast.Span(line, len(str(token)) + 1, line, len(lines[line - 1]) + 1)
    elif prev is not None and (unclosed_paren(err, prev) or at_line_end):
        span = _point(prev.end_line, prev.end_column)
        at_end = False
    elif token is not None and getattr(token, "line", None):
        line, column = token.line, token.column
        width = max(1, len(str(token))) if token.type not in ("_NL", "_INDENT", "_DEDENT") else 1
        span = ast.Span(line, column, line, column + width)
    elif isinstance(line, int) and line > 0:
        span = _point(line, column or 1)
    else:
        span = _point(1, 1)
    return error("E0001", span, text, filename), at_end


def _statement_start(line: str) -> bool:
    return bool(line) and not line[0].isspace() and not line.startswith("#")


def _blank_statement(lines: list[str], line_no: int) -> bool:
    """Blank the top-level statement holding 1-based `line_no` (from its first line to the line before
    the next top-level statement). False when there is nothing left to blank."""
    idx = min(max(line_no - 1, 0), len(lines) - 1)
    start = idx
    while start > 0 and not _statement_start(lines[start]):
        start -= 1
    end = idx + 1
    while end < len(lines) and not _statement_start(lines[end]):
        end += 1
    changed = False
    for i in range(start, end):
        if lines[i].strip():
            lines[i] = ""
            changed = True
    return changed


def _unclosed_brackets(lines: list[str]) -> list[tuple[int, int]]:
    """Positions (1-based) of '(' still open when the next top-level statement (a line starting in
    column 1) or the end of the file comes: without this, everything after an unclosed bracket would be
    read as part of it and reported as a cascade of unrelated errors."""
    found: list[tuple[int, int]] = []
    stack: list[tuple[int, int]] = []
    for idx, line in enumerate(lines):
        if stack and _statement_start(line):
            found.append(stack[0])
            stack.clear()
        in_text = escaped = False
        for col, ch in enumerate(line, start=1):
            if in_text:
                if escaped:
                    escaped = False
                elif ch == "\\":
                    escaped = True
                elif ch == '"':
                    in_text = False
            elif ch == "#":
                break
            elif ch == '"':
                in_text = True
            elif ch == "(":
                stack.append((idx + 1, col))
            elif ch == ")" and stack:
                stack.pop()
    if stack:
        found.append(stack[0])
    return found


def _bracket_depth_error(text: str, filename: str) -> Diagnostic | None:
    """E0002 when brackets nest deeper than MAX_NESTING (checked before parsing)."""
    depth = 0
    line, column = 1, 0
    in_text = in_comment = False
    escaped = False
    for ch in text:
        column += 1
        if ch == "\n":
            line, column = line + 1, 0
            in_text = in_comment = False
            continue
        if in_comment:
            continue
        if in_text:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_text = False
            continue
        if ch == "#":
            in_comment = True
        elif ch == '"':
            in_text = True
        elif ch == "(":
            depth += 1
            if depth > MAX_NESTING:
                msg = f"biểu thức lồng nhau quá sâu: quá {MAX_NESTING} cặp ngoặc"
                return error("E0002", _point(line, column), msg, filename)
        elif ch == ")":
            depth = max(0, depth - 1)
    return None
