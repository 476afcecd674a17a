"""The exact engine: evaluate a Plan person by person on exact values (int/Fraction), explaining
every number on request. Errors are EvalErrors (dsl.errors) naming the person and the rule's span."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .. import ast
from ..ast import NO_SPAN
from ..checker.functions import is_aggregate
from ..defaults import complete_tasks
from ..errors import BlankComparison, ComputeError, EvalError, NotApplicableValue
from ..fields import SCORE_NAME
from ..records import Dataset
from ..results import PersonResult, RunResult
from . import hierarchy
from .build import ADDED, CRITERION, OUTPUT, PERSON_VALUE, SCORE, Step, citation_text
from .env import Env, PersonState
from .explain import number_text
from .failures import FAILURES, failure
from .levels import classify
from .plan import Plan
from .quota import apply_quota
from .state import Rows, load_fields, load_inputs, load_periods, load_tasks, raise_input_problems
from .values import NA, NotApplicableUsed, format_number, format_value, round_to


@dataclass(slots=True)
class Run:
    """A finished run: the result, the states of the persons returned (by code) and of every person
    evaluated (`evaluated`, by code: pass the Run as `reuse=` to a later single-person run)."""

    result: RunResult
    states: dict[str, PersonState]
    evaluated: dict[str, PersonState]


def run(plan: Plan, data: Dataset, pv: dict, *, explain=False, only=None, reuse=None, quotas=False) -> Run:
    """Evaluate every person of `data` exactly (or only the codes in `only`), with the parameter
    values `pv`, returning the states too. With `only`, `reuse` (an earlier Run on the same people,
    or anything with an `evaluated` dict) supplies subordinates that are not re-evaluated: a
    leader's re-evaluation then costs one person. The caller guarantees those subordinates' records
    did not change."""
    complete_tasks(data, plan.needed_fields)
    people = data.people
    subs = hierarchy.subordinates(people) if plan.uses_subordinates else None
    targets, chosen = None, None
    known: dict[int, PersonState] = {}
    if only is not None:
        index = data.index()
        targets = [index[c] for c in sorted(only) if c in index]
        if reuse is not None and subs is not None:
            wanted = set(targets)
            known = {
                i: reuse.evaluated[p.code]
                for i, p in enumerate(people)
                if p.code in reuse.evaluated and i not in wanted
            }
        chosen = hierarchy.closure(targets, subs, known) if subs is not None else set(targets)
    if subs is not None:
        order = hierarchy.bottom_up(people, subs, chosen)
    else:
        order = sorted(chosen) if targets is not None else list(range(len(people)))
    rows = Rows(data, order if targets is not None else None)
    states = {i: PersonState(i, people[i]) for i in order}
    problems: dict = {"missing": {}, "bad": []}
    for i in order:
        load_fields(states[i])
        load_inputs(states[i], data, plan.needed_inputs, problems)
    raise_input_problems(problems)
    blank: dict[str, str] = {}  # R1011 per person: every person affected is listed, as for R1001
    for i in order:
        s = states[i]
        if subs is not None:
            s.subs = [states[j] if j in states else known[j] for j in subs[i] if j in states or j in known]
            if any(sub.code in blank for sub in s.subs):
                continue  # the run fails: a leader of a person with a blank comparison waits for the fix
        try:
            _guarded(s, lambda s=s: _evaluate_person(plan, s, data, rows, pv, explain))
        except BlankComparison as e:
            blank[s.code] = e.message + _task_named(data, getattr(e, "task_row", None))
    if blank:
        raise blank_compared(blank)
    ordered = [states[i] for i in sorted(order)]
    # quotas need the whole group: a run restricted by `only` reports levels before quotas
    for step in plan.quota_steps if targets is None or quotas else ():
        try:
            p_value = step.limit(Env(None, None, pv))
        except (EvalError, ArithmeticError, TypeError, ValueError, KeyError, AttributeError) as e:
            message = f'không tính được tỷ lệ của hạn mức "{step.quota.level}": {e}'
            raise ComputeError(message, span=step.quota.span) from None
        apply_quota(step, ordered, tuple(plan.level_names), p_value, explain, plan.rounding.digits)
    for s in ordered:
        _guarded(s, lambda s=s: post(plan, s, pv, explain))
    shown = ordered if targets is None else [states[i] for i in sorted(targets)]
    results = [result(plan, s) for s in shown]
    run = RunResult(plan.code, plan.version, plan.sha256, data.period, results, plan.rounding.digits)
    return Run(run, {s.code: s for s in shown}, {s.code: s for s in ordered})


def _task_named(data: Dataset, row: int | None) -> str:
    if row is None:
        return ""
    codes = data.task_columns.get("mã_nhiệm_vụ")
    if codes is not None:
        return f", nhiệm vụ {codes[row]}"
    if data.task_rows is not None:
        return f", nhiệm vụ ở dòng {int(data.task_rows[row])}"
    return ""


def blank_compared(blank: dict[str, str]) -> BlankComparison:
    """R1011 listing every person whose evaluation compared a blank value with <, <=, > or >=."""
    listed = "; ".join(f"cán bộ {code}: {why}" for code, why in blank.items())
    return BlankComparison(
        f"so sánh với giá trị trống ({len(blank)} cán bộ) — {listed}. Điền giá trị trong dữ liệu, hoặc "
        "thêm điều kiện có_giá_trị(…) vào công thức"
    )


def _guarded(s: PersonState, work) -> None:
    try:
        work()
    except FAILURES as e:
        raise failure(e, person=s.code) from None


def _applies(step: Step, env: Env) -> bool:
    try:
        return step.when(env)
    except FAILURES as e:
        raise failure(e, span=_span(step)) from None


def _span(step: Step):
    return getattr(step.node, "span", None)


def _evaluate_person(plan: Plan, s: PersonState, data: Dataset, rows: Rows, pv: dict, explain: bool) -> None:
    load_tasks(s, data, rows.tasks(s.index), plan.needed_fields)
    if plan.uses_periods:
        load_periods(s, data, rows.periods(s.index), tuple(plan.names.criteria))
    if explain:
        r = s.record
        counted = (
            f"Số kết quả kỳ đã đọc: {s.n_period}"
            if plan.uses_periods
            else f"Số nhiệm vụ trong kỳ: {s.n_tasks}"
        )
        s.explanation.append(counted + (f"; đơn vị {r.unit}" if r.unit else ""))
    tenv = Env(s, 0, pv)
    for step in plan.task_steps:
        fn, col = step.fn, []
        try:
            for r in range(s.n_tasks):
                tenv.row = r
                col.append(fn(tenv))
        except FAILURES as e:
            raise failure(e, span=_span(step)) from None
        s.task[step.name] = col
    env = Env(s, None, pv)
    for step in plan.person_steps:
        _step(plan, step, s, env, explain)
    s.score = s.values.get(SCORE_NAME)
    classify(s, env, plan.level_steps, plan.veto_steps, plan.render, explain, plan.levels_citation)


def _step(plan: Plan, step: Step, s: PersonState, env: Env, explain: bool) -> None:
    if step.kind == CRITERION and step.when is not None and not _applies(step, env):
        s.values[step.name] = NA
        if explain:
            why = plan.render.condition(step.node.when, env, False)
            s.explanation.append(f'Tiêu chí {step.name} "{step.node.title}" không áp dụng: {why}')
        return
    try:
        value = step.fn(env)
    except NotApplicableUsed as e:
        if step.kind != PERSON_VALUE:
            what = {CRITERION: "tiêu chí", SCORE: "điểm", OUTPUT: "đầu ra"}.get(step.kind, "")
            message = f'{what} {step.name} dùng giá trị không áp dụng "{e.name}"'.strip()
            raise NotApplicableValue(message, span=_span(step) or NO_SPAN) from None
        value = NA
    except FAILURES as e:
        raise failure(e, span=_span(step)) from None
    raw = value
    if step.kind == SCORE:
        value = round_to(value, plan.rounding.digits, plan.rounding.mode)
    s.values[step.name] = value
    if explain and (step.kind != ADDED or plan.names.added_criteria):
        s.explanation.append(_line(plan, step, env, raw))


def _weighted_terms(plan: Plan, step: Step, env: Env) -> str:
    """The terms of a weighted sum of criteria ("70% × 83,333333… + 30% × 80"), not-applicable
    criteria left out."""
    added = plan.names.added_criteria
    codes = [c for c in plan.names.criteria if (c in added) == (step.kind == ADDED)]
    terms = []
    for code in codes:
        crit = plan.names.criteria[code]
        value = env.p.values.get(code, NA)
        if crit.weight is None or value is NA:
            continue
        weight = plan.render.text(crit.weight, env)
        terms.append(f"{weight} × {number_text(value, plan.rounding.digits)}")
    return " + ".join(terms) or "0"


def _line(plan: Plan, step: Step, env: Env, value) -> str:
    """One explanation line: the formula as written, with values, and the result. Results are
    exact (or six decimals and "…"), and a reported value rounded by the ruleset says so."""
    digits = plan.rounding.digits
    exact = number_text(value, digits)
    rounded = (
        format_value(round_to(value, digits, plan.rounding.mode), digits) if _is_number(value) else exact
    )
    if step.expr is None:
        formula = "tổng có trọng số của các tiêu chí"
        subst, notes = _weighted_terms(plan, step, env), []
    else:
        formula = plan.render.text(step.expr)
        subst, notes = plan.render.substituted(step.expr, env)
        subst = plan.render.terms(step.expr, env) or subst
    chain = f"{formula} = {subst} = {exact}" if subst and subst != exact else f"{formula} = {exact}"
    if step.kind == CRITERION:
        c = step.node
        cite = citation_text(c.citation, plan.ruleset)
        head = f'Tiêu chí {c.code} "{c.title}"' + (f" ({cite})" if cite else "")
        if rounded != exact:
            chain += f" (làm tròn: {rounded})"
    elif step.kind == SCORE:
        head = "Điểm"
        chain += f" (làm tròn {digits} chữ số, {plan.rounding.mode}: {rounded})"
    elif step.kind == ADDED:
        head = "Điểm các tiêu chí bổ sung (điểm_bổ_sung)"
    elif step.kind == OUTPUT:
        title = step.node.title
        head = f"Đầu ra {step.name}" + (f' "{title}"' if title else "")
    else:
        head = f"Giá trị {step.name}"
    line = f"{head} = {chain}"
    if isinstance(step.expr, ast.Call) and is_aggregate(step.expr):
        line += plan.render.who(step.expr, env)
    elif notes:
        line += "; trong đó " + ", ".join(notes)
    return line


def _is_number(v) -> bool:
    return isinstance(v, int | Fraction) and not isinstance(v, bool)


def post(plan: Plan, s: PersonState, pv: dict, explain: bool) -> None:
    env = Env(s, None, pv)
    s.explanation.extend(s.quota_lines)
    for step in plan.post_steps:
        _step(plan, step, s, env, explain)
    if explain:
        level = f'xếp loại "{s.level}"' if s.level else "không xếp loại"
        score = format_number(s.score, plan.rounding.digits) if isinstance(s.score, int | Fraction) else "—"
        s.explanation.append(f"Kết quả: điểm {score}, {level}")
        # the first line: score, level and the one reason that decided it, in plain words
        who = f"Cán bộ {s.code}" + (f" ({s.record.name})" if s.record.name else "")
        why = f" {s.decision}" if s.decision.startswith(("do ", "theo ")) else f" vì {s.decision}"
        s.explanation.insert(0, f"{who}: {score} điểm, {level}{why if s.decision else ''}.")


def result(plan: Plan, s: PersonState) -> PersonResult:
    crit = {code: Fraction(v) for code in plan.names.criteria if (v := s.values.get(code, NA)) is not NA}
    outputs = {}
    for name in plan.outputs:
        v = s.values.get(name, NA)
        outputs[name] = (
            None if v is NA else (Fraction(v) if isinstance(v, int) and not isinstance(v, bool) else v)
        )
    score = s.score
    return PersonResult(
        person=s.code,
        unit=s.record.unit,
        criteria=crit,
        score=Fraction(score) if isinstance(score, int | Fraction) and not isinstance(score, bool) else None,
        level=s.level,
        level_before_quota=s.level_before_quota,
        vetoes=list(s.reasons),
        outputs=outputs,
        explanation=list(s.explanation),
        duty_group=s.record.duty_group,
        not_rated=s.not_rated,
    )
