"""Applicability groups of criteria: which criteria apply together, for every possible truth of their
`khi` conditions, with the impossible combinations left out and a concrete witness for each group.

Conditions are grouped by their shape (`không` flips polarity). A condition that only compares one
subject (a name or any expression, written alike) with constants — chains, `và`, `hoặc`, `không`
included — is decided by the subject's value: the constants split the number line into points and open
pieces, and one candidate value per piece decides every such condition, so a combination of truths
that no value gives (`số_hồ_sơ > 4` and `số_hồ_sơ < 4` both true) is impossible, and a possible one
has a witness value (`số_hồ_sơ = 4`). Any other condition is a free true/false."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from fractions import Fraction

from .. import ast
from ..syntax.printer import expr as expr_text
from .names import shape
from .ranges import Range, declared_range
from .symbols import Symbols, constant_number

MAX_CONDITIONS = 10  # distinct `khi` conditions enumerated (2^10 combinations at most)
_TESTS = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "=": lambda a, b: a == b,
    "<>": lambda a, b: a != b,
    "!=": lambda a, b: a != b,
}


@dataclass(frozen=True, slots=True)
class Group:
    criteria: tuple[ast.Criterion, ...]
    truths: tuple[tuple[ast.Expr, bool], ...]  # each condition (as first written) and its truth
    witness: str  # "số_hồ_sơ = 4 và lãnh_đạo sai" ("" when there are no conditions)


def _strip(cond: ast.Expr) -> tuple[ast.Expr, bool]:
    positive = True
    while isinstance(cond, ast.Unary) and cond.op == "không":
        positive = not positive
        cond = cond.operand
    return cond, positive


def _subject(cond: ast.Expr, syms: Symbols, found: list) -> bool:
    """Whether `cond` only compares one subject with constants; collects (subject shape, node, constants)."""
    if isinstance(cond, ast.Unary) and cond.op == "không":
        return _subject(cond.operand, syms, found)
    if isinstance(cond, ast.Binary) and cond.op in ("và", "hoặc"):
        return _subject(cond.left, syms, found) and _subject(cond.right, syms, found)
    if not isinstance(cond, ast.Compare):
        return False
    for operand in cond.operands:
        value = constant_number(operand, syms)
        if value is not None:
            found.append(("const", value))
        else:
            found.append(("subject", shape(operand), operand))
    subjects = {item[1] for item in found if item[0] == "subject"}
    return len(subjects) == 1


def _holds(cond: ast.Expr, syms: Symbols, value: Fraction) -> bool:
    if isinstance(cond, ast.Unary) and cond.op == "không":
        return not _holds(cond.operand, syms, value)
    if isinstance(cond, ast.Binary):
        left, right = _holds(cond.left, syms, value), _holds(cond.right, syms, value)
        return (left and right) if cond.op == "và" else (left or right)
    numbers = [constant_number(o, syms) for o in cond.operands]
    numbers = [value if n is None else n for n in numbers]
    return all(_TESTS[op](numbers[i], numbers[i + 1]) for i, op in enumerate(cond.ops))


def _candidates(constants: list[Fraction], subject: ast.Expr, syms: Symbols, range_of) -> list[Fraction]:
    """One value in each piece the constants (and the ends of the subject's range) cut the line into
    (integers preferred), inside the subject's range: its declared range, or `range_of(subject)`."""
    declared = None
    if range_of is not None:
        declared = range_of(subject)
    elif isinstance(subject, ast.Name) and (sym := syms.get(subject.name)) is not None:
        declared = declared_range(sym.node)
    if declared is not None:
        constants = constants + [end for end in (declared.lo, declared.hi) if end is not None]
    points = sorted(set(constants))
    out = [Fraction(math.floor(points[0]) - 1)] if points else [Fraction(0)]
    for a, b in zip(points, points[1:], strict=False):
        out.append(a)
        inside = Fraction(math.floor(a) + 1)
        out.append(inside if inside < b else (a + b) / 2)
    if points:
        out += [points[-1], Fraction(math.floor(points[-1]) + 1)]
    if declared is not None:
        out = [v for v in out if declared.meet(Range(v, v)) is not None]
    return out


def _number(x: Fraction) -> str:
    return str(x.numerator) if x.denominator == 1 else f"{float(x):g}".replace(".", ",")


def applicability_groups(criteria, syms: Symbols, range_of=None) -> list[Group] | None:
    """Every possible set of applicable criteria among `criteria` (None: too many conditions).
    `range_of(expr)`, when given, is the range of a compared subject (else: a name's declared range)."""
    atoms: dict[object, ast.Expr] = {}
    for c in criteria:
        if c.when is not None:
            bare, _ = _strip(c.when)
            atoms.setdefault(shape(bare), bare)
    if len(atoms) > MAX_CONDITIONS:
        return None
    keys = list(atoms)
    by_subject: dict[object, list[int]] = {}
    subject_node: dict[object, ast.Expr] = {}
    constants: dict[object, list[Fraction]] = {}
    for i, key in enumerate(keys):
        found: list = []
        if _subject(atoms[key], syms, found):
            subject = next(item for item in found if item[0] == "subject")
            by_subject.setdefault(subject[1], []).append(i)
            subject_node.setdefault(subject[1], subject[2])
            constants.setdefault(subject[1], []).extend(item[1] for item in found if item[0] == "const")
    decided = {i for members in by_subject.values() for i in members}
    groups: list[Group] = []
    for truth in itertools.product((True, False), repeat=len(keys)):
        words: list[str] = []
        possible = True
        for subject, members in by_subject.items():
            value = next(
                (
                    v
                    for v in _candidates(constants[subject], subject_node[subject], syms, range_of)
                    if all(_holds(atoms[keys[i]], syms, v) == truth[i] for i in members)
                ),
                None,
            )
            if value is None:
                possible = False
                break
            words.append(f"{expr_text(subject_node[subject])} = {_number(value)}")
        if not possible:
            continue
        for i, key in enumerate(keys):
            if i not in decided:
                words.append(f"{expr_text(atoms[key])} {'đúng' if truth[i] else 'sai'}")
        applicable = []
        for c in criteria:
            if c.when is None:
                applicable.append(c)
                continue
            bare, positive = _strip(c.when)
            if truth[keys.index(shape(bare))] == positive:
                applicable.append(c)
        truths = tuple((atoms[k], truth[i]) for i, k in enumerate(keys))
        groups.append(Group(tuple(applicable), truths, " và ".join(words)))
    return groups
