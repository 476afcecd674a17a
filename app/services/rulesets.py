"""Ruleset services, in one place for callers (CLI, API, admin): the gate, drafts, publication,
adoption, resolution, review and semantic diff. The work is done in gate.py, versions.py, adoption.py
and resolution.py; this module adds listing and diff."""

from __future__ import annotations

from ..extensions import db
from ..models import Ruleset, RulesetVersion
from .adoption import ReviewItem, adopt, adopting_source, needs_review
from .errors import ServiceError
from .gate import DbResolver, render, validate
from .resolution import resolve
from .versions import (
    delete_draft,
    get_ruleset,
    get_version,
    new_draft_from,
    next_version_number,
    publish,
    retire,
    save_draft,
    version_by_code,
)

__all__ = [
    "DbResolver",
    "ReviewItem",
    "adopt",
    "adopting_source",
    "delete_draft",
    "diff",
    "get_ruleset",
    "get_version",
    "list_versions",
    "needs_review",
    "new_draft_from",
    "next_version_number",
    "publish",
    "render",
    "resolve",
    "retire",
    "save_draft",
    "validate",
    "version_by_code",
]


def list_versions(code: str | None = None, status: str | None = None) -> list[RulesetVersion]:
    query = db.select(RulesetVersion).join(Ruleset).order_by(Ruleset.code, RulesetVersion.version)
    if code is not None:
        query = query.where(Ruleset.code == code)
    if status is not None:
        query = query.where(RulesetVersion.status == status)
    return list(db.session.scalars(query))


def effective(version: RulesetVersion):
    """The effective (merged, checked) dsl ruleset of a stored version; ServiceError if unusable."""
    result = validate(version.source, filename=version.filename, owner_unit=version.ruleset.owner_unit)
    if result.ruleset is None:
        raise ServiceError(
            f"không phân tích được {version.label}", render(result.diagnostics, errors_only=True)
        )
    return result.ruleset


def diff(old: RulesetVersion, new: RulesetVersion) -> list:
    """Semantic changes from `old` to `new` (any two versions, even of different rulesets), as
    `dsl.diff.Change` items (kind, area, key, message, old, new)."""
    from dsl.diff import diff_rulesets

    return diff_rulesets(effective(old), effective(new))
