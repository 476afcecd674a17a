"""The version in force for provisional scores, with its compiled program, cached per process.

The key of an entry is (database, rulesets generation, the unit's chain of ancestors, category, day):
- the **generation** (`GENERATION`, a few aggregates of `ruleset_versions`, read inside the statement
  that reads the people, so it costs no round trip) changes whenever a version is published or retired,
  in this process or any other: a version only moves draft → published → retired and a published or
  retired version is never deleted (triggers), so (published + retired, retired) strictly grows on every
  publication or retirement, whatever the clocks say; the newest id and `updated_at` are there too, so a
  database emptied and filled again (tests) does not look like the one cached;
- the **chain** (`chain_columns`: the unit and up to `DEPTH` - 1 ancestors, read by joins in the same
  statement) changes when a unit is moved under another parent, which changes what resolution walks;
  a deeper tree is resolved again at every refresh (never cached) rather than cached on a partial chain.
Drafts, adoptions and pins do not change what is in force (an adoption belongs to a version, fixed when
it is published; pins belong to assessments), and a published version's source and hash never change.
Resolution itself is `resolution.resolve_units` (the one rule), the program `engine.program_of`.
"""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import case, func, select
from sqlalchemy.orm import aliased

from ...extensions import db
from ...models import RulesetVersion, Unit
from ...models.rulesets import PUBLISHED, RETIRED
from ..errors import ServiceError

DEPTH = 6  # units joined above a person (a province → ward → department tree has 3)
_RESOLVED: dict[tuple, object] = {}
_LIMIT = 20_000  # entries kept before the cache starts afresh


class Version(NamedTuple):
    id: int
    program: object


def _generation_columns():
    v = RulesetVersion.__table__.c
    one = select(
        func.count(case((v.status.in_((PUBLISHED, RETIRED)), 1))),
        func.count(case((v.status == RETIRED, 1))),
        func.max(v.id),
        func.max(v.updated_at),
    ).subquery("ruleset_generation")
    return [c.label(f"gen_{i}") for i, c in enumerate(one.c)], one


GENERATION, GENERATION_FROM = _generation_columns()


def chain_columns(unit_id_column):
    """(the outer joins of `DEPTH` levels of units above `unit_id_column` as a function of a FROM
    clause, the ids selected: the unit, its parent, … and the last one's parent)."""
    units = [aliased(Unit.__table__, name=f"chain_{i}") for i in range(DEPTH)]

    def join(from_):
        joined = from_.outerjoin(units[0], units[0].c.id == unit_id_column)
        for above, below in zip(units[1:], units, strict=False):
            joined = joined.outerjoin(above, above.c.id == below.c.parent_id)
        return joined

    ids = [u.c.id.label(f"chain_{i}") for i, u in enumerate(units)] + [
        units[-1].c.parent_id.label("chain_more")
    ]
    return join, ids


def chain_of(row) -> tuple | None:
    """The unit chain of a row selected with `chain_columns`, None when the tree is deeper (not cached)."""
    if row.chain_more is not None:
        return None
    return tuple(getattr(row, f"chain_{i}") for i in range(DEPTH))


def generation_of(row) -> tuple:
    return tuple(getattr(row, f"gen_{i}") for i in range(len(GENERATION)))


def read_generation() -> tuple:
    """The generation alone (callers that read no person row)."""
    return tuple(db.session.execute(select(*GENERATION).select_from(GENERATION_FROM)).one())


def read_chains(unit_ids: set[int]) -> dict[int, tuple | None]:
    u = Unit.__table__
    join, ids = chain_columns(u.c.id)
    query = select(u.c.id.label("unit_id"), *ids).select_from(join(u)).where(u.c.id.in_(sorted(unit_ids)))
    return {r.unit_id: chain_of(r) for r in db.session.execute(query)}


def _database() -> str:
    return db.session.get_bind().url.render_as_string(hide_password=True)  # ids are per database


def versions(wanted: dict[tuple[int, str], tuple | None], day, generation: tuple) -> dict:
    """(unit id, category) -> Version in force on `day`, or the reason (text) none applies. `wanted`
    maps each pair to its unit's chain (`chain_of`); `generation`: read in the same transaction."""
    base = (_database(), generation)
    out: dict = {}
    todo = set()
    for pair, chain in wanted.items():
        got = _RESOLVED.get((*base, chain, pair[1], day)) if chain is not None else None
        if got is None:
            todo.add(pair)
        else:
            out[pair] = got
    if todo:
        from ..resolution import resolve_units
        from . import engine

        if len(_RESOLVED) > _LIMIT:
            _RESOLVED.clear()
        for pair, v in resolve_units(todo, day).items():
            got = v.message[:500] if isinstance(v, ServiceError) else Version(v.id, engine.program_of(v))
            out[pair] = got
            if wanted[pair] is not None:
                _RESOLVED[(*base, wanted[pair], pair[1], day)] = got
    return out


def clear() -> None:
    """Forget every cached resolution (tests; never needed for correctness, see the module docstring)."""
    _RESOLVED.clear()


def for_pairs(pairs: set[tuple[int, str]], period) -> dict:
    """(unit id, category) -> the version in force on the period's last day with its compiled program
    (`.id`, `.program`), or why there is none (text); cached (`provisional_versions`)."""
    chains = read_chains({unit_id for unit_id, _ in pairs})
    wanted = {pair: chains.get(pair[0]) for pair in pairs}
    return versions(wanted, period.last, read_generation())
