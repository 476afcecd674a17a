"""Import of units (đơn vị): Mã đơn vị · Tên đơn vị · Loại · Đơn vị cấp trên. Upserted by code; the
parent may be in the file or already in the database; cycles and unknown parents are errors."""

from __future__ import annotations

from dsl.fields import FieldSpec

from ...extensions import db
from ...models import Unit
from ...models.units import UNIT_KINDS
from ..identifiers import look_alikes
from .context import Context, Plan
from .sheet import Sheet, duplicates

TOP_KINDS = ("tỉnh", "thành phố")
SPECS = [
    FieldSpec("mã_đơn_vị", "Mã đơn vị", "văn bản", required=True, aliases=("Mã",)),
    FieldSpec("tên_đơn_vị", "Tên đơn vị", "văn bản", required=True, aliases=("Tên",)),
    FieldSpec("loại", "Loại", "văn bản", required=True, choices=UNIT_KINDS, aliases=("Loại đơn vị", "Cấp")),
    FieldSpec("đơn_vị_cấp_trên", "Đơn vị cấp trên", "văn bản", aliases=("Mã đơn vị cấp trên", "Cấp trên")),
]


def prepare(ctx: Context) -> Plan:
    sheet = Sheet(ctx.table, SPECS, ctx.errors, items=ctx.items)
    codes = sheet.codes("mã_đơn_vị", required=True)
    names = sheet.texts("tên_đơn_vị", required=True)
    kinds = sheet.choices("loại", UNIT_KINDS, required=True)
    parents = sheet.codes("đơn_vị_cấp_trên")
    repeats = duplicates(sheet, "mã_đơn_vị", codes, "mã đơn vị")
    if sheet.header_failed:
        return Plan()
    tree = ctx.tree
    in_file = {codes[i]: i for i in range(sheet.n) if codes[i] and i not in repeats}
    new_codes = [code for code in in_file if code not in tree.by_code]
    for code, other in look_alikes(new_codes, tree.by_code).items():
        visible = other in in_file or ctx.in_scope(tree.by_code[other])
        sheet.error(in_file[code], "mã_đơn_vị", ctx.look_alike(code, other, visible))
    parent_of = {code: tree.code_of.get(tree.parent.get(uid)) for code, uid in tree.by_code.items()}
    for code, i in in_file.items():
        parent_of[code] = parents[i] or None
    for i in range(sheet.n):
        code, parent, kind = codes[i], parents[i], kinds[i]
        if not code or i in repeats:
            continue
        parent_id = tree.by_code.get(parent)
        kept = parent_id is not None and tree.parent.get(tree.by_code.get(code)) == parent_id  # unchanged
        if parent and parent not in in_file and (parent_id is None or not (kept or ctx.in_scope(parent_id))):
            sheet.error(i, "đơn_vị_cấp_trên", f'không có đơn vị mã "{parent}" trong tệp hay {ctx.where}')
        elif parent == code:
            sheet.error(i, "đơn_vị_cấp_trên", "đơn vị không thể là cấp trên của chính nó")
        elif parent and _cycle(code, parent_of):
            chain = " → ".join(_cycle(code, parent_of))
            sheet.error(i, "đơn_vị_cấp_trên", f"vòng lặp đơn vị cấp trên: {chain}")
        if kind in TOP_KINDS and parent:
            sheet.error(i, "đơn_vị_cấp_trên", f"{kind} là cấp cao nhất, không có đơn vị cấp trên")
        elif kind and kind not in TOP_KINDS and not parent:
            sheet.error(i, "đơn_vị_cấp_trên", f"đơn vị loại {kind} cần đơn vị cấp trên", None)
        if tree.by_code.get(code) is not None and not ctx.in_scope(tree.by_code[code]):
            ctx.forbid(sheet, i, "mã_đơn_vị", code)
        elif not ctx.scope.is_everything and code not in tree.by_code and not parent:
            ctx.forbid(sheet, i, "đơn_vị_cấp_trên", parent, "đơn vị mới phải thuộc một đơn vị trong phạm vi")
    plan = Plan()
    if ctx.errors:
        return plan
    for code, i in in_file.items():
        row = tree.rows.get(code)
        values = {"code": code, "name": names[i], "kind": kinds[i], "parent": parents[i] or None}
        if row is None:
            plan.inserts.append(values)
            plan.created.append(code)
        elif (row.name, row.kind, tree.code_of.get(row.parent_id)) != (
            names[i],
            kinds[i],
            parents[i] or None,
        ):
            plan.updates.append(values)
            plan.updated.append(code)
        else:
            plan.unchanged += 1
    return plan


def _cycle(code: str, parent_of: dict[str, str | None]) -> list[str] | None:
    seen = [code]
    node = parent_of.get(code)
    while node is not None:
        if node in seen:
            return [*seen[seen.index(node) :], node] if node == code else None
        seen.append(node)
        node = parent_of.get(node)
    return None


def apply(ctx: Context, plan: Plan) -> None:
    by_code = {u.code: u for u in db.session.scalars(db.select(Unit))}
    for values in plan.inserts:
        unit = Unit(code=values["code"], name=values["name"], kind=values["kind"])
        db.session.add(unit)
        by_code[unit.code] = unit
    for values in plan.updates:
        unit = by_code[values["code"]]
        unit.name, unit.kind = values["name"], values["kind"]
    for values in [*plan.inserts, *plan.updates]:
        by_code[values["code"]].parent = by_code[values["parent"]] if values["parent"] else None
    db.session.flush()
