"""A vectorised numpy backend for bulk evaluation, with results identical to the exact engine.

    result = evaluate(program, dataset, params)   # a RunResult, or None: run the exact engine

Floats are a fast path only: every person for whom a decision could depend on float error (close
comparisons of operands that are not both exact, roundings near a boundary, divisions by near-zero)
is re-evaluated by the exact engine together with the leaders above them; any construct or value the
backend does not handle makes the whole run fall back to the exact engine. Criteria and numeric
outputs of vector-evaluated persons are reported already rounded to the ruleset's digits.
`dsl.engine.Program.evaluate` routes runs without `only`/`explain` of at least MIN_TASKS task records
here.
"""

from __future__ import annotations

from .run import run_vector
from .values import Unsupported

MIN_TASKS = 5_000

__all__ = ["MIN_TASKS", "Unsupported", "evaluate", "run_vector"]


def evaluate(program, data, params=None):
    """The vectorised RunResult, or None when the exact engine must run instead (unsupported
    construct or value, or any error: the exact engine then reports it in its own words)."""
    try:
        return run_vector(program, data, params)
    except Exception:  # noqa: BLE001 - never a wrong answer: the exact engine decides
        return None
