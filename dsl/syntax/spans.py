"""Compare syntax trees ignoring where things were written (spans, file name, source text)."""

from __future__ import annotations

import dataclasses

from .. import ast


def without_spans(node):
    """A copy of `node` (an AST node, tuple or plain value) with every span cleared, and a Ruleset's
    `filename`/`source` emptied: two parses of equivalent texts give equal results."""
    if isinstance(node, tuple):
        return tuple(without_spans(item) for item in node)
    if not dataclasses.is_dataclass(node) or isinstance(node, type) or isinstance(node, ast.Span):
        return node
    changes = {}
    for f in dataclasses.fields(node):
        value = getattr(node, f.name)
        if f.name in ("span", "func_span"):
            changes[f.name] = ast.NO_SPAN
        elif f.name == "item_spans":
            changes[f.name] = tuple((key, ast.NO_SPAN) for key, _ in value)
        elif f.name in ("source", "filename"):
            changes[f.name] = ""
        else:
            changes[f.name] = without_spans(value)
    return dataclasses.replace(node, **changes)
