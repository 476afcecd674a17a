"""Whatever the text, the whole pipeline (parse → check → compile → evaluate its test cases) answers with
diagnostics or evaluation errors, never with an exception of another kind."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsl.engine.program import compile_ruleset
from dsl.errors import EvalError
from dsl.pipeline import check_source
from dsl.resolver import FileResolver
from dsl.testing import run_tests

ROOT = Path(__file__).resolve().parents[2] / "rulesets"
SOURCES = sorted(p.read_text(encoding="utf-8") for p in ROOT.rglob("*.kpi"))
RESOLVER = FileResolver(ROOT)


def _run_all(text: str) -> None:
    result = check_source(text, "mutated.kpi", resolver=RESOLVER)
    for d in result.diagnostics:
        assert d.code[0] in "EW" and d.span.line >= 0
    if not result.ok:
        return
    program = compile_ruleset(result.ruleset, result.sha256)
    assert program.code
    try:
        outcomes = run_tests(result.ruleset, result.sha256)
    except EvalError:  # pragma: no cover - run_tests turns these into failures, kept as a guard
        return
    for outcome in outcomes:
        assert isinstance(outcome.passed, bool)


@st.composite
def mutated(draw):
    source = draw(st.sampled_from(SOURCES))
    lines = source.split("\n")
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["drop", "dup", "swap", "cut", "number"]))
        if kind == "drop":
            lines.pop(i)
        elif kind == "dup":
            lines.insert(i, lines[i])
        elif kind == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "cut" and lines[i]:
            k = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:k]
        else:
            lines[i] = lines[i].replace("0", draw(st.sampled_from(["", "00", "-1", "0.5", "%"])), 1)
        if not lines:
            lines = [""]
    return "\n".join(lines)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_shipped_rulesets_never_raise(text):
    _run_all(text)


def test_every_shipped_ruleset_runs_its_tests():
    assert SOURCES, "rulesets/ must ship rulesets"
    for text in SOURCES:
        _run_all(text)
