"""What rulesets a user may read (`Scope.where_owner`: national ones, those owned within the user's
subtree and by the units above it), and the legal bases that follow: those cited by a readable version,
or by none. Changing them stays limited to `Scope.can_manage` (the services check it too)."""

from __future__ import annotations

from app.extensions import db
from app.models import Ruleset, RulesetVersion, VersionLegalBasis

from .security import current_scope


def owner_ids() -> set[int] | None:
    """Owner units of readable rulesets (None: all); national rulesets (owner NULL) are always readable."""
    scope = current_scope()
    if scope.unit_ids is None:
        return None
    return set(scope.unit_ids) | set(scope.ancestor_ids)


def ruleset_filter(owner_column=Ruleset.owner_unit_id):
    return current_scope().where_owner(owner_column)


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
