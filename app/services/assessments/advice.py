"""Why a person has this level and not the one above, and what would raise it, in plain Vietnamese.

`gap_to_next(program, dataset, code, ...)` evaluates the person with the exact engine (explanations on)
under the program they are pinned to: the level's condition that failed for the level just above, each
failing comparison with its values and how much is missing (points for the score, the value's own unit
otherwise), vetoes and caps that hold the level down; then variations of the person's OWN data through
the same engine (`advice_tries`): finishing their remaining tasks, a higher manual input. Thresholds,
level names and what counts as a task come from the ruleset and the data, never from constants here.

The sources: `for_provisional(person, period)` (today's data, as the provisional score; an official's
own page) and `for_result(assessment, code)` (the stored snapshot of a run; the person page).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

from dsl import ast
from dsl.engine.env import Env
from dsl.engine.values import format_exact
from dsl.errors import DslError
from dsl.fields import SCORE_NAME

from ..errors import ServiceError
from . import engine
from .advice_tries import Budget, Outcome, Trial

_WORDS = {">=": "từ {} trở lên", ">": "trên {}", "<=": "không quá {}", "<": "dưới {}", "=": "bằng {}",
          "<>": "khác {}", "!=": "khác {}"}  # fmt: skip
_FLIP = {">=": "<=", ">": "<", "<=": ">=", "<": ">", "=": "=", "<>": "<>", "!=": "!="}


@dataclass
class Condition:
    """One comparison of the level above that fails (or, in `why`, holds), in plain words."""

    text: str  # "điểm từ 90 trở lên (hiện 84,5; còn thiếu 5,5 điểm)"
    current: Fraction | None = None
    needed: Fraction | None = None
    gap: Fraction | None = None  # how far the value is from the threshold (> 0), None: not a number
    on_score: bool = False


@dataclass
class Suggestion:
    kind: str  # "tasks" | "input"
    text: str
    reaches: bool  # the engine says this variation reaches the target level
    score: Fraction | None = None
    level: str | None = None
    count: int = 0  # tasks to finish
    tasks: list[str] = field(default_factory=list)  # their codes
    value: Fraction | None = None  # the input value tried


@dataclass
class Gap:
    person: str
    score: Fraction | None
    level: str | None  # the level the person's own data gives (before any quota)
    target: str | None  # the level just above; None: the top, not rated, or a veto decides
    why: str  # plain sentence: why this level
    summary: str  # plain sentence: why not the level above (or why nothing above applies)
    missing_points: Fraction | None = None  # points of score missing for the target, when it is a score bar
    conditions: list[Condition] = field(default_factory=list)
    blockers: list[str] = field(
        default_factory=list
    )  # vetoes, caps, not rated: reasons in the ruleset's words
    suggestions: list[Suggestion] = field(default_factory=list)
    criteria: list[tuple[str, str, Fraction]] = field(default_factory=list)  # (code, title, value)
    formula: str = ""  # the engine's line of the score (formula, values, result), names in words
    inputs: list[tuple[str, str]] = field(default_factory=list)  # (title, value) of the manual inputs given
    lines: list[str] = field(default_factory=list)  # the engine's explanation lines
    notes: list[str] = field(default_factory=list)  # quota, decision: what the stored result adds
    tries: int = 0


def number(value) -> str:
    """Exact decimal, Vietnamese style (84,5), the one formatter of explanations."""
    return format_exact(value)


def gap_to_next(program, dataset, code: str, *, external: dict | None = None, as_of: dt.date | None = None,
                titles: dict[str, str] | None = None, budget: Budget | None = None) -> Gap:  # fmt: skip
    """The gap of person `code` in `dataset` to the level above. `external`: their subordinates' states
    (fixed). `as_of`: the day the period is seen from (an open period: remaining tasks are finished from
    that day, late past their deadline); None: a closed period, phrased as "had they been finished on
    time". `titles`: task code -> title for the suggestions."""
    try:
        result, states = engine.evaluate(program, dataset, explain=True, only={code}, external=external or None,
                                         quotas=False)  # fmt: skip
    except DslError as exc:
        raise ServiceError(f"không tính được điểm của cán bộ {code}: {exc}") from None
    mine = next(r for r in result.results if r.person == code)
    state = states[code]
    env = Env(state, None, program.param_values())
    names = program.level_names
    level = mine.level_before_quota
    gap = Gap(code, mine.score, level, None, _why(program, env, state), "", lines=list(mine.explanation),
              criteria=[(c, t, mine.criteria[c]) for c, t, _ in program.criteria if c in mine.criteria])  # fmt: skip
    gap.blockers = list(mine.vetoes)
    gap.formula = next((line for line in mine.explanation if line.startswith("Điểm = ")), "").replace(
        "_", " "
    )
    gap.inputs = _inputs(program, dataset.inputs.get(code, {}))
    if state.not_rated or level is None:
        gap.summary = "Không xếp loại: " + ("; ".join(mine.vetoes) or "không đủ điều kiện xếp loại") + "."
        return gap
    if state.vetoed:
        gap.summary = (f'Xếp loại "{level}" do loại trừ, bất kể điểm: {"; ".join(mine.vetoes)}. '
                       "Hoàn thành thêm nhiệm vụ không thay đổi được xếp loại này.")  # fmt: skip
        return gap
    rank = names.index(level)
    if rank == 0:
        gap.summary = f'Đã đạt mức cao nhất: "{level}".'
        return gap
    gap.target = names[rank - 1]
    step = next(s for s in program.level_steps if s.name == gap.target)
    if step.cond is not None:
        gap.conditions = _failing(program, env, step.cond)
    on_score = [c for c in gap.conditions if c.on_score and c.gap is not None]
    gap.missing_points = on_score[0].gap if on_score else None
    if state.level_by_score != level and mine.vetoes:  # a cap (`tối đa`) holds the level below the score's
        gap.summary = (f'Theo điểm đạt "{state.level_by_score}" nhưng bị giới hạn tối đa "{level}": '
                       f'{"; ".join(mine.vetoes)}.')  # fmt: skip
    elif gap.conditions:
        gap.summary = f'Chưa đạt "{gap.target}" vì cần ' + "; ".join(c.text for c in gap.conditions) + "."
    else:
        gap.summary = f'Chưa đạt "{gap.target}".'
    trial = Trial(program, dataset, code, external, budget or Budget())
    gap.suggestions = _suggestions(program, trial, gap, as_of, titles or {}, dataset)
    gap.tries = trial.budget.used
    return gap


def _inputs(program, given: dict) -> list[tuple[str, str]]:
    out = []
    for info in program.inputs:
        value = given.get(info.name)
        if value is None or value == "":
            continue
        if isinstance(value, bool):
            shown = "có" if value else "không"
        elif isinstance(value, int | Fraction):
            shown = number(value)
        else:
            shown = str(value)
        out.append((info.title or info.name.replace("_", " "), shown))
    return out


# ---------------------------------------------------------------------- conditions in plain words
def _atoms(program, env: Env, node: ast.Expr, depth: int = 0) -> list[ast.Expr]:
    """The parts of a condition that must all hold: the operands of `và`, the definitions of the person
    values it names (a level written as `đủ_tốt`), the branch an `nếu … thì … ngược lại` takes."""
    if depth > 6:
        return [node]
    if isinstance(node, ast.Binary) and node.op == "và":
        return _atoms(program, env, node.left, depth + 1) + _atoms(program, env, node.right, depth + 1)
    if isinstance(node, ast.Name) and program.names.kind(node.name) == "person_value":
        definition = program.render.definitions.get(node.name)
        if definition is not None:
            return _atoms(program, env, definition, depth + 1)
    if isinstance(node, ast.If):
        branch = node.then if bool(program.render.value(node.cond, env)) else node.otherwise
        return _atoms(program, env, branch, depth + 1)
    return [node]


def _failing(program, env: Env, cond: ast.Expr) -> list[Condition]:
    out = []
    for atom in _atoms(program, env, cond):
        if bool(program.render.value(atom, env)):
            continue
        out.append(_describe(program, env, atom, holds=False))
    return out


def _describe(program, env: Env, node: ast.Expr, *, holds: bool) -> Condition:
    r = program.render
    if isinstance(node, ast.Name) and isinstance(r.value(node, env), bool):  # a yes/no input or value
        label = _label(program, node)
        return Condition(f"{label}: có" if holds else f'{label} phải là "có" (hiện: không)')
    if not (isinstance(node, ast.Compare) and len(node.ops) == 1):
        return Condition(_plain(r.condition(node, env, holds)))
    left, right = node.operands
    op = node.ops[0]
    if _fixed(program, left) and not _fixed(program, right):
        left, right, op = right, left, _FLIP[op]
    current, needed = r.value(left, env), r.value(right, env)
    wanted = _WORDS.get(op, op + " {}").format(r.value_text(right, env))
    text = f"{_label(program, left)} {wanted}"
    numeric = all(isinstance(v, int | Fraction) and not isinstance(v, bool) for v in (current, needed))
    on_score = isinstance(left, ast.Name) and left.name == SCORE_NAME
    if not numeric:
        return Condition(f"{text} (hiện {r.value_text(left, env)})")
    current, needed = Fraction(current), Fraction(needed)
    if holds:
        return Condition(
            f"{_label(program, left)} {number(current)} {wanted}", current, needed, None, on_score
        )
    if op in (">=", ">") or (op == "=" and current < needed):
        gap, more = needed - current, "còn thiếu"
    elif op in ("<=", "<", "="):
        gap, more = current - needed, "phải giảm"
    else:
        gap, more = None, ""
    if gap is None or gap < 0:
        return Condition(f"{text} (hiện {number(current)})", current, needed, None, on_score)
    unit = " điểm" if on_score else ""
    strict = " và hơn nữa" if op in (">", "<") else ""
    shown = f"{text} (hiện {number(current)}; {more} {number(gap)}{unit}{strict})"
    return Condition(shown, current, needed, gap, on_score)


def _fixed(program, node: ast.Expr) -> bool:
    """A threshold: a literal or a parameter."""
    if isinstance(node, ast.Num | ast.Text | ast.Bool | ast.DateLit):
        return True
    return isinstance(node, ast.Name) and program.names.kind(node.name) == "param"


def _label(program, node: ast.Expr) -> str:
    if isinstance(node, ast.Name):
        n = node.name
        kind = program.names.kind(n)
        if kind == "criterion":
            return f'tiêu chí {n} "{program.names.criteria[n].title}"'
        if kind == "input":
            info = program.names.inputs[n]
            return f'"{info.title or n}"'
        if kind == "param" and program.params[n].title:
            return program.params[n].title
        return n.replace("_", " ")
    return _plain(program.render.text(node))


def _plain(text: str) -> str:
    from dsl.engine.levels import plain

    return plain(text).replace("_", " ")


def _why(program, env: Env, state) -> str:
    level = state.level_before_quota
    if state.not_rated or level is None:
        return "Không xếp loại."
    if state.vetoed:
        return f'Xếp loại "{level}" do loại trừ: {"; ".join(state.reasons)}.'
    by_score = state.level_by_score
    step = next((s for s in program.level_steps if s.name == by_score), None)
    if step is None or step.cond is None:
        held = "không đạt điều kiện của mức nào cao hơn"
    else:
        held = "; ".join(_describe(program, env, a, holds=True).text for a in _atoms(program, env, step.cond))
    line = f'Đạt "{by_score}" vì {held}.'
    if by_score != level:
        line += f' Bị giới hạn tối đa "{level}": {"; ".join(state.reasons)}.'
    return line


# ---------------------------------------------------------------------- what would raise it
def _suggestions(program, trial: Trial, gap: Gap, as_of, titles: dict, dataset) -> list[Suggestion]:
    out: list[Suggestion] = []
    target = gap.target
    rows = trial.remaining(as_of)
    if rows:
        out.append(_tasks_suggestion(trial, rows, target, as_of, titles, dataset))
    for info in program.inputs:
        suggestion = _input_suggestion(program, trial, info, target)
        if suggestion is not None:
            out.append(suggestion)
    return [s for s in out if s is not None]


def _task_names(rows: list[int], dataset, titles: dict) -> list[tuple[str, str]]:
    codes = dataset.task_columns.get("mã_nhiệm_vụ")
    own = dataset.task_columns.get("tên_nhiệm_vụ")
    out = []
    for r in rows:
        code = str(codes[r]) if codes is not None else f"dòng {r + 1}"
        title = titles.get(code) or (str(own[r]) if own is not None and own[r] else "")
        out.append((code, title))
    return out


def _tasks_suggestion(trial: Trial, rows, target: str, as_of, titles: dict, dataset) -> Suggestion | None:
    count, best, everything = trial.fewest_tasks(rows, target, as_of)
    if everything is None:
        return None
    if not count:
        verb = "Hoàn thành" if as_of is not None else "Nếu đã hoàn thành"
        every = f"cả {len(rows)} nhiệm vụ còn lại" if len(rows) > 1 else "nhiệm vụ còn lại"
        return Suggestion("tasks", f"{verb} {every} cũng chỉ được "
                          f"{_score(everything)}, \"{everything.level}\": chưa đủ để đạt \"{target}\".",
                          False, everything.score, everything.level, len(rows))  # fmt: skip
    chosen = rows[:count]
    named = _task_names(chosen, dataset, titles)
    listed = ", ".join(f"{c} “{t}”" if t else c for c, t in named[:5]) + (", …" if len(named) > 5 else "")
    late = trial.overdue(chosen, as_of)
    of = f"{count} nhiệm vụ còn lại" if count == len(rows) else f"{count} trong {len(rows)} nhiệm vụ còn lại"
    if as_of is None:
        text = f'Nếu đã hoàn thành đúng hạn {of} ({listed}) thì đạt "{best.level}" ({_score(best)}).'
    elif late:
        which = (
            "đã" if late == count == 1 else "đều đã" if late == count else f"{late} nhiệm vụ trong số đó đã"
        )
        text = (f'Hoàn thành {of} ({listed}; {which} quá hạn, vẫn bị tính chậm) '
                f'để đạt "{best.level}" (dự kiến {_score(best)}).')  # fmt: skip
    else:
        text = f'Hoàn thành đúng hạn {of} ({listed}) để đạt "{best.level}" (dự kiến {_score(best)}).'
    return Suggestion("tasks", text, True, best.score, best.level, count, [c for c, _ in named])


def _input_suggestion(program, trial: Trial, info, target: str) -> Suggestion | None:
    if info.kind != "số" or info.high is None:
        return None
    given = trial.data.inputs.get(trial.code, {})
    current = given.get(info.name)
    if not isinstance(current, int | Fraction) or isinstance(current, bool):
        return None
    try:
        high = Fraction(str(info.high))
    except (TypeError, ValueError):
        return None
    if Fraction(current) >= high:
        return None
    step = Fraction(1, 10 ** max(program.rounding.digits, 0))
    found = trial.lowest_input(info.name, Fraction(current), high, step, target)
    if found is None:
        return None
    value, outcome = found
    title = info.title or info.name.replace("_", " ")
    text = (f'Nếu "{title}" (đầu vào do người đánh giá nhập) là {number(value)} thay vì {number(current)} '
            f'thì đạt "{outcome.level}" ({_score(outcome)}).')  # fmt: skip
    return Suggestion("input", text, True, outcome.score, outcome.level, value=value)


def _score(outcome: Outcome) -> str:
    return f"{number(outcome.score)} điểm" if outcome.score is not None else "không có điểm"
