"""The public entry of the engine: `compile_ruleset(ruleset) -> Program`, `Program.evaluate(data)`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from .. import ast
from ..errors import EvalError
from ..fields import SCORE_NAME
from ..records import Dataset
from ..results import PersonResult, RunResult
from ..text import suggest
from . import hierarchy
from .build import ADDED, CRITERION, OUTPUT, PERSON_VALUE, SCORE, Builder, Step, citation_text
from .env import Env, PersonState
from .explain import Renderer
from .levels import classify
from .quota import apply_quota
from .state import Rows, load_fields, load_inputs, load_periods, load_tasks, raise_input_problems
from .symbols import is_aggregate
from .values import (
    NA,
    NotApplicableUsed,
    format_number,
    format_value,
    literal_value,
    norm,
    number_of,
    round_to,
)


@dataclass(slots=True)
class Run:
    """A finished run: the result, the states of the persons returned (by code) and of every person
    evaluated (`evaluated`, by code: pass the Run as `reuse=` to a later single-person run)."""

    result: RunResult
    states: dict[str, PersonState]
    evaluated: dict[str, PersonState]


class Program:
    """A compiled ruleset. See dsl/engine/build.py for the stages and steps it holds."""

    def __init__(self, ruleset: ast.Ruleset, sha256: str = ""):
        b = Builder(ruleset)
        h = ruleset.header
        self.ruleset = ruleset
        self.code, self.version, self.sha256 = h.code, h.version, sha256
        self.rounding = h.rounding
        self.names = b.names
        self.level_names: list[str] = list(b.names.levels)
        self.criteria = [(c.code, c.title, citation_text(c.citation, ruleset)) for c in ruleset.criteria]
        self.outputs = [o.name for o in ruleset.outputs]
        self.inputs = list(b.names.inputs.values())
        self.params = {p.name: p for p in ruleset.params}
        self.task_steps: list[Step] = b.task_steps()
        self.person_steps, self.post_steps = b.person_steps()
        self.level_steps = b.level_steps()
        self.veto_steps = b.veto_steps()
        self.quota_steps = b.quota_steps()
        self.needed_fields = b.needed_fields()
        self.needed_inputs = b.needed_inputs()
        self.uses_subordinates = "cấp_dưới" in b.scopes
        self.uses_periods = "kỳ" in b.scopes
        self.levels_citation = citation_text(ruleset.levels.citation, ruleset) if ruleset.levels else ""
        percents = frozenset(
            p.name for p in ruleset.params if isinstance(p.value, ast.Num) and p.value.percent
        )
        self.render = Renderer(b.compiler.fns, h.rounding.digits, percents)

    # -------------------------------------------------------------- parameters
    def param_values(self, overrides: dict | None = None) -> dict[str, object]:
        values = {p.name: literal_value(p.value) for p in self.ruleset.params}
        for name, v in (overrides or {}).items():
            values[name] = _plain(v)
        return values

    def check_params(self, values: dict) -> list[str]:
        """Vietnamese messages for unknown or locked parameters and values of the wrong type or out of bounds."""
        errors = []
        for name, raw in values.items():
            p = self.params.get(name)
            if p is None:
                hint = suggest(name, list(self.params))
                errors.append(f'không có tham số "{name}"' + (f'; có phải "{hint}"?' if hint else ""))
                continue
            if p.locked:
                errors.append(f'tham số "{name}" bị khóa, không được thay đổi')
                continue
            v, default = _plain(raw), literal_value(p.value)
            if _kind(v) != _kind(default):
                errors.append(f'tham số "{name}" cần giá trị {_kind(default)}, nhận {format_value(v)}')
                continue
            low = literal_value(p.low) if p.low is not None else None
            high = literal_value(p.high) if p.high is not None else None
            if (low is not None and v < low) or (high is not None and v > high):
                from ..checker.declarations import bounds_text

                shown = format_value(v * 100) + "%" if getattr(p.value, "percent", False) else format_value(v)
                errors.append(
                    f'giá trị {shown} của tham số "{name}" nằm ngoài khoảng cho phép {bounds_text(p)}'
                )
        return errors

    # -------------------------------------------------------------- evaluation
    def evaluate(
        self,
        data: Dataset,
        *,
        params: dict | None = None,
        explain: bool = False,
        only: set[str] | None = None,
    ) -> RunResult:
        """Evaluate every person of `data` (or only the codes in `only`; their subordinates are
        evaluated as needed, and quotas, which need the whole group, are then not applied: the level
        equals the level before quota). `params` override parameter values (validate them first with
        `check_params`). Raises EvalError (R1xxx) for a dataset that cannot be evaluated."""
        # --- hook (H8): bulk runs go through the vectorised backend (dsl/vector), which returns the
        # same results or None when the exact engine must run (unsupported construct or any error).
        if only is None and not explain:
            from .. import vector

            if data.task_count >= vector.MIN_TASKS:
                result = vector.evaluate(self, data, params)
                if result is not None:
                    return result
        # --- end of hook
        return self.run(data, params=params, explain=explain, only=only).result

    def run(
        self, data: Dataset, *, params=None, explain=False, only=None, reuse: Run | None = None, quotas=False
    ) -> Run:
        """Like `evaluate`, returning the states too. With `only`, `reuse` (an earlier Run on the same
        people) supplies subordinates that are not re-evaluated: a leader's re-evaluation then costs
        one person. The caller guarantees those subordinates' records did not change. `quotas`: apply
        the quotas among the persons evaluated even with `only` (when `only` and `reuse` together cover
        a whole population, e.g. one ruleset version's people whose subordinates were evaluated under
        another version)."""
        pv = self.param_values(params)
        people = data.people
        subs = hierarchy.subordinates(people) if self.uses_subordinates else None
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
            load_inputs(states[i], data, self.needed_inputs, problems)
        raise_input_problems(problems)
        for i in order:
            s = states[i]
            if subs is not None:
                s.subs = [
                    states[j] if j in states else known[j] for j in subs[i] if j in states or j in known
                ]
            self._guarded(s, lambda s=s: self._evaluate_person(s, data, rows, pv, explain))
        ordered = [states[i] for i in sorted(order)]
        # quotas need the whole group: a run restricted by `only` reports levels before quotas
        for step in self.quota_steps if targets is None or quotas else ():
            try:
                p_value = step.limit(Env(None, None, pv))
            except (EvalError, ArithmeticError, TypeError, ValueError, KeyError, AttributeError) as e:
                raise EvalError(
                    "R1009", f'không tính được tỷ lệ của hạn mức "{step.quota.level}": {e}'
                ) from None
            apply_quota(step, ordered, tuple(self.level_names), p_value, explain)
        for s in ordered:
            self._guarded(s, lambda s=s: self._post(s, pv, explain))
        shown = ordered if targets is None else [states[i] for i in sorted(targets)]
        results = [self._result(s) for s in shown]
        run = RunResult(self.code, self.version, self.sha256, data.period, results, self.rounding.digits)
        return Run(run, {s.code: s for s in shown}, {s.code: s for s in ordered})

    def _guarded(self, s: PersonState, work) -> None:
        try:
            work()
        except EvalError as e:
            if e.person is None:
                raise EvalError(e.code, e.message, s.code) from None
            raise
        except NotApplicableUsed as e:
            raise EvalError("R1002", f'dùng giá trị không áp dụng "{e.name}"', s.code) from None
        except (ArithmeticError, TypeError, ValueError, KeyError, IndexError) as e:
            raise EvalError("R1009", f"không tính được kết quả: {e!r}", s.code) from None

    def _evaluate_person(self, s: PersonState, data: Dataset, rows: Rows, pv: dict, explain: bool) -> None:
        load_tasks(s, data, rows.tasks(s.index), self.needed_fields)
        if self.uses_periods:
            load_periods(s, data, rows.periods(s.index), tuple(self.names.criteria))
        if explain:
            r = s.record
            s.explanation.append(
                f"Cán bộ {s.code}"
                + (f" ({r.name})" if r.name else "")
                + f", đơn vị {r.unit}: {s.n_tasks} nhiệm vụ"
            )
        tenv = Env(s, 0, pv)
        for step in self.task_steps:
            fn, col = step.fn, []
            for r in range(s.n_tasks):
                tenv.row = r
                col.append(fn(tenv))
            s.task[step.name] = col
        env = Env(s, None, pv)
        for step in self.person_steps:
            self._step(step, s, env, explain)
        s.score = s.values.get(SCORE_NAME)
        classify(s, env, self.level_steps, self.veto_steps, self.render, explain, self.levels_citation)

    def _step(self, step: Step, s: PersonState, env: Env, explain: bool) -> None:
        if step.kind == CRITERION and step.when is not None and not step.when(env):
            s.values[step.name] = NA
            if explain:
                why = self.render.condition(step.node.when, env, False)
                s.explanation.append(f'Tiêu chí {step.name} "{step.node.title}" không áp dụng: {why}')
            return
        try:
            value = step.fn(env)
        except NotApplicableUsed as e:
            if step.kind != PERSON_VALUE:
                what = {CRITERION: "tiêu chí", SCORE: "điểm", OUTPUT: "đầu ra"}.get(step.kind, "")
                raise EvalError(
                    "R1002", f'{what} {step.name} dùng giá trị không áp dụng "{e.name}"'.strip()
                ) from None
            value = NA
        if step.kind == SCORE:
            value = round_to(value, self.rounding.digits, self.rounding.mode)
        s.values[step.name] = value
        if explain and step.kind != ADDED:
            s.explanation.append(self._line(step, env, value))

    def _line(self, step: Step, env: Env, value) -> str:
        digits = self.rounding.digits
        shown = format_value(value, digits)
        if step.expr is None:
            formula = "tổng có trọng số của các tiêu chí"
            subst, notes = "", []
        else:
            formula = self.render.text(step.expr)
            subst, notes = self.render.substituted(step.expr, env)
        chain = f"{formula} = {subst} = {shown}" if subst and subst != shown else f"{formula} = {shown}"
        if step.kind == CRITERION:
            c = step.node
            cite = citation_text(c.citation, self.ruleset)
            head = f'Tiêu chí {c.code} "{c.title}"' + (f" ({cite})" if cite else "")
        elif step.kind == SCORE:
            head = "Điểm"
            chain += f" (làm tròn {digits} chữ số, {self.rounding.mode})"
        elif step.kind == OUTPUT:
            title = step.node.title
            head = f"Đầu ra {step.name}" + (f' "{title}"' if title else "")
        else:
            head = f"Giá trị {step.name}"
        line = f"{head} = {chain}"
        if notes and not (isinstance(step.expr, ast.Call) and is_aggregate(step.expr)):
            line += "; trong đó " + ", ".join(notes)
        return line

    def _post(self, s: PersonState, pv: dict, explain: bool) -> None:
        env = Env(s, None, pv)
        s.explanation.extend(s.quota_lines)
        for step in self.post_steps:
            self._step(step, s, env, explain)
        if explain:
            level = f'"{s.level}"' if s.level else "không xếp loại"
            score = (
                format_number(s.score, self.rounding.digits) if isinstance(s.score, int | Fraction) else "—"
            )
            s.explanation.append(f"Kết quả: điểm {score}, xếp loại {level}")

    def _result(self, s: PersonState) -> PersonResult:
        crit = {code: Fraction(v) for code in self.names.criteria if (v := s.values.get(code, NA)) is not NA}
        outputs = {}
        for name in self.outputs:
            v = s.values.get(name, NA)
            outputs[name] = (
                None if v is NA else (Fraction(v) if isinstance(v, int) and not isinstance(v, bool) else v)
            )
        score = s.score
        return PersonResult(
            person=s.code,
            unit=s.record.unit,
            criteria=crit,
            score=Fraction(score)
            if isinstance(score, int | Fraction) and not isinstance(score, bool)
            else None,
            level=s.level,
            level_before_quota=s.level_before_quota,
            vetoes=list(s.reasons),
            outputs=outputs,
            explanation=list(s.explanation),
            duty_group=s.record.duty_group,
            not_rated=s.not_rated,
        )


def _plain(v):
    """A parameter value from a caller: Fraction/int/str/bool/date (floats and decimal text accepted)."""
    if isinstance(v, bool | str | dt.date):
        return v
    if isinstance(v, float):
        return number_of(v)
    return norm(Fraction(v))


def _kind(v) -> str:
    if isinstance(v, bool):
        return "đúng/sai"
    if isinstance(v, int | Fraction):
        return "số"
    if isinstance(v, dt.date):
        return "ngày"
    return "văn bản"


def compile_ruleset(ruleset: ast.Ruleset, sha256: str = "") -> Program:
    """Compile a checked, effective ruleset (see dsl.pipeline.check_source) into a Program."""
    return Program(ruleset, sha256)
