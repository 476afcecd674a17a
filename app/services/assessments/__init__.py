"""Assessments (đợt đánh giá): run the versions in force over a unit subtree and a period, store every
result with a snapshot of the exact inputs, explain any person again, one run at a time.

Public API (services flush, never commit; the CLI command / API request owns the commit):
    run(unit_code, period, *, scope, user=None, dry_run=False, reason="", progress=None) -> RunReport
    exclusive(unit_code, period, owner) -> lock Guard (context manager; release after the commit)
    get(unit_code, period, *, scope), get_by_id(id, *, scope), list_assessments(*, scope, unit_code=None)
    results_of(assessment, revision=None), revisions(assessment), revision_of(assessment, number=None)
    pinned_versions(assessment), snapshot_dataset(assessment, version_id=None, revision=None)
    explain(assessment, person_code, *, scope) -> Explanation
    repin(assessment, *, scope, user, reason)
"""

from __future__ import annotations

from .explain import Explanation, explain
from .queries import (
    get,
    get_by_id,
    list_assessments,
    pinned_versions,
    results_of,
    revision_of,
    revisions,
    snapshot_dataset,
)
from .runner import UNCHANGED, RunReport, run
from .service import exclusive, repin

__all__ = [
    "UNCHANGED",
    "Explanation",
    "RunReport",
    "exclusive",
    "explain",
    "get",
    "get_by_id",
    "list_assessments",
    "pinned_versions",
    "repin",
    "results_of",
    "revision_of",
    "revisions",
    "run",
    "snapshot_dataset",
]
