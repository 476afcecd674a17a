"""Import of period inputs (đầu vào theo kỳ): Mã cán bộ · Kỳ · Điểm tiêu chí chung (0–30) · Kỷ luật, and
any input the field catalog declares (stored by name in `values`). Upserted by person and period; a
column missing from the file leaves that input unchanged, an empty cell clears it."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from sqlalchemy import bindparam, insert, update

from dsl.fields import DISCIPLINE_SCALE, STANDARD_INPUTS

from ...extensions import db
from ...models import PeriodInput
from ...tabular.specs import PERIOD_SPEC, PERSON_CODE_SPEC
from .. import timeline
from . import lookups
from .context import Context, Plan
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
    people = lookups.people_by_code()
    rows: dict[tuple[int, str], dict] = {}
    labels: dict[tuple[int, str], str] = {}
    for i in range(sheet.n):
        if keys[i] is None or i in repeats:
            continue
        person = people.get(codes[i])
        if person is None or not ctx.sees_person(person):  # elsewhere: the same answer as nowhere
            sheet.error(i, "mã_cán_bộ", f'không có cán bộ mã "{codes[i]}" {ctx.where}')
            continue
        start, end = timeline.period_bounds(periods[i])
        found = ctx.scope.foreign_stretch(timeline.as_triples(person.timeline()), start, end)
        if found is not None:
            why = f"không được ghi đầu vào của kỳ {periods[i]}"
            ctx.forbid(sheet, i, "mã_cán_bộ", codes[i], ctx.scope.person_message(codes[i], found, why))
            continue
        key = (person.id, periods[i])
        labels[key] = f"{codes[i]} {periods[i]}"
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
    out = {}
    person_ids = sorted({k[0] for k in keys})
    columns = [table.c.id, table.c.person_id, table.c.period, table.c.general_score, table.c.discipline,
               table.c["values"]]  # fmt: skip
    for r in lookups.rows_with_keys(columns, table.c.person_id, person_ids):
        out[(r.person_id, r.period)] = r
    return out


def apply(ctx: Context, plan: Plan) -> None:
    table = PeriodInput.__table__
    for part in lookups.chunks(plan.inserts, 2000):
        db.session.execute(insert(table), part)
    statement = update(table).where(table.c.id == bindparam("_id"))
    for part in lookups.chunks(plan.updates, 2000):
        db.session.execute(statement, part)
