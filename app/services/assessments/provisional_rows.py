"""The statements of provisional scores, built once (SQLAlchemy then only looks its compiled form up):
one read of the people with everything a refresh needs besides their tasks (a leader's direct
subordinates with their stored provisional results included, as one JSON text: no round trip of their
own), the same subordinates on their own (when stored since that read), and the upsert of the results."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import String, and_, bindparam, case, cast, func, insert, select, true, update

from ...extensions import db
from ...models import Assessment, DutyGroup, PeriodInput, Person, Unit
from ...models.common import utcnow
from ...models.provisional import ProvisionalResult
from . import provisional_versions as versions
from .members import Member

CLOSED = ("published", "locked")

_p, _u, _g = Person.__table__, Unit.__table__, DutyGroup.__table__
_i, _r = PeriodInput.__table__, ProvisionalResult.__table__
_PERSON = (_p.c.id, _p.c.code, _p.c.full_name, _p.c.unit_id, _p.c.leadership_post, _p.c.is_leader, _p.c.manager_id,
           _p.c.category, _u.c.code.label("unit_code"), _g.c.name.label("group_name"))  # fmt: skip


def _people(dialect: str):
    """Per person of :ids, for :period: their row (as `with_subordinates` gives it), their period inputs
    (`has_inputs`, score as text, discipline, values), their stored provisional row (`stored_*`), the
    chain of units above them and the rulesets generation (`provisional_versions`), and whether some
    assessment of the period is published or locked (`closed_any`)."""
    join, chain = versions.chain_columns(_p.c.unit_id)
    closed_any = (
        select(Assessment.id)
        .where(Assessment.period == bindparam("period"), Assessment.status.in_(CLOSED))
        .exists()
        .label("closed_any")
    )
    from_ = (
        _p.join(_u, _u.c.id == _p.c.unit_id)
        .outerjoin(_g, _g.c.id == _p.c.duty_group_id)
        .outerjoin(_i, and_(_i.c.person_id == _p.c.id, _i.c.period == bindparam("period")))
        .outerjoin(_r, and_(_r.c.person_id == _p.c.id, _r.c.period == bindparam("period")))
    )
    return select(
        *_PERSON, _i.c.id.label("has_inputs"), cast(_i.c.general_score, String).label("general_score"),
        _i.c.discipline, _i.c["values"].label("input_values"), _r.c.id.label("stored_id"), _r.c.level.label("stored_level"),
        _r.c.not_rated.label("stored_not_rated"), _r.c.unit_id.label("stored_unit_id"),
        *chain, *versions.GENERATION, closed_any, _packed_subordinates(dialect),
    ).select_from(join(from_).join(versions.GENERATION_FROM, true())).where(
        _p.c.id.in_(bindparam("ids", expanding=True))
    )  # fmt: skip


def _sub_from(p):
    """The FROM clause of subordinates `p` (a table or alias of people) with their unit, duty group and
    stored provisional result of :period."""
    u, g, r = _u.alias(), _g.alias(), _r.alias()
    columns = (p.c.id, p.c.code, p.c.full_name, p.c.unit_id, p.c.leadership_post, p.c.is_leader, p.c.manager_id,
               p.c.category, u.c.code.label("unit_code"), g.c.name.label("group_name"), r.c.id.label("stored_id"),
               r.c.problem, cast(r.c.score, String).label("score"), r.c.level,
               cast(r.c.criteria, String).label("criteria"))  # fmt: skip
    from_ = (
        p.join(u, u.c.id == p.c.unit_id)
        .outerjoin(g, g.c.id == p.c.duty_group_id)
        .outerjoin(r, and_(r.c.person_id == p.c.id, r.c.period == bindparam("period")))
    )
    return columns, from_


class Sub(NamedTuple):
    """A direct subordinate with their stored provisional result (score and criteria as stored text)."""

    id: int
    code: str
    full_name: str
    unit_id: int
    leadership_post: str | None
    is_leader: bool
    manager_id: int
    category: str
    unit_code: str
    group_name: str | None
    stored_id: int | None
    problem: str | None
    score: str | None
    level: str | None
    criteria: str | None


def _subordinates():
    """The active direct subordinates of :ids with their stored provisional result of :period."""
    columns, from_ = _sub_from(_p)
    return select(*columns).select_from(from_).where(
        _p.c.manager_id.in_(bindparam("ids", expanding=True)), _p.c.active.is_(True)
    ).order_by(_p.c.id)  # fmt: skip


def _packed_subordinates(dialect: str):
    """For a leader, the rows of `_subordinates` as one JSON text (an array of arrays, in `Sub`'s order),
    read within the people statement (no round trip of its own); NULL for someone not a leader."""
    s = _p.alias("sub")
    columns, from_ = _sub_from(s)
    if dialect == "postgresql":
        packed = func.coalesce(cast(func.json_agg(func.json_build_array(*columns)), String), "[]")
    else:
        packed = func.json_group_array(func.json_array(*columns))
    inner = select(packed).select_from(from_).where(s.c.manager_id == _p.c.id, s.c.active.is_(True))
    return case((_p.c.is_leader.is_(True), inner.scalar_subquery()), else_=None).label("subs_packed")


PEOPLE = {"postgresql": _people("postgresql"), "sqlite": _people("sqlite")}
SUBORDINATES = _subordinates()
_INSERT = insert(_r)
_UPDATE = update(_r).where(_r.c.id == bindparam("_id"))


def people(ids, period_code: str) -> list:
    statement = PEOPLE[db.session.get_bind().dialect.name]
    return db.session.execute(statement, {"ids": sorted(ids), "period": period_code}).all()


def subordinates(ids, period_code: str) -> list[Sub]:
    """The active direct subordinates of `ids` with their stored results of `period_code`, by person id,
    in one statement (`packed` gives the same rows as read with the people)."""
    return [Sub(*r) for r in db.session.execute(SUBORDINATES, {"ids": sorted(ids), "period": period_code})]


def packed(rows) -> list[Sub] | None:
    """The subordinates read with `rows` (of `people`, all leaders), by person id; None when some row was
    not read with them."""
    out = []
    for row in rows:
        if row.subs_packed is None:
            return None
        out.extend(Sub(*item) for item in json.loads(row.subs_packed))
    out.sort(key=lambda sub: sub.id)
    return out


def member(r, code_of: dict, version_id: int | None) -> Member:
    return Member(
        person_id=r.id, code=r.code, name=r.full_name, unit_id=r.unit_id, unit_code=r.unit_code,
        post=r.leadership_post or "", leader=bool(r.is_leader), duty_group=r.group_name or "",
        manager_id=r.manager_id, manager_code=code_of.get(r.manager_id, ""), category=r.category,
        block_id=r.unit_id, version_id=version_id,
    )  # fmt: skip


def inputs_of(rows) -> dict[str, dict[str, object]]:
    """Person code -> stored inputs (as `load.load_inputs` gives them) of rows read by `people`."""
    from .load import input_bag

    return {
        r.code: input_bag(r.general_score, r.discipline, r.input_values)
        for r in rows
        if r.has_inputs is not None
    }


def store(rows, period_code: str, members: dict[int, Member], results: dict, problems: dict):
    """Upsert the provisional rows of `rows` (read by `people`: their stored row is known; one insert
    and/or one update statement); returns ({person id: the stored values}, the people whose level
    changed)."""
    stored, changed, inserts, updates = {}, set(), [], []
    now = utcnow()
    for row in rows:
        person_id = row.id
        member = members.get(person_id)
        r = results.get(member.code) if member is not None else None
        values = {
            "unit_id": member.unit_id if member is not None else row.stored_unit_id,
            "version_id": member.version_id if member is not None else None,
            "score": None, "level": None, "not_rated": False, "criteria": {}, "vetoes": [],
            "problem": problems.get(person_id, "chưa tính được"), "updated_at": now,
        }  # fmt: skip
        if r is not None:
            values.update(
                score=None if r.score is None else Decimal(r.score.numerator) / Decimal(r.score.denominator),
                level=r.level_before_quota, not_rated=bool(r.not_rated), problem="",
                criteria={k: str(v) for k, v in r.criteria.items()}, vetoes=list(r.vetoes),
            )  # fmt: skip
        exists = row.stored_id is not None
        before = (row.stored_level, bool(row.stored_not_rated)) if exists else (None, False)
        if (values["level"], values["not_rated"]) != before:
            changed.add(person_id)
        if exists:
            updates.append({"_id": row.stored_id, **values})
        else:
            inserts.append({"person_id": person_id, "period": period_code, **values})
        stored[person_id] = values
    if inserts:
        db.session.execute(_INSERT, inserts)
    if updates:
        db.session.execute(_UPDATE, updates)
    return stored, changed


def with_subordinates(ids: set[int], depth: int | None = None) -> list:
    """The people `ids` and everyone under them (by manager), as rows with their unit code and duty
    group name (one query per level of the hierarchy)."""
    p, u, g = Person.__table__.c, Unit.__table__.c, DutyGroup.__table__.c
    query = (
        select(p.id, p.code, p.full_name, p.unit_id, p.leadership_post, p.is_leader, p.manager_id, p.category,
               u.code.label("unit_code"), g.name.label("group_name"))
        .join(Unit.__table__, u.id == p.unit_id)
        .outerjoin(DutyGroup.__table__, g.id == p.duty_group_id)
    )  # fmt: skip
    rows = {r.id: r for r in db.session.execute(query.where(p.id.in_(sorted(ids))))}
    frontier = {r.id for r in rows.values() if r.is_leader}
    level = 0
    while frontier and (depth is None or level < depth):
        level += 1
        found = [r for r in db.session.execute(query.where(p.manager_id.in_(sorted(frontier)), p.active.is_(True)))
                 if r.id not in rows]  # fmt: skip
        rows.update((r.id, r) for r in found)
        frontier = {r.id for r in found}
    return list(rows.values())
