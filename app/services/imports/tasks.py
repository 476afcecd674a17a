"""Import of tasks (nhiệm vụ), upserted by external id within a source system, in bulk (SQLAlchemy core,
chunks, preloaded look-ups: no query per row)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import bindparam, insert, update

from dsl.fields import TASK_FIELDS, TASK_STATUSES, FieldSpec

from ...extensions import db
from ...models import Task
from ...tabular.values import is_empty, month_of
from .. import timeline
from ..identifiers import look_alikes
from . import lookups
from .context import Context, Plan
from .sheet import Sheet, duplicates

PRODUCT = FieldSpec("mã_sản_phẩm_chuẩn", "Mã sản phẩm chuẩn", "văn bản", aliases=("Sản phẩm chuẩn",))
EXEMPT_REASON = FieldSpec("lý_do_miễn_trừ", "Lý do miễn trừ", "văn bản")
EXEMPT_BY = FieldSpec("người_xác_nhận_miễn_trừ", "Người xác nhận miễn trừ", "văn bản")
SPECS = [*TASK_FIELDS, PRODUCT, EXEMPT_REASON, EXEMPT_BY]

COMPARED = (
    "person_id", "unit_id", "period", "title", "assigned_on", "deadline", "completed_on", "status",
    "quantity_assigned", "quantity_completed", "standard_product_id", "conversion_factor", "major_errors",
    "delays", "exempt", "exempt_reason", "exempt_confirmed_by", "evidence", "extra",
)  # fmt: skip
ONE, ZERO = Decimal(1), Decimal(0)


def prepare(ctx: Context) -> Plan:
    extras = ctx.catalog("task")
    sheet = Sheet(ctx.table, [*SPECS, *extras], ctx.errors, items=ctx.items)
    n = sheet.n
    ext = sheet.codes("mã_nhiệm_vụ", required=True)
    codes = sheet.codes("mã_cán_bộ", required=True)
    periods = sheet.periods("kỳ")
    titles = sheet.texts("tên_nhiệm_vụ")
    assigned = sheet.dates("ngày_giao")
    deadlines = sheet.dates("hạn_hoàn_thành")
    completed_on = sheet.dates("ngày_hoàn_thành")
    statuses = sheet.choices("trạng_thái", TASK_STATUSES, required=True)
    q_assigned = sheet.numbers("khối_lượng_giao", low=0)
    q_done = sheet.numbers("khối_lượng_hoàn_thành", low=0)
    factors = sheet.numbers("hệ_số_quy_đổi", low=0)
    errors_n = sheet.numbers("số_lần_sai_sót_lớn", low=0, integer=True)
    delays = sheet.numbers("số_lần_chậm", low=0, integer=True)
    exempt = sheet.bools("miễn_trừ")
    evidence = sheet.texts("minh_chứng")
    products = sheet.texts("mã_sản_phẩm_chuẩn")
    reasons = sheet.texts("lý_do_miễn_trừ")
    confirmers = sheet.texts("người_xác_nhận_miễn_trừ")
    extra_values = {s.name: sheet.spec_values(s) for s in extras if sheet.has(s.name)}
    duplicates(sheet, "mã_nhiệm_vụ", ext, "mã nhiệm vụ")
    if sheet.header_failed:
        return Plan()
    people = lookups.people_by_code()
    catalog = lookups.products_by_position() if any(products) else {}
    unknown: set[str] = set()
    rows: dict[str, dict] = {}
    in_period: dict[tuple[int, str], tuple] = {}  # (person id, period) -> (foreign stretch, unit id, start)
    roots: dict[int, int] = {}
    for i in range(n):
        code = codes[i]
        person = people.get(code)
        if person is None or not ctx.sees_person(person):  # elsewhere: the same answer as nowhere
            if code:
                sheet.error(i, "mã_cán_bộ", f'không có cán bộ mã "{code}" {ctx.where}')
                unknown.add(code)
            continue
        period = periods[i]
        if period is None and deadlines[i] is not None:
            period = month_of(deadlines[i])
        if period is None:
            if is_empty(sheet.raw("kỳ", i)):  # else the bad value is reported already
                sheet.error(i, "kỳ", "thiếu kỳ và không có hạn hoàn thành để suy ra kỳ", None)
            continue
        # scope: the period the task counts in, never a date the caller writes
        key = (person.id, period)
        if key not in in_period:
            in_period[key] = _period_unit(ctx, person, period)
        found, unit_id, start = in_period[key]
        if found is not None:
            why = f"không được ghi nhiệm vụ tính vào kỳ {period}"
            ctx.forbid(sheet, i, "mã_cán_bộ", code, ctx.scope.person_message(code, found, why))
            continue
        day = assigned[i] or deadlines[i] or start
        position_id = person.on(day)[1]  # the standard products of the position held that day
        if assigned[i] and deadlines[i] and deadlines[i] < assigned[i]:
            sheet.error(i, "hạn_hoàn_thành", "hạn hoàn thành trước ngày giao")
        status = statuses[i]
        giao = ONE if q_assigned[i] is None else q_assigned[i]
        done = q_done[i]
        if done is None:
            done = giao if status == "Hoàn thành" else ZERO
        factor, product_id = factors[i], None
        if products[i]:
            found = _product(catalog, position_id, products[i], day)
            if found is None:
                message = (
                    f'sản phẩm chuẩn "{products[i]}" không có trong danh mục của vị trí việc làm của cán bộ '
                    f"{code} ngày {day:%d/%m/%Y}"
                    if position_id is not None
                    else f"cán bộ {code} chưa có vị trí việc làm nên không tra được sản phẩm chuẩn"
                )
                sheet.error(i, "mã_sản_phẩm_chuẩn", message)
                continue
            product_id, coefficient = found
            if factor is None:
                factor = Decimal(coefficient).normalize()
        late = delays[i]
        if late is None:
            late = 1 if completed_on[i] and deadlines[i] and completed_on[i] > deadlines[i] else 0
        rows[ext[i]] = {
            "owner_unit_id": ctx.scope.root_id or roots.setdefault(unit_id, ctx.tree.root_of(unit_id)),
            "person_id": person.id,
            "unit_id": unit_id,
            "period": period,
            "title": titles[i],
            "assigned_on": assigned[i],
            "deadline": deadlines[i],
            "completed_on": completed_on[i],
            "status": status,
            "quantity_assigned": giao,
            "quantity_completed": done,
            "standard_product_id": product_id,
            "conversion_factor": ONE if factor is None else factor,
            "major_errors": errors_n[i] or 0,
            "delays": late,
            "exempt": bool(exempt[i]),
            "exempt_reason": reasons[i],
            "exempt_confirmed_by": confirmers[i],
            "evidence": evidence[i],
            "extra": {k: v[i] for k, v in extra_values.items() if v[i] is not None},
        }
    if ctx.errors:
        return Plan()
    return _diff(ctx, rows, sheet, {key: i for i, key in enumerate(ext)})


def _period_unit(ctx: Context, person, period: str) -> tuple:
    """(the first stretch of the period outside the caller's scope or None, the unit the period counts
    in, the period's first day)."""
    start, end = timeline.period_bounds(period)
    found = ctx.scope.foreign_stretch(timeline.as_triples(person.timeline()), start, end)
    return found, timeline.unit_in_period(person.stretches, person.unit_id, start, end), start


def _product(catalog: dict, position_id: int | None, wanted: str, day: dt.date):
    from dsl.text import header_key

    if position_id is None:
        return None
    return lookups.product_on(catalog.get((position_id, header_key(wanted)), []), day)


def _diff(ctx: Context, rows: dict[str, dict], sheet: Sheet, index: dict[str, int]) -> Plan:
    """Created / updated / unchanged against the stored tasks of the same namespace (source system and
    owning unit: another ward's ids are invisible); a stored task of a unit outside the caller's scope
    may not be rewritten; a new id that looks like another of the namespace is refused."""
    plan = Plan()
    table = Task.__table__
    columns = [table.c.id, table.c.external_id, table.c.owner_unit_id, *(table.c[name] for name in COMPARED)]
    existing: dict[str, tuple] = {}
    owners = {values["owner_unit_id"] for values in rows.values()}
    found = lookups.rows_with_keys(
        columns,
        table.c.external_id,
        list(rows),
        table.c.source_system == ctx.source_system,
        table.c.owner_unit_id.in_(owners),
    )
    unit_at = 3 + COMPARED.index("unit_id")
    for r in found:
        if r.owner_unit_id != rows[r.external_id]["owner_unit_id"]:
            continue
        existing[r.external_id] = tuple(r)
        if not ctx.in_scope(r[unit_at]):
            ctx.forbid(sheet, index[r.external_id], "mã_nhiệm_vụ", r.external_id)
    new = [key for key in rows if key not in existing]
    if new:
        stored = db.session.scalars(
            db.select(table.c.external_id).where(
                table.c.source_system == ctx.source_system, table.c.owner_unit_id.in_(owners)
            )
        )
        for key, other in look_alikes(new, stored).items():
            sheet.error(index[key], "mã_nhiệm_vụ", ctx.look_alike(key, other, True))
    if ctx.errors:
        return Plan()
    for key, values in rows.items():
        old = existing.get(key)
        if old is None:
            plan.inserts.append({"source_system": ctx.source_system, "external_id": key, **values})
            plan.created.append(key)
        elif any(_differs(values[name], old[j + 3]) for j, name in enumerate(COMPARED)):
            plan.updates.append({"_id": old[0], **values})
            plan.updated.append(key)
        else:
            plan.unchanged += 1
    return plan


def _differs(new, old) -> bool:
    if isinstance(new, Decimal) or isinstance(old, Decimal):
        return old is None or new is None or Decimal(new) != Decimal(old)
    if isinstance(new, dict):
        return dict(old or {}) != new
    return new != old


def apply(ctx: Context, plan: Plan) -> None:
    table = Task.__table__
    for part in lookups.chunks(plan.inserts, 5000):
        db.session.execute(insert(table), part)
    if plan.updates:
        statement = update(table).where(table.c.id == bindparam("_id"))
        for part in lookups.chunks(plan.updates, 5000):
            db.session.execute(statement, part)
