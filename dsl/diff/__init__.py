"""Semantic diff of two effective rulesets: what changed in meaning, described in Vietnamese.

Formulas are compared structurally (spans, spellings of numbers and keyword aliases ignored) and shown
as canonical text. Test cases and comments are not part of a ruleset's meaning and are not compared.
`changes.py` holds `Change` and the structural comparison, `parts.py` one comparison per part.
"""

from __future__ import annotations

from .. import ast
from .changes import Change, Diff, expr_text, same
from .parts import compare_all

__all__ = ["Change", "diff_rulesets", "expr_text", "same"]


def diff_rulesets(old: ast.Ruleset, new: ast.Ruleset) -> list[Change]:
    """Every change of meaning from `old` to `new` (both effective rulesets), in a stable order."""
    d = Diff()
    compare_all(d, old, new)
    return d.changes
