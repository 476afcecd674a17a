"""How the exact engine reports a failure: whatever a compiled rule raises becomes an EvalError
subclass (dsl.errors) naming the person and the span of the rule that failed."""

from __future__ import annotations

from ..ast import NO_SPAN, Span
from ..errors import ComputeError, EvalError, NotApplicableValue
from .values import NotApplicableUsed

# what a compiled rule may raise besides EvalError
FAILURES = (EvalError, NotApplicableUsed, ArithmeticError, TypeError, ValueError, KeyError, IndexError)


def failure(e: Exception, *, person: str | None = None, span: Span | None = None) -> EvalError:
    """The EvalError for an exception raised while evaluating a rule (at `span`) for `person`; an
    EvalError keeps what it already knows."""
    if isinstance(e, EvalError):
        return e.at(person=person, span=span)
    if isinstance(e, NotApplicableUsed):
        return NotApplicableValue(f'dùng giá trị không áp dụng "{e.name}"', person, span or NO_SPAN)
    return ComputeError(f"không tính được kết quả: {e!r}", person, span or NO_SPAN)
