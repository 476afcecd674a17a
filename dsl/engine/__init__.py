"""The evaluation stages of the ruleset language: compile a checked Ruleset into a Program, evaluate it
exactly over a Dataset (levels, caps, vetoes, not-rated, quotas, outputs) and explain every number.

    program = compile_ruleset(ruleset, sha256)
    result = program.evaluate(dataset, params={...}, explain=True, only={"CB001"})
"""

from .build import Step
from .program import Program, Run, compile_ruleset
from .values import format_number

__all__ = ["Program", "Run", "Step", "compile_ruleset", "format_number"]
