"""A compiled ruleset: the named steps of each stage and what they read (no evaluation here).

Both evaluators walk a Plan: the exact engine (`dsl/engine/exact.py`) and the vectorised backend
(`dsl/vector/`); `dsl.engine.program.Program` is a Plan that chooses between them.
"""

from __future__ import annotations

from .. import ast
from .. import params as params_
from ..checker.symbols import Symbols
from .build import Builder, Step, citation_text
from .explain import Renderer


class Plan:
    """The steps of a checked, effective ruleset (see dsl/engine/build.py for the stages)."""

    def __init__(self, ruleset: ast.Ruleset, sha256: str = "", symbols: Symbols | None = None):
        b = Builder(ruleset, symbols)
        h = ruleset.header
        self.ruleset = ruleset
        self.code, self.version, self.sha256 = h.code, h.version, sha256
        self.rounding = h.rounding
        self.names = b.names
        self.level_names: list[str] = list(b.names.levels)
        self.criteria = [(c.code, c.title, citation_text(c.citation, ruleset)) for c in ruleset.criteria]
        self.outputs = [o.name for o in ruleset.outputs]
        self.inputs = list(b.names.inputs.values())
        self.params = {p.name: p for p in ruleset.params}
        self.task_steps: list[Step] = b.task_steps()
        self.person_steps, self.post_steps = b.person_steps()
        self.level_steps = b.level_steps()
        self.veto_steps = b.veto_steps()
        self.quota_steps = b.quota_steps()
        self.needed_fields = b.needed_fields()
        self.needed_inputs = b.needed_inputs()
        self.uses_subordinates = "cấp_dưới" in b.scopes
        self.uses_periods = "kỳ" in b.scopes
        self.levels_citation = citation_text(ruleset.levels.citation, ruleset) if ruleset.levels else ""
        definitions = {name: d.expr for name, d in b.names.person_values.items()}
        self.render = Renderer(
            b.compiler.fns, h.rounding.digits, params_.percents(ruleset.params), definitions
        )

    def param_values(self, overrides: dict | None = None) -> dict[str, object]:
        """Every parameter's value, `overrides` applied (see dsl.params)."""
        return params_.values(self.ruleset.params, overrides)
