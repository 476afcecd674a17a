"""A vectorised numpy backend for bulk evaluation, with results identical to the exact engine.

    result = run_vector(plan, dataset, params)   # a RunResult; raises Unsupported

Floats are a fast path only: every person for whom a decision could depend on float error (close
comparisons of operands that are not both exact, roundings near a boundary, divisions by near-zero)
is re-evaluated by the exact engine together with the leaders above them; a construct or value the
backend does not handle raises `Unsupported`, and `dsl.engine.program.Program.evaluate` (which
routes runs without `only`/`explain` of at least MIN_TASKS task records here) then runs the exact
engine and records the reason in `RunResult.stats`. Criteria and numeric outputs of vector-evaluated
persons are reported already rounded to the ruleset's digits. The backend reads a
`dsl.engine.plan.Plan` and calls the exact engine's functions; it never imports the Program.
"""

from __future__ import annotations

from .run import run_vector
from .values import Unsupported

MIN_TASKS = 5_000

__all__ = ["MIN_TASKS", "Unsupported", "run_vector"]
