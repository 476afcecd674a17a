"""The evaluation stages of the ruleset language: compile a checked Ruleset into a Program, evaluate it
exactly over a Dataset (levels, caps, vetoes, not-rated, quotas, outputs) and explain every number.

    program = dsl.engine.program.compile_ruleset(ruleset, sha256, symbols)
    result = program.evaluate(dataset, params={...}, explain=True, only={"CB001"})

Callers outside dsl use `dsl.run.compile` / `dsl.run.evaluate`. This package imports none of its
modules: `dsl/vector/` uses the lower ones (build, env, exact, levels, values…), and `program.py`, which
chooses between the two evaluators, sits above both.
"""
