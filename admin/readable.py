"""What rulesets a user may read: those owned within their unit subtree (the scope), by the units above
their unit (the province's versions they adopt), and national ones. Changing them stays limited to the
scope (the services check it). Legal bases follow: those cited by a readable version, or by none."""

from __future__ import annotations

from app.extensions import db
from app.models import Ruleset, RulesetVersion, VersionLegalBasis
from app.services.imports.lookups import UnitTree

from .security import current_db_user, current_scope


def owner_ids() -> set[int] | None:
    """Owner units of readable rulesets (None: all); national rulesets (owner NULL) are always readable."""
    scope = current_scope()
    if scope.unit_ids is None:
        return None
    user = current_db_user()
    above = set(UnitTree().ancestors(user.unit_id)) if user is not None and user.unit_id else set()
    return set(scope.unit_ids) | above


def ruleset_filter(owner_column=Ruleset.owner_unit_id):
    ids = owner_ids()
    if ids is None:
        return db.true()
    return db.or_(owner_column.is_(None), owner_column.in_(sorted(ids)))


def legal_basis_filter(id_column):
    """Legal bases cited by no version, or by at least one readable version."""
    cited = db.select(VersionLegalBasis.legal_basis_id)
    readable = (
        db.select(VersionLegalBasis.legal_basis_id)
        .join(RulesetVersion, VersionLegalBasis.version_id == RulesetVersion.id)
        .join(Ruleset, RulesetVersion.ruleset_id == Ruleset.id)
        .where(ruleset_filter())
    )
    return db.or_(id_column.not_in(cited), id_column.in_(readable))
