"""Value types of the ruleset language, as the checker infers them."""

from __future__ import annotations

from dataclasses import dataclass

from .. import ast
from ..syntax.literals import literal_number

__all__ = ["literal_number"]  # re-exported: the checker reads number literals through T

NUMBER_KIND = "số"
BOOL_KIND = "đúng sai"
TEXT_KIND = "văn bản"
DATE_KIND = "ngày"
SCALE_KIND = "thang"
LEVEL_KIND = "xếp loại"  # the classification level: compared with level names only
UNKNOWN_KIND = "?"  # after an error: accepted everywhere, so one mistake gives one diagnostic


@dataclass(frozen=True, slots=True)
class Type:
    kind: str
    scale: tuple[str, ...] = ()  # ordered values of a "thang" (first lowest)

    @property
    def unknown(self) -> bool:
        return self.kind == UNKNOWN_KIND

    def describe(self) -> str:
        """Vietnamese name of the type for messages."""
        if self.kind == SCALE_KIND:
            return "thang (" + ", ".join(f'"{v}"' for v in self.scale) + ")"
        return {
            NUMBER_KIND: "số",
            BOOL_KIND: "đúng/sai",
            TEXT_KIND: "văn bản",
            DATE_KIND: "ngày",
            LEVEL_KIND: "xếp loại",
        }.get(self.kind, "không xác định")


NUMBER = Type(NUMBER_KIND)
BOOL = Type(BOOL_KIND)
TEXT = Type(TEXT_KIND)
DATE = Type(DATE_KIND)
LEVEL = Type(LEVEL_KIND)
UNKNOWN = Type(UNKNOWN_KIND)


def from_kind(kind: str, scale: tuple[str, ...] = ()) -> Type:
    """The type of a declared field/input kind ("số", "văn bản", "đúng sai", "ngày", "thang")."""
    if kind == SCALE_KIND:
        return Type(SCALE_KIND, tuple(scale))
    if kind in (NUMBER_KIND, BOOL_KIND, TEXT_KIND, DATE_KIND):
        return Type(kind)
    return UNKNOWN


def of_typespec(spec: ast.TypeSpec) -> Type:
    return from_kind(spec.kind, spec.scale)


def of_literal(expr: ast.Expr) -> Type | None:
    """Type of a literal node, None when the node is not a literal."""
    if isinstance(expr, ast.Num):
        return NUMBER
    if isinstance(expr, ast.Text):
        return TEXT
    if isinstance(expr, ast.Bool):
        return BOOL
    if isinstance(expr, ast.DateLit):
        return DATE
    if isinstance(expr, ast.Unary) and expr.op == "-" and isinstance(expr.operand, ast.Num):
        return NUMBER
    return None


def compatible(expected: Type, actual: Type) -> bool:
    """Whether a value of type `actual` may stand where `expected` is required (equality of kinds;
    a text literal fits a scale or a level, and unknown fits everything)."""
    if expected.unknown or actual.unknown:
        return True
    if expected.kind == actual.kind:
        return expected.kind != SCALE_KIND or expected.scale == actual.scale
    return actual.kind == TEXT_KIND and expected.kind in (SCALE_KIND, LEVEL_KIND)
