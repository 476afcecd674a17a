"""Collects the checker's diagnostics; knows which nodes came from an adopted (parent) ruleset."""

from __future__ import annotations

from ..ast import Span
from ..diagnostics import ERROR, WARNING, Diagnostic


class Sink:
    """All stages report through `error`/`warning`. While `foreign` is set (a node inherited from the
    adopted ruleset is being checked), diagnostics are re-pointed to the `áp dụng` line of the
    adopting file, since their own spans belong to the other file."""

    def __init__(self, filename: str, adopt_span: Span | None = None, adopt_label: str = ""):
        self.filename = filename
        self.items: list[Diagnostic] = []
        self.foreign = False
        self.foreign_items: list[Diagnostic] = []
        self._adopt_span = adopt_span
        self._adopt_label = adopt_label

    def _add(self, code: str, span: Span, message: str, severity: str) -> None:
        if self.foreign and self._adopt_span is not None:
            where = f"{self._adopt_label}, dòng {span.line}" if span.line else self._adopt_label
            diag = Diagnostic(code, f"{message} (trong {where})", self._adopt_span, severity, self.filename)
            self.foreign_items.append(diag)
            return
        self.items.append(Diagnostic(code, message, span, severity, self.filename))

    def error(self, code: str, span: Span, message: str) -> None:
        self._add(code, span, message, ERROR)

    def warning(self, code: str, span: Span, message: str) -> None:
        self._add(code, span, message, WARNING)


def did_you_mean(suggestion: str | None) -> str:
    return f'; có phải "{suggestion}"?' if suggestion else ""
