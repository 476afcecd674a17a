"""Exceptions raised by the dsl library (never for a user's mistake in a ruleset: those are diagnostics).

Evaluation fails with an `EvalError` subclass: a stable `code` (R1xxx, as diagnostics have E/W codes),
a Vietnamese `message`, the `person` being evaluated and the `span` of the rule that failed (when the
failure lies in a rule rather than in the data). Every stage raises them one way, in one argument
order: `raise BadValue(message, person=None, span=NO_SPAN)`.
"""

from __future__ import annotations

import copy

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
        done = copy.copy(self)
        done.person = self.person if self.person is not None else person
        done.span = self.span if self.span is not NO_SPAN or span is None else span
        done.args = (f"[{self.code}] {self.message}" + (f" (cán bộ {done.person})" if done.person else ""),)
        return done


def _kind(name: str, code: str, doc: str) -> type[EvalError]:
    return type(name, (EvalError,), {"code": code, "__doc__": doc, "__module__": __name__})


# fmt: off
MissingInput = _kind("MissingInput", "R1001", "A required input of a person is missing.")
NotApplicableValue = _kind("NotApplicableValue", "R1002", "A criterion that does not apply (`khi`) was used as a value.")
HierarchyError = _kind("HierarchyError", "R1003", "A person manages themself, or managers form a cycle.")
DivisionByZero = _kind("DivisionByZero", "R1004", "A division by zero at run time.")
BadValue = _kind("BadValue", "R1005", "A value of the data that does not fit (invalid, outside a scale, bad digits).")
TooManyRecords = _kind("TooManyRecords", "R1006", "A test case beyond the record limit.")
EmptyAggregate = _kind("EmptyAggregate", "R1007", "`trung_bình`/`lớn_nhất`/… over no record without `khi rỗng`.")
EmptyDate = _kind("EmptyDate", "R1008", "`số_ngày` with an empty date.")
ComputeError = _kind("ComputeError", "R1009", "Anything else that made a rule impossible to compute.")
BlankComparison = _kind("BlankComparison", "R1011", "`<`, `<=`, `>`, `>=` with a blank value (a task without a deadline…).")
CostLimit = _kind("CostLimit", "R1012", "A number beyond the run-time bound (dsl.engine.values.MAX_NUMBER_DIGITS).")
# fmt: on
