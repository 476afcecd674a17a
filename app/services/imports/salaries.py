"""Import of salaries (tiền lương tính thu nhập tăng thêm): Mã cán bộ · Kỳ (a month) · Tiền lương (đồng)
· Ghi chú. Upserted by person and month; the amount is what the Đà Nẵng coefficients multiply."""

from __future__ import annotations

import re
from decimal import Decimal

from dsl.fields import FieldSpec

from ...models.salaries import Salary
from ...tabular.specs import PERIOD_SPEC, PERSON_CODE_SPEC
from .context import Context, Plan
from .person_periods import apply_plan, current_rows, person_period_rows
from .sheet import Sheet, duplicates

PERIOD = FieldSpec(PERIOD_SPEC.name, PERIOD_SPEC.label, PERIOD_SPEC.kind, required=True,
                   aliases=PERIOD_SPEC.aliases)  # fmt: skip
AMOUNT = FieldSpec(
    "tiền_lương", "Tiền lương", "số", required=True, aliases=("Lương", "Lương tháng", "Mức lương")
)
NOTE = FieldSpec("ghi_chú", "Ghi chú", "văn bản")
MONTH = re.compile(r"\d{4}-\d{2}")


def prepare(ctx: Context) -> Plan:
    sheet = Sheet(ctx.table, [PERSON_CODE_SPEC, PERIOD, AMOUNT, NOTE], ctx.errors, items=ctx.items)
    codes = sheet.codes("mã_cán_bộ", required=True)
    periods = sheet.periods("kỳ", required=True)
    amounts = sheet.numbers("tiền_lương", low=0, required=True)
    notes = sheet.texts("ghi_chú")
    for i, period in enumerate(periods):
        if period is not None and not MONTH.fullmatch(period):  # salaries are monthly
            sheet.error(i, "kỳ", "tiền lương nhập theo tháng (ví dụ 2026-01), không theo quý hay năm")
            periods[i] = None
    keys = [(codes[i], periods[i]) if codes[i] and periods[i] else None for i in range(sheet.n)]
    repeats = duplicates(sheet, "mã_cán_bộ", keys, "cán bộ và kỳ")
    plan = Plan()
    if sheet.header_failed:
        return plan
    rows: dict[tuple[int, str], dict] = {}
    labels: dict[tuple[int, str], str] = {}
    lacking = {i for i in range(sheet.n) if amounts[i] is None}
    for i, key, label in person_period_rows(
        ctx, sheet, codes, periods, keys, repeats | lacking, "tiền lương"
    ):
        labels[key] = label
        rows[key] = {"amount": amounts[i], "note": notes[i] if sheet.has("ghi_chú") else None}
    if ctx.errors:
        return plan
    current = _current(list(rows))
    for key, new in rows.items():
        old = current.get(key)
        if old is None:
            plan.inserts.append({"person_id": key[0], "period": key[1], "amount": new["amount"],
                                 "note": new["note"] or ""})  # fmt: skip
            plan.created.append(labels[key])
            continue
        note = old.note if new["note"] is None else new["note"]
        if Decimal(old.amount) != new["amount"] or note != old.note:
            plan.updates.append({"_id": old.id, "amount": new["amount"], "note": note})
            plan.updated.append(labels[key])
        else:
            plan.unchanged += 1
    return plan


def _current(keys: list[tuple[int, str]]) -> dict:
    table = Salary.__table__
    return current_rows(table, [table.c.amount, table.c.note], keys)


def apply(ctx: Context, plan: Plan) -> None:
    apply_plan(Salary.__table__, plan)
