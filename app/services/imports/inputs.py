"""Import of period inputs (đầu vào theo kỳ): Mã cán bộ · Kỳ · Điểm tiêu chí chung (0–30) · Kỷ luật, and
any input the field catalog declares (stored by name in `values`). Upserted by person and period; a
column missing from the file leaves that input unchanged, an empty cell clears it."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from dsl.fields import DISCIPLINE_SCALE, STANDARD_INPUTS

from ...models import PeriodInput
from ...tabular.specs import PERIOD_SPEC, PERSON_CODE_SPEC
from .context import Context, Plan
from .person_periods import apply_plan, current_rows, person_period_rows
from .sheet import Sheet, duplicates

PERIOD = dataclasses.replace(PERIOD_SPEC, required=True)


def prepare(ctx: Context) -> Plan:
    extras = ctx.catalog("input")
    sheet = Sheet(
        ctx.table, [PERSON_CODE_SPEC, PERIOD, *STANDARD_INPUTS, *extras], ctx.errors, items=ctx.items
    )
    codes = sheet.codes("mã_cán_bộ", required=True)
    periods = sheet.periods("kỳ", required=True)
    scores = sheet.numbers("điểm_tiêu_chí_chung", low=0, high=30)
    discipline = sheet.choices("kỷ_luật", DISCIPLINE_SCALE)
    extra_values = {s.name: sheet.spec_values(s) for s in extras if sheet.has(s.name)}
    keys = [(codes[i], periods[i]) if codes[i] and periods[i] else None for i in range(sheet.n)]
    repeats = duplicates(sheet, "mã_cán_bộ", keys, "cán bộ và kỳ")
    if sheet.header_failed:
        return Plan()
    rows: dict[tuple[int, str], dict] = {}
    labels: dict[tuple[int, str], str] = {}
    for i, key, label in person_period_rows(ctx, sheet, codes, periods, keys, repeats, "đầu vào"):
        labels[key] = label
        rows[key] = {
            "general_score": scores[i],
            "discipline": discipline[i] or "",
            "values": {k: v[i] for k, v in extra_values.items()},
        }
    plan = Plan()
    if ctx.errors:
        return plan
    has_score, has_discipline = sheet.has("điểm_tiêu_chí_chung"), sheet.has("kỷ_luật")
    current = _current(list(rows))
    for key, values in rows.items():
        old = current.get(key)
        merged = dict(old.values or {}) if old is not None else {}
        for name, value in values["values"].items():
            if value is None:
                merged.pop(name, None)
            else:
                merged[name] = value
        new = {
            "general_score": values["general_score"] if has_score or old is None else old.general_score,
            "discipline": values["discipline"] if has_discipline or old is None else old.discipline,
            "values": merged,
        }
        if old is None:
            plan.inserts.append({"person_id": key[0], "period": key[1], **new})
            plan.created.append(labels[key])
        elif _differs(new, old):
            plan.updates.append({"_id": old.id, **new})
            plan.updated.append(labels[key])
        else:
            plan.unchanged += 1
    return plan


def _differs(new: dict, old) -> bool:
    a, b = new["general_score"], old.general_score
    if (a is None) != (b is None) or (a is not None and Decimal(a) != Decimal(b)):
        return True
    return new["discipline"] != (old.discipline or "") or new["values"] != dict(old.values or {})


def _current(keys: list[tuple[int, str]]) -> dict:
    table = PeriodInput.__table__
    return current_rows(table, [table.c.general_score, table.c.discipline, table.c["values"]], keys)


def apply(ctx: Context, plan: Plan) -> None:
    apply_plan(PeriodInput.__table__, plan)
