"""Exceptions raised by the dsl library (never for a user's mistake in a ruleset: those are diagnostics).

Evaluation fails with an `EvalError` subclass: a stable `code` (R1xxx, as diagnostics have E/W codes),
a Vietnamese `message`, the `person` being evaluated and the `span` of the rule that failed (when the
failure lies in a rule rather than in the data). Every stage raises them one way, in one argument
order: `raise BadValue(message, person=None, span=None)`.
"""

from __future__ import annotations

from .ast import NO_SPAN, Span


class DslError(Exception):
    """Base class."""


class EvalError(DslError):
    """A problem found while evaluating records (R-codes): missing input, bad value, limits."""

    code = "R1000"

    def __init__(self, message: str, person: str | None = None, span: Span = NO_SPAN):
        self.message = message
        self.person = person
        self.span = span
        super().__init__(f"[{self.code}] {message}" + (f" (cán bộ {person})" if person else ""))

    def at(self, *, person: str | None = None, span: Span | None = None) -> EvalError:
        """The same error completed with the person and the rule's span where still unknown."""
        if (person is None or self.person is not None) and (span is None or self.span is not NO_SPAN):
            return self
        return type(self)(
            self.message,
            self.person if self.person is not None else person,
            self.span if self.span is not NO_SPAN or span is None else span,
        )


class MissingInput(EvalError):
    code = "R1001"


class NotApplicableValue(EvalError):
    """A criterion that does not apply (`khi`) was used where a value is required."""

    code = "R1002"


class HierarchyError(EvalError):
    """A person manages themself, or managers form a cycle."""

    code = "R1003"


class DivisionByZero(EvalError):
    code = "R1004"


class BadValue(EvalError):
    """A value of the data that does not fit (invalid column value, outside a scale, bad digits)."""

    code = "R1005"


class TooManyRecords(EvalError):
    code = "R1006"


class EmptyAggregate(EvalError):
    """`trung_bình`/`lớn_nhất`/… over no record without `khi rỗng`."""

    code = "R1007"


class EmptyDate(EvalError):
    code = "R1008"


class ComputeError(EvalError):
    """Anything else that made a rule impossible to compute (an internal limit, a wrong type)."""

    code = "R1009"
