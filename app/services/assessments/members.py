"""Who an assessment covers: the people whose unit on the period's date lies in the subtree, read in
bulk (no ORM object per person), each with the unit block (the root's child unit containing theirs) that
snapshots and job parts are split by."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, or_, select

from ...extensions import db
from ...models import DutyGroup, Person, PersonAssignment, Unit
from ..imports.lookups import UnitTree
from .driver_rows import raw_rows


@dataclass(slots=True)
class Member:
    person_id: int
    code: str
    name: str
    unit_id: int
    unit_code: str
    post: str  # chức vụ
    leader: bool
    duty_group: str
    manager_id: int | None
    manager_code: str
    category: str
    block_id: int  # the unit block (a ward, or the root itself)
    version_id: int | None = None


def blocks_of(tree: UnitTree, root_id: int, unit_ids: set[int]) -> dict[int, int]:
    """unit id -> its block: the child of the root on its path (the root's own people: the root)."""
    out = {}
    for unit_id in unit_ids:
        chain = tree.ancestors(unit_id)
        out[unit_id] = chain[chain.index(root_id) - 1] if unit_id != root_id else root_id
    return out


def members_of(root: Unit, day: dt.date) -> list[Member]:
    """Every active person whose unit on `day` lies in `root`'s subtree, ordered by code."""
    tree = UnitTree()
    subtree = tree.subtree(root.id)
    people = Person.__table__.c
    moves = PersonAssignment.__table__.c
    covering = and_(moves.valid_from <= day, or_(moves.valid_to.is_(None), moves.valid_to >= day))
    history = {
        r.person_id: (r.unit_id, r.duty_group_id)
        for r in db.session.execute(
            select(moves.person_id, moves.unit_id, moves.duty_group_id).where(covering)
        )
    }
    groups = dict(db.session.execute(select(DutyGroup.id, DutyGroup.name)).all())
    query = select(
        people.id, people.code, people.full_name, people.unit_id, people.leadership_post, people.is_leader,
        people.duty_group_id, people.manager_id, people.category,
    ).where(
        people.active.is_(True),
        or_(people.unit_id.in_(sorted(subtree)), people.id.in_(sorted(p for p, (u, _) in history.items() if u in subtree))),
    )  # fmt: skip
    rows = raw_rows(query)  # driver tuples: (id, code, name, unit, post, leader, group, manager, category)
    code_of = {r[0]: r[1] for r in rows}
    chosen = []
    for r in rows:
        unit_id, group_id = history.get(r[0], (r[3], r[6]))
        if unit_id in subtree:
            chosen.append((r, unit_id, group_id if group_id is not None else r[6]))
    block = blocks_of(tree, root.id, {unit_id for _, unit_id, _ in chosen})
    unit_code, group_name = tree.code_of, groups
    out = [
        Member(
            person_id=pid, code=code, name=name, unit_id=unit_id, unit_code=unit_code[unit_id], post=post or "",
            leader=bool(leader), duty_group=group_name.get(group_id, "") or "", manager_id=manager,
            manager_code=code_of.get(manager, "") if manager else "", category=category, block_id=block[unit_id],
        )
        for (pid, code, name, _, post, leader, _, manager, category), unit_id, group_id in chosen
    ]  # fmt: skip
    out.sort(key=lambda m: m.code)
    return out
