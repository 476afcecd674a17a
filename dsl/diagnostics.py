"""Diagnostics: every problem found in a ruleset, with a stable code, a span and a Vietnamese message."""

from __future__ import annotations

from dataclasses import dataclass

from .ast import Span

ERROR = "error"
WARNING = "warning"

_SEVERITY_WORD = {ERROR: "lỗi", WARNING: "cảnh báo"}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str  # "E0101"
    message: str  # Vietnamese
    span: Span
    severity: str = ERROR
    file: str = "<nguồn>"

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def sort_key(self) -> tuple:
        return (self.file, self.span.line, self.span.column, self.code)

    def to_json(self) -> dict:
        return {
            "file": self.file,
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }

    def render(self, source: str | None = None) -> str:
        """`file:line:col: lỗi[E0101]: message`, then the source line and a caret, like a compiler."""
        head = f"{self.file}:{self.span.line}:{self.span.column}: {_SEVERITY_WORD[self.severity]}[{self.code}]: {self.message}"
        if not source or self.span.line < 1:
            return head
        lines = source.splitlines()
        if self.span.line > len(lines):
            return head
        text = lines[self.span.line - 1]
        width = 1
        if self.span.end_line == self.span.line and self.span.end_column > self.span.column:
            width = self.span.end_column - self.span.column
        caret = " " * (self.span.column - 1) + "^" + "~" * (width - 1)
        return f"{head}\n{self.span.line:>5} | {text}\n      | {caret}"


def error(code: str, span: Span, message: str, file: str = "<nguồn>") -> Diagnostic:
    """An error diagnostic: how every stage reports a problem, in the order (code, span, message) the
    checker's `Sink.error` and the parser's `AstBuilder.error` take too."""
    return Diagnostic(code, message, span, ERROR, file)


def has_errors(diags: list[Diagnostic]) -> bool:
    return any(d.is_error for d in diags)


def sorted_diagnostics(diags: list[Diagnostic]) -> list[Diagnostic]:
    seen = set()
    out = []
    for d in sorted(diags, key=Diagnostic.sort_key):
        key = (d.file, d.code, d.span, d.message)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out
