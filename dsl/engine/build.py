"""Compile a checked, effective Ruleset into a Program: named, ordered steps per stage.

Stages (each a list of `Step` in dependency order, or dedicated step types):
1. `task_steps`: per-task definitions (`mỗi nhiệm vụ:`), one value per task record;
2. `person_steps`: person definitions, criteria (with `khi`), `điểm_bổ_sung` and `điểm` (rounded);
3. `level_steps`, `veto_steps` (caps, vetoes, not-rated): classification before quotas;
4. `quota_steps`: across people;
5. `post_steps`: outputs (and definitions that read the final level or outputs).
A vectorised backend can walk the same steps; each keeps its AST (`expr`) beside its closure (`fn`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .. import ast
from ..checker import build_symbols
from ..checker.names import reads
from ..checker.symbols import Symbols
from ..defaults import DERIVED_NEEDS
from ..fields import ADDED_CRITERIA_NAME, LEVEL_NAME, SCORE_NAME
from .compile import PERSON, Compiler
from .levels import LevelStep, VetoStep
from .quota import QuotaStep
from .symbols import Names, names_of
from .values import NA, norm

TASK_VALUE = "task_value"
PERSON_VALUE = "person_value"
CRITERION = "criterion"
ADDED = "added"
SCORE = "score"
OUTPUT = "output"


@dataclass(frozen=True, slots=True)
class Step:
    """One named computation: `fn(env)` computes `name` from `expr` (None for built-in sums).
    `when` is a criterion's applicability condition (compiled), `node` the declaring AST node."""

    name: str
    kind: str
    expr: ast.Expr | None
    fn: Callable
    node: object = None
    when: Callable | None = None


def citation_text(c: ast.Citation | None, ruleset: ast.Ruleset) -> str:
    """`Citation.text()` completed with the first legal basis when the citation names no document."""
    if c is None:
        return ""
    text = c.text()
    if c.document is None and ruleset.header.bases:
        text = f"{text} {ruleset.header.bases[0].document}".strip()
    return text


def _weighted(pairs: list[tuple[str, Callable]]):
    def run(e):
        total = 0
        for code, weight in pairs:
            v = e.p.values.get(code, NA)
            if v is not NA:
                total += weight(e) * v
        return norm(total)

    return run


class Builder:
    """Compiles the steps of a checked ruleset in the checker's dependency order (`Symbols.order`),
    resolving names through the checker's symbol table (built here when not given)."""

    def __init__(self, ruleset: ast.Ruleset, symbols: Symbols | None = None):
        self.ruleset = ruleset
        self.symbols = symbols if symbols is not None else build_symbols(ruleset)
        self.names: Names = names_of(ruleset, self.symbols)
        self.compiler = Compiler(self.names)
        self.read: set[str] = set()
        self.scopes: set[str] = set()
        self.deps: dict[str, set[str]] = {}

    def _note(self, *exprs) -> set[str]:
        got: set[str] = set()
        for x in exprs:
            names, scopes = reads(x, self.symbols)
            got.update(names)
            self.scopes |= scopes
        self.read |= got
        return got

    def task_steps(self) -> list[Step]:
        defs = self.names.task_values
        for d in defs.values():
            self._note(d.expr)
        return [
            Step(n, TASK_VALUE, defs[n].expr, self.compiler.expr(defs[n].expr, "nhiệm_vụ"), defs[n])
            for n in self.symbols.order
            if n in defs
        ]

    def person_steps(self) -> tuple[list[Step], list[Step]]:
        """(steps before classification, steps after quotas)."""
        n, c = self.names, self.compiler
        steps: dict[str, Step] = {}
        for name, d in n.person_values.items():
            self.deps[name] = self._note(d.expr)
            steps[name] = Step(name, PERSON_VALUE, d.expr, c.expr(d.expr), d)
        for code, crit in n.criteria.items():
            self.deps[code] = self._note(crit.expr, crit.when, crit.weight)
            when = c.expr(crit.when) if crit.when is not None else None
            steps[code] = Step(code, CRITERION, crit.expr, c.expr(crit.expr), crit, when)
        added = n.added_criteria
        base = [code for code in n.criteria if code not in added]
        pairs = {
            code: c.expr(n.criteria[code].weight)
            for code in n.criteria
            if n.criteria[code].weight is not None
        }
        self.deps[ADDED_CRITERIA_NAME] = set(added)
        steps[ADDED_CRITERIA_NAME] = Step(
            ADDED_CRITERIA_NAME, ADDED, None, _weighted([(k, pairs[k]) for k in added if k in pairs])
        )
        score = self.ruleset.score
        if score is not None:
            self.deps[SCORE_NAME] = self._note(score.expr)
            steps[SCORE_NAME] = Step(SCORE_NAME, SCORE, score.expr, c.expr(score.expr), score)
        else:
            self.deps[SCORE_NAME] = set(base)
            steps[SCORE_NAME] = Step(
                SCORE_NAME, SCORE, None, _weighted([(k, pairs[k]) for k in base if k in pairs])
            )
        for name, out in n.outputs.items():
            self.deps[name] = self._note(out.expr)
            steps[name] = Step(name, OUTPUT, out.expr, c.expr(out.expr), out)
        order = [name for name in self.symbols.order if name in steps]
        post: set[str] = set()
        for name in order:
            if name in n.outputs or self.deps[name] & (post | {LEVEL_NAME}):
                post.add(name)
        return [steps[k] for k in order if k not in post], [steps[k] for k in order if k in post]

    def level_steps(self) -> list[LevelStep]:
        if self.ruleset.levels is None:
            return []
        out = []
        for lv in self.ruleset.levels.levels:
            self._note(lv.cond)
            out.append(
                LevelStep(lv.name, lv.cond, self.compiler.expr(lv.cond) if lv.cond is not None else None)
            )
        return out

    def veto_steps(self) -> list[VetoStep]:
        out = []
        for v in self.ruleset.vetoes:
            self._note(v.cond)
            out.append(VetoStep(v, self.compiler.expr(v.cond), citation_text(v.citation, self.ruleset)))
        return out

    def quota_steps(self) -> list[QuotaStep]:
        out = []
        for q in self.ruleset.quotas:
            self._note(q.limit)
            self.read |= set(q.scope) | {q.tie_field}
            out.append(
                QuotaStep(q, self.compiler.expr(q.limit, PERSON), citation_text(q.citation, self.ruleset))
            )
        return out

    def needed_fields(self):
        wanted = {x for x in self.read if x in self.names.task_fields}
        for name, needs in DERIVED_NEEDS.items():
            if name in wanted:
                wanted |= set(needs)
        return [info for name, info in self.names.task_fields.items() if name in wanted]

    def needed_inputs(self):
        return [info for name, info in self.names.inputs.items() if name in self.read]
