"""The lark tree → dsl.ast transformer: the only place that sees lark trees (besides error messages)."""

from __future__ import annotations

from lark.visitors import v_args

from .. import ast
from ..diagnostics import Diagnostic, error
from .exprs import ExprRules
from .statements import StatementRules
from .testcases import CaseRules


@v_args(meta=True)  # every rule method takes (meta, children): spans come from meta
class AstBuilder(ExprRules, StatementRules, CaseRules):
    """Builds AST nodes bottom-up without recursion (deep operator chains must not overflow the stack).

    `start` returns the statements in source order (a `mỗi nhiệm vụ` block gives a list of definitions);
    problems found while building (invalid literals, nesting) go to `diagnostics`."""

    def __init__(self, filename: str) -> None:
        super().__init__(visit_tokens=False)
        self.filename = filename
        self.diagnostics: list[Diagnostic] = []
        self._depth: dict[int, tuple[int, int]] = {}
        self._too_deep = False
        # lark wraps a v_args method anew on every lookup (one per tree node): look each up once
        for name in _RULES:
            setattr(self, name, getattr(self, name))

    def error(self, code: str, span: ast.Span, message: str) -> None:
        self.diagnostics.append(error(code, span, message, self.filename))

    def start(self, meta, children):
        out = []
        for child in children:
            if isinstance(child, list):
                out.extend(child)
            else:
                out.append(child)
        return out


# the rule methods (v_args-wrapped: they carry lark's `visit_wrapper`)
_RULES = tuple(
    name
    for name in dir(AstBuilder)
    if not name.startswith("_") and hasattr(getattr(AstBuilder, name), "visit_wrapper")
)
