"""Exceptions raised by the dsl library (never for a user's mistake in a ruleset: those are diagnostics)."""

from __future__ import annotations


class DslError(Exception):
    """Base class."""


class CheckFailed(DslError):
    """A ruleset with errors was handed to a stage that needs a checked one."""

    def __init__(self, diagnostics):
        self.diagnostics = diagnostics
        super().__init__(f"bộ quy tắc có {sum(1 for d in diagnostics if d.is_error)} lỗi")


class EvalError(DslError):
    """A problem found while evaluating records (R-codes): missing input, bad value, limits."""

    def __init__(self, code: str, message: str, person: str | None = None):
        self.code = code
        self.message = message
        self.person = person
        super().__init__(f"[{code}] {message}" + (f" (cán bộ {person})" if person else ""))
