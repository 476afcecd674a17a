"""The statements of provisional scores, built once (SQLAlchemy then only looks its compiled form up):
one read of the people with everything a refresh needs besides their tasks, one read of a leader's
direct subordinates with their stored provisional results, and the upsert of the results."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import String, and_, bindparam, cast, insert, select, true, update

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


def _people():
    """Per person of :ids, for :period: their row (as `_with_subordinates` gives it), their period inputs
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
        *chain, *versions.GENERATION, closed_any,
    ).select_from(join(from_).join(versions.GENERATION_FROM, true())).where(
        _p.c.id.in_(bindparam("ids", expanding=True))
    )  # fmt: skip


def _subordinates():
    """The active direct subordinates of :ids with their stored provisional result of :period."""
    from_ = (
        _p.join(_u, _u.c.id == _p.c.unit_id)
        .outerjoin(_g, _g.c.id == _p.c.duty_group_id)
        .outerjoin(_r, and_(_r.c.person_id == _p.c.id, _r.c.period == bindparam("period")))
    )
    return select(
        *_PERSON, _r.c.id.label("stored_id"), _r.c.problem, _r.c.score, _r.c.level, _r.c.criteria
    ).select_from(from_).where(
        _p.c.manager_id.in_(bindparam("ids", expanding=True)), _p.c.active.is_(True)
    ).order_by(_p.c.id)  # fmt: skip


PEOPLE, SUBORDINATES = _people(), _subordinates()
_INSERT = insert(_r)
_UPDATE = update(_r).where(_r.c.id == bindparam("_id"))


def people(ids, period_code: str) -> list:
    return db.session.execute(PEOPLE, {"ids": sorted(ids), "period": period_code}).all()


def subordinates(ids, period_code: str) -> list:
    return db.session.execute(SUBORDINATES, {"ids": sorted(ids), "period": period_code}).all()


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
