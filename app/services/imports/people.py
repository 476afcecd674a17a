"""Import of people (cán bộ): Mã cán bộ · Họ và tên · Đơn vị · Chức vụ · Lãnh đạo · Nhóm nhiệm vụ ·
Người quản lý, and optionally Vị trí việc làm · Phân loại · Ngày hiệu lực (the date of a move).

Upserted by code. A column missing from the file leaves that attribute unchanged for existing people.
A move to another unit or position closes the open stretch of the person's history the day before
"Ngày hiệu lực" (default: today) and opens a new one. Unknown duty groups are created in the unit."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import bindparam, insert, update

from dsl.fields import PERSON_FIELDS, FieldSpec
from dsl.text import header_key

from ...extensions import db
from ...models import DutyGroup, Person, PersonAssignment
from ...models.people import PERSON_CATEGORIES
from .. import timeline
from ..identifiers import look_alikes
from . import lookups
from .context import Context, Plan
from .sheet import Sheet, duplicates

POSITION = FieldSpec("vị_trí_việc_làm", "Vị trí việc làm", "văn bản", aliases=("Mã vị trí việc làm",))
CATEGORY = FieldSpec("phân_loại", "Phân loại", "văn bản", choices=PERSON_CATEGORIES, aliases=("Loại cán bộ",))
SINCE = FieldSpec("ngày_hiệu_lực", "Ngày hiệu lực", "ngày", aliases=("Từ ngày", "Ngày chuyển đến"))
SPECS = [*PERSON_FIELDS, POSITION, CATEGORY, SINCE]
# attribute -> template field (None: always read)
ATTRS = {
    "full_name": "họ_và_tên", "unit_id": "đơn_vị", "leadership_post": "chức_vụ", "is_leader": "lãnh_đạo",
    "duty_group_id": "nhóm_nhiệm_vụ", "manager_id": "người_quản_lý", "position_id": "vị_trí_việc_làm",
    "category": "phân_loại",
}  # fmt: skip


def prepare(ctx: Context) -> Plan:
    sheet = Sheet(ctx.table, SPECS, ctx.errors, items=ctx.items)
    codes = sheet.codes("mã_cán_bộ", required=True)
    names = sheet.texts("họ_và_tên", required=True)
    unit_codes = sheet.codes("đơn_vị", required=True)
    posts = sheet.texts("chức_vụ")
    leaders = sheet.bools("lãnh_đạo")
    groups = sheet.texts("nhóm_nhiệm_vụ")
    managers = sheet.codes("người_quản_lý")
    positions = sheet.texts("vị_trí_việc_làm")
    categories = sheet.choices("phân_loại", PERSON_CATEGORIES)
    since = sheet.dates("ngày_hiệu_lực")
    repeats = duplicates(sheet, "mã_cán_bộ", codes, "mã cán bộ")
    if sheet.header_failed:
        return Plan()
    in_file = {codes[i]: i for i in range(sheet.n) if codes[i] and i not in repeats}
    # two moves of one person queue here (PostgreSQL row locks), so each reads the other's result
    timeline.lock_people(r.id for r in lookups.rows_with_keys([Person.id], Person.code, list(in_file)))
    tree, known = ctx.tree, lookups.people_by_code()
    position_ids = lookups.positions_by_key() if any(positions) else {}
    groups_db = lookups.duty_groups()
    for code, other in look_alikes([c for c in in_file if c not in known], known).items():
        visible = other in in_file or ctx.in_scope(known[other].unit_id)
        sheet.error(in_file[code], "mã_cán_bộ", ctx.look_alike(code, other, visible))
    manager_of = _current_managers()
    for code, i in in_file.items():
        manager_of[code] = managers[i] or None
    rows, new_groups = {}, {}
    for code, i in in_file.items():
        unit_id = tree.by_code.get(unit_codes[i])
        if unit_id is not None and not ctx.in_scope(unit_id):
            unit_id = None  # another ward's unit: the same answer as a unit that does not exist
        if unit_id is None and unit_codes[i]:
            sheet.error(i, "đơn_vị", f'không có đơn vị mã "{unit_codes[i]}" {ctx.where}')
        elif code in known and not ctx.in_scope(known[code].unit_id):
            ctx.forbid(sheet, i, "mã_cán_bộ", code)
        manager = managers[i]
        boss = known.get(manager)
        if manager and manager == code:
            sheet.error(i, "người_quản_lý", "cán bộ không thể tự quản lý mình")
        elif manager and manager not in in_file and (boss is None or not ctx.in_scope(boss.unit_id)):
            sheet.error(i, "người_quản_lý", f'không có cán bộ mã "{manager}" trong tệp hay {ctx.where}')
        elif manager and (chain := _cycle(code, manager_of)):
            sheet.error(i, "người_quản_lý", "vòng lặp người quản lý: " + " → ".join(chain))
        position_id = position_ids.get(header_key(positions[i])) if positions[i] else None
        if positions[i] and position_id is None:
            sheet.error(i, "vị_trí_việc_làm", f'không có vị trí việc làm "{positions[i]}" trong danh mục')
        group_id = None
        if groups[i] and unit_id is not None:
            group_id = _group(tree, groups_db, unit_id, groups[i])
            if group_id is None:
                group_id = new_groups.setdefault(
                    (unit_id, header_key(groups[i])), ("new", unit_id, groups[i])
                )
        if code in known and unit_id is not None and ctx.in_scope(known[code].unit_id):
            _check_move(ctx, sheet, i, known[code], unit_id, position_id, since[i] or ctx.today)
        rows[code] = {
            "full_name": names[i], "unit_id": unit_id, "leadership_post": posts[i], "is_leader": bool(leaders[i]),
            "duty_group_id": group_id, "manager_id": managers[i] or None, "position_id": position_id,
            "category": categories[i] or "công chức", "_since": since[i],
        }  # fmt: skip
    plan = Plan()
    if ctx.errors:
        return plan
    read = {attr for attr, name in ATTRS.items() if sheet.has(name)}
    current = _current_rows(list(rows))
    for code, values in rows.items():
        old = current.get(code)
        if old is None:
            plan.created.append(code)
        elif any(values[a] != getattr(old, a) for a in read):
            plan.updated.append(code)
        else:
            plan.unchanged += 1
    plan.extra = {"rows": rows, "read": read, "current": current, "new_groups": new_groups, "known": known}
    if new_groups:
        names = ", ".join(
            sorted(f"{name} ({tree.code_of[unit_id]})" for _, unit_id, name in new_groups.values())
        )
        plan.notes.append(f"tạo {len(new_groups)} nhóm nhiệm vụ mới (nhóm thuộc từng đơn vị): {names}")
    return plan


def _check_move(ctx: Context, sheet: Sheet, i: int, person, unit_id: int, position_id, day: dt.date) -> None:
    """A move from `day` rewrites the person's history from that day on: every stretch it cuts back or
    replaces must lie in the caller's scope (a ward cannot rewrite the months a person spent elsewhere)."""
    moving = (sheet.has("đơn_vị") and unit_id != person.unit_id) or (
        sheet.has("vị_trí_việc_làm") and position_id != person.position_id
    )
    if not moving or ctx.scope.is_everything:
        return
    rewritten = timeline.rewritten_by_move(person.stretches, person.unit_id, day)
    found = ctx.scope.foreign_stretch(timeline.as_triples(rewritten), day, None)
    if found is not None:
        why = f"chuyển công tác từ ngày {day:%d/%m/%Y} sẽ ghi đè lịch sử công tác đó"
        reason = ctx.scope.person_message(person.code, found, why)
        ctx.forbid(sheet, i, "ngày_hiệu_lực", day.strftime("%d/%m/%Y"), reason)


def _group(tree, groups_db: dict, unit_id: int, wanted: str) -> int | None:
    key = header_key(wanted)
    for owner in [*tree.ancestors(unit_id), None]:
        found = groups_db.get((owner, key))
        if found is not None:
            return found
    return None


def _current_managers() -> dict[str, str | None]:
    manager = db.aliased(Person)
    query = db.select(Person.code, manager.code).outerjoin(manager, Person.manager_id == manager.id)
    return {code: boss for code, boss in db.session.execute(query)}


def _current_rows(codes: list[str]) -> dict:
    manager = db.aliased(Person)
    out = {}
    columns = [Person.id, Person.code, *(getattr(Person, a) for a in ATTRS if a != "manager_id")]
    columns.append(manager.code.label("manager_id"))
    joins = lambda query: query.outerjoin(manager, Person.manager_id == manager.id)  # noqa: E731
    for r in lookups.rows_with_keys(columns, Person.code, codes, joins=joins):
        out[r.code] = r
    return out


def _cycle(code: str, manager_of: dict[str, str | None]) -> list[str] | None:
    seen = [code]
    node = manager_of.get(code)
    while node is not None:
        if node in seen:
            return [*seen[seen.index(node) :], node] if node == code else None
        seen.append(node)
        node = manager_of.get(node)
    return None


def apply(ctx: Context, plan: Plan) -> None:
    rows, read, current = plan.extra["rows"], plan.extra["read"], plan.extra["current"]
    group_ids = {}
    for _, unit_id, name in plan.extra["new_groups"].values():
        group = DutyGroup(unit_id=unit_id, code=name, name=name)
        db.session.add(group)
        db.session.flush()
        group_ids[("new", unit_id, name)] = group.id
    for values in rows.values():
        if isinstance(values["duty_group_id"], tuple):
            values["duty_group_id"] = group_ids[values["duty_group_id"]]
    table = Person.__table__
    inserts = [
        {"code": c, **{a: v for a, v in rows[c].items() if a not in ("manager_id", "_since")}}
        for c in plan.created
    ]
    for part in lookups.chunks(inserts, 2000):
        db.session.execute(insert(table), part)
    ids = _ids(_needed(rows, current))
    assignments, bosses, updates = [], [], []
    for code in plan.created:
        values = rows[code]
        if values["manager_id"]:
            bosses.append({"_id": ids[code], "manager_id": ids[values["manager_id"]]})
        if values["_since"]:
            assignments.append(_stretch(ids[code], values, values["_since"]))
    for code in plan.updated:
        values, old = rows[code], current[code]
        change = {a: values[a] for a in read}
        if "manager_id" in change:
            change["manager_id"] = ids[values["manager_id"]] if values["manager_id"] else None
        state = {a: change.get(a, getattr(old, a)) for a in ATTRS if a != "manager_id"}
        boss = change.get("manager_id", ids.get(old.manager_id) if old.manager_id else None)
        updates.append({"_id": old.id, **state, "manager_id": boss})
        if state["unit_id"] != old.unit_id or state["position_id"] != old.position_id:
            person = plan.extra["known"].get(old.code)
            assignments += _move(old, person, state, values["_since"] or ctx.today)
    statement = update(table).where(table.c.id == bindparam("_id"))
    for batch in (bosses, updates):
        for part in lookups.chunks(batch, 2000):
            db.session.execute(statement, part)
    if assignments:
        db.session.execute(insert(PersonAssignment.__table__), assignments)


def _needed(rows: dict, current: dict) -> list[str]:
    named = {v["manager_id"] for v in rows.values() if v["manager_id"]}
    return sorted({*rows, *named, *(r.manager_id for r in current.values() if r.manager_id)})


def _ids(codes: list[str]) -> dict[str, int]:
    out = {}
    for r in lookups.rows_with_keys([Person.code, Person.id], Person.code, codes):
        out[r.code] = r.id
    return out


def _stretch(person_id: int, values: dict, start: dt.date, end: dt.date | None = None) -> dict:
    return {
        "person_id": person_id,
        "unit_id": values["unit_id"],
        "position_id": values["position_id"],
        "duty_group_id": values["duty_group_id"],
        "valid_from": start,
        "valid_to": end,
    }


def _move(old, person, values: dict, day: dt.date) -> list[dict]:
    """Rewrite the history from `day` on (stretches cut back to the day before, later ones removed; a
    person without history gets one for the unit they leave) and open a new stretch."""
    table = PersonAssignment.__table__
    stretches = person.stretches if person is not None else []
    out = []
    first = timeline.leaving_stretch(stretches, day)
    if first is not None:
        before = {"unit_id": old.unit_id, "position_id": old.position_id, "duty_group_id": old.duty_group_id}
        out.append(_stretch(old.id, before, *first))
    cut, deleted = timeline.move_plan(stretches, day)
    if deleted:
        db.session.execute(table.delete().where(table.c.id.in_(deleted)))
    for stretch_id, end in cut:
        db.session.execute(table.update().where(table.c.id == stretch_id).values(valid_to=end))
    out.append(_stretch(old.id, values, day))
    return out
