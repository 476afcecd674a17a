"""Which published version is in force for a person or a unit on a date, for a subject.

Rules: walk from the unit (a person's unit on that date) up through its ancestors, then national
rulesets (owned by no unit); the first level that has published versions in force on that date for the
subject wins. Within one ruleset a newer version in force supersedes an older one; two different
rulesets in force at the same level are an ambiguity (ServiceError naming them). A version with no
subjects applies to every subject. Retired and draft versions are never resolved."""

from __future__ import annotations

import datetime as dt
import re

from dsl.text import canon, fold

from ..extensions import db
from ..models import Person, Ruleset, RulesetVersion, Unit
from ..models.rulesets import PUBLISHED
from .errors import NotFound, ServiceError

_SPLIT = re.compile(r",|\s+và\s+|\s+va\s+")


def _subject_matches(version: RulesetVersion, subject: str | None) -> bool:
    """A subject matches when it is one of the version's subjects, each read as a list ("cán bộ,
    công chức" covers both); diacritics and case are ignored."""
    if not subject or not version.subjects:
        return True
    wanted = fold(canon(subject)).strip()
    tokens = {fold(canon(s)).strip() for s in version.subjects}
    tokens |= {t.strip() for s in version.subjects for t in _SPLIT.split(fold(canon(s)))}
    return wanted in tokens


def _period_matches(version: RulesetVersion, period: str | None) -> bool:
    """No period asked: the rulesets that evaluate tasks (not roll-ups); else the same period kind."""
    if period is None:
        return version.rollup_from is None
    return version.period is not None and fold(version.period) == fold(canon(period))


def _in_force_at(
    owner: Unit | None, day: dt.date, subject: str | None, period: str | None
) -> list[RulesetVersion]:
    query = db.select(RulesetVersion).join(Ruleset).where(RulesetVersion.status == PUBLISHED)
    if owner is None:
        query = query.where(Ruleset.owner_unit_id.is_(None))
    else:
        query = query.where(Ruleset.owner_unit_id == owner.id)
    newest: dict[int, RulesetVersion] = {}
    for version in db.session.scalars(query):
        if not (
            version.in_force(day) and _subject_matches(version, subject) and _period_matches(version, period)
        ):
            continue
        current = newest.get(version.ruleset_id)
        if current is None or version.version > current.version:
            newest[version.ruleset_id] = version
    return sorted(newest.values(), key=lambda v: v.ruleset.code)


def resolve(
    target: Person | Unit, day: dt.date, subject: str | None = None, *, period: str | None = None
) -> RulesetVersion:
    """The one published version in force for `target` on `day` (see the module docstring). `period`
    ("tháng", "quý", "năm") selects by period kind; without it roll-up rulesets are left out."""
    unit = target.unit_on(day) if isinstance(target, Person) else target
    if isinstance(target, Person) and subject is None:
        subject = target.category
    who = f"cán bộ {target.code}" if isinstance(target, Person) else f"đơn vị {unit.code}"
    return _first_level([*unit.ancestors(), None], day, subject, period, who)


def _first_level(owners, day, subject, period, who: str, owning=None, memo=None) -> RulesetVersion:
    for owner in owners:
        if owning is not None and owner is not None and owner.id not in owning:
            continue  # this unit owns no ruleset at all
        key = (owner.id if owner is not None else None, subject)
        found = memo.get(key) if memo is not None else None
        if found is None:
            found = _in_force_at(owner, day, subject, period)
            if memo is not None:
                memo[key] = found
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            where = owner.name if owner is not None else "cấp quốc gia"
            raise ServiceError(
                f"không xác định được bộ quy tắc áp dụng ngày {day:%d/%m/%Y} tại {where}: "
                f"có {len(found)} bộ quy tắc cùng hiệu lực",
                [v.label for v in found],
                code="ambiguous",
            )
    what = f' cho đối tượng "{subject}"' if subject else ""
    raise NotFound(
        f"không có bộ quy tắc nào đã công bố có hiệu lực ngày {day:%d/%m/%Y} áp dụng cho {who}{what}"
    )


def resolve_units(
    pairs: set[tuple[int, str | None]], day: dt.date, *, period: str | None = None
) -> dict[tuple[int, str | None], RulesetVersion | ServiceError]:
    """`resolve` for many (unit id, subject) pairs at once (assessments of a whole province): the same
    rule, but the units that own no ruleset are skipped without a query. Each pair maps to its version
    or to the ServiceError `resolve` would raise."""
    owning = set(
        db.session.scalars(db.select(Ruleset.owner_unit_id).where(Ruleset.owner_unit_id.isnot(None)))
    )
    out: dict[tuple[int, str | None], RulesetVersion | ServiceError] = {}
    memo: dict = {}
    units = {u.id: u for u in db.session.scalars(db.select(Unit))}  # kept: the identity map is weak
    for unit_id, subject in pairs:
        unit = units[unit_id]
        try:
            out[(unit_id, subject)] = _first_level(
                [*unit.ancestors(), None], day, subject, period, f"đơn vị {unit.code}", owning, memo
            )
        except ServiceError as exc:
            out[(unit_id, subject)] = exc
    return out
