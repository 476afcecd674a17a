"""The run pipeline: a checked ruleset → `compile` → Program → `evaluate` → RunResult.

    checked = dsl.pipeline.check_source(text, resolver=…, extra_task_fields=catalog)
    program = compile(checked)                      # CompileError when the check found errors
    result = evaluate(program, dataset, params={"mức_trừ": Fraction(1, 2)}, explain=True)

The CLI (`kpi eval`), the assessment service and the web admin call these two functions.
`evaluate` raises `InvalidParams` for parameter values the ruleset refuses and an `EvalError`
subclass (`dsl.errors`: a stable R-code, the person, the span of the rule) for data that cannot be
evaluated; `RunResult.stats` says which evaluator ran and, when not the vectorised one, why.
"""

from __future__ import annotations

from .engine.program import Program, compile_ruleset
from .errors import DslError, EvalError
from .pipeline import CheckResult
from .records import Dataset
from .results import RunResult

__all__ = ["CompileError", "InvalidParams", "compile", "evaluate"]


class CompileError(DslError):
    """A ruleset with errors (or none at all) was handed to `compile`."""

    def __init__(self, check: CheckResult):
        self.diagnostics = check.diagnostics
        errors = sum(1 for d in check.diagnostics if d.is_error)
        super().__init__(f"bộ quy tắc có {errors} lỗi" if errors else "không có bộ quy tắc để biên dịch")


class InvalidParams(EvalError):
    """Parameter values the ruleset refuses (unknown, locked, wrong kind, out of bounds): `problems`
    lists one Vietnamese message each."""

    code = "R1010"

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def compile(check: CheckResult) -> Program:  # noqa: A001 - the pipeline's stage name
    """The Program of a checked ruleset, with the names the checker accepted (catalog fields)."""
    if check.ruleset is None or not check.ok:
        raise CompileError(check)
    return compile_ruleset(check.ruleset, check.sha256, check.symbols)


def evaluate(
    program: Program,
    dataset: Dataset,
    *,
    params: dict | None = None,
    explain: bool = False,
    only: set[str] | None = None,
) -> RunResult:
    """Evaluate `dataset` (see `Program.evaluate`), after checking `params` (see dsl.params)."""
    if params:
        problems = program.check_params(params)
        if problems:
            raise InvalidParams(problems)
    return program.evaluate(dataset, params=params, explain=explain, only=only)
