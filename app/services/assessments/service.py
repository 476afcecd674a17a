"""Small entry points beside the run: the run lock for a unit and period, and re-pinning."""

from __future__ import annotations

from . import lock, pinning
from .periods import parse


def exclusive(unit_code: str, period: str, owner: str) -> lock.Guard:
    """The lock of the assessment of `unit_code` and `period` (enter it before `run`, leave it after the
    commit or rollback). ServiceError (Vietnamese) when another process runs it. It reads and writes on
    its own connection only: on SQLite take it before the session's transaction reads anything."""
    return lock.Guard(unit_code.strip(), parse(period).code, owner)


def repin(assessment, *, scope, user, reason: str):
    """Move the assessment to the versions in force now at its next run (explicit and audited)."""
    scope.require_unit(assessment.unit_id, write=True)
    return pinning.repin(assessment, user, reason)
