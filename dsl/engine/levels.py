"""Classification of one person: the level by score (first match), then caps (`tối đa`), vetoes
(`loại trừ`) and `không xếp loại`, in that order, with the reasons and explanation lines."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .. import ast
from ..fields import LEVEL_NAME
from .env import Env, PersonState
from .explain import Renderer
from .failures import FAILURES, failure

CAP = "tối đa"
VETO = "loại trừ"
NOT_RATED = "không xếp loại"


@dataclass(frozen=True, slots=True)
class LevelStep:
    """One level of `xếp loại`: its name, condition (None for `còn lại`) and compiled condition."""

    name: str
    cond: ast.Expr | None
    fn: Callable | None


@dataclass(frozen=True, slots=True)
class VetoStep:
    """One `tối đa` / `loại trừ` / `không xếp loại` rule with its compiled condition."""

    veto: ast.Veto
    fn: Callable
    citation: str  # full citation text ("" when none)


_PLAIN_OPS = ((" >= ", " ≥ "), (" <= ", " ≤ "), (" <> ", " ≠ "), (" != ", " ≠ "))


def plain(condition: str) -> str:
    """A rendered condition with the comparison signs people write by hand (≥, ≤, ≠)."""
    for op, sign in _PLAIN_OPS:
        condition = condition.replace(op, sign)
    return condition


def veto_reason(step: VetoStep, render: Renderer) -> str:
    reason = step.veto.reason or render.text(step.veto.cond)
    return f"{reason} ({step.citation})" if step.citation else reason


def _holds(fn: Callable, env: Env, span: ast.Span) -> bool:
    try:
        return fn(env)
    except FAILURES as e:
        raise failure(e, span=span) from None


def classify(
    p: PersonState,
    env: Env,
    levels: list[LevelStep],
    vetoes: list[VetoStep],
    render: Renderer,
    explain: bool,
    levels_citation: str,
) -> None:
    """Set p.level_by_score, p.level_before_quota, p.level, p.not_rated, p.vetoed, p.reasons."""
    rank = {step.name: i for i, step in enumerate(levels)}  # 0 = best
    lines = p.explanation
    level = None
    missed = ""  # why the level just above was not reached
    for step in levels:
        if step.fn is None or _holds(step.fn, env, step.cond.span):
            level = step.name
            if explain:
                cite = f" ({levels_citation})" if levels_citation else ""
                why = "còn lại" if step.cond is None else render.condition(step.cond, env, True)
                lines.append(f'Xếp loại theo điểm: "{step.name}"{cite}: {why}')
                held = "không đạt mức nào cao hơn" if step.cond is None else f"đạt điều kiện {plain(why)}"
                p.decision = f"theo điểm: {held}" + (f"; chưa đạt {missed}" if missed else "")
            break
        if explain:
            failed = render.condition(step.cond, env, False)
            lines.append(f'Không đạt "{step.name}": {failed}')
            missed = f'"{step.name}" vì {plain(failed)}'
    p.level_by_score = level

    for kind in (CAP, VETO, NOT_RATED):
        for step in vetoes:
            if step.veto.kind != kind or not _holds(step.fn, env, step.veto.span):
                continue
            reason = veto_reason(step, render)
            target = step.veto.level
            why = render.condition(step.veto.cond, env, True) if explain else ""
            if kind == CAP:
                if level is None or target not in rank or rank[level] >= rank[target]:
                    continue
                p.reasons.append(reason)
                if explain:
                    lines.append(f'Giới hạn tối đa "{target}" (thay cho "{level}"): {reason}; {why}')
                    p.decision = (
                        f'do giới hạn tối đa "{target}" (theo điểm là "{level}"): {reason}; {plain(why)}'
                    )
                level = target
            elif kind == VETO:
                p.vetoed = True
                p.reasons.append(reason)
                if explain:
                    lines.append(f'Loại trừ: xếp loại "{target}" bất kể điểm: {reason}; {why}')
                    p.decision = f"do loại trừ, bất kể điểm: {reason}; {plain(why)}"
                level = target
            else:
                p.not_rated = True
                p.reasons.append(reason)
                if explain:
                    lines.append(f"Không xếp loại: {reason}; {why}")
                    p.decision = f"{reason}; {plain(why)}"
                level = None
    if p.not_rated:
        level = None
    p.level_before_quota = level
    p.level = level
    p.values[LEVEL_NAME] = level
