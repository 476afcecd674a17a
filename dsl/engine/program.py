"""The public entry of the engine: `compile_ruleset(ruleset) -> Program`, `Program.evaluate(data)`.

`Program.evaluate` chooses the evaluator: the vectorised backend (`dsl/vector/`) for bulk runs it
supports, else the exact engine (`dsl/engine/exact.py`); `RunResult.stats` says which ran and why.
"""

from __future__ import annotations

import logging

from .. import ast, vector
from .. import params as params_
from ..checker.symbols import Symbols
from ..records import Dataset
from ..results import RunResult
from ..vector import Unsupported, run_vector
from . import exact
from .exact import Run
from .plan import Plan

__all__ = ["Program", "Run", "compile_ruleset"]

log = logging.getLogger(__name__)


class Program(Plan):
    """A compiled ruleset (see Plan) that evaluates datasets."""

    def check_params(self, values: dict) -> list[str]:
        """Vietnamese messages for unknown or locked parameters and values of the wrong type or out of
        bounds (see dsl.params)."""
        return params_.check_overrides(self.params, values)

    def evaluate(
        self,
        data: Dataset,
        *,
        params: dict | None = None,
        explain: bool = False,
        only: set[str] | None = None,
    ) -> RunResult:
        """Evaluate every person of `data` (or only the codes in `only`; their subordinates are
        evaluated as needed, and quotas, which need the whole group, are then not applied: the level
        equals the level before quota). `params` override parameter values (validate them first with
        `check_params`). Raises EvalError (R1xxx) for a dataset that cannot be evaluated.

        Runs without `only` and `explain` of at least `dsl.vector.MIN_TASKS` task records go through
        the vectorised backend; when it does not support the ruleset or the data (`Unsupported`) the
        exact engine runs instead, and `stats["fallback_reason"]` says why."""
        reason = _vector_refusal(data, explain, only)
        if reason is None:
            try:
                result = run_vector(self, data, params)
            except Unsupported as e:
                reason = f"unsupported: {e}"
                log.debug("vector backend not used for %s: %s", self.code, reason)
            else:
                result.stats = {"backend": "vector", "fallback_reason": None, **result.stats}
                return result
        result = self.run(data, params=params, explain=explain, only=only).result
        result.stats = {"backend": "exact", "fallback_reason": reason}
        return result

    def run(
        self, data: Dataset, *, params=None, explain=False, only=None, reuse: Run | None = None, quotas=False
    ) -> Run:
        """The exact engine (see `dsl.engine.exact.run`), returning the persons' states too. `quotas`: apply
        the quotas among the persons evaluated even with `only` (when `only` and `reuse` together cover a
        whole population, e.g. one ruleset version's people whose subordinates ran under another version)."""
        return exact.run(
            self, data, self.param_values(params), explain=explain, only=only, reuse=reuse, quotas=quotas
        )

    def outputs_at_level(self, state, level: str | None, *, params: dict | None = None) -> dict:
        """The outputs of an evaluated person (a state from `run`) had their final level been `level`
        (a competent leader's decision beside the computed one): the post-quota steps (outputs and the
        definitions reading the final level) evaluated again with that level. `state` is changed."""
        from ..fields import LEVEL_NAME

        state.level = level
        state.values[LEVEL_NAME] = level
        state.quota_lines = []
        exact.post(self, state, self.param_values(params), False)
        return exact.result(self, state).outputs


def _vector_refusal(data: Dataset, explain: bool, only) -> str | None:
    """Why a run does not go through the vector backend (None: it does)."""
    if explain:
        return "explain"
    if only is not None:
        return "only"
    if data.task_count < vector.MIN_TASKS:
        return f"small: {data.task_count} task records < {vector.MIN_TASKS}"
    return None


def compile_ruleset(ruleset: ast.Ruleset, sha256: str = "", symbols: Symbols | None = None) -> Program:
    """Compile a checked, effective ruleset (see dsl.pipeline.check_source) into a Program. Pass the
    checker's `symbols` (CheckResult.symbols) so that the names it accepted (catalog fields) resolve."""
    return Program(ruleset, sha256, symbols)
