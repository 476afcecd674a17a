"""Small entry points beside the run: the run lock for a unit and period, and re-pinning."""

from __future__ import annotations

from . import lock, pinning
from .periods import parse
from .runner import unit_by_code


def exclusive(unit_code: str, period: str, owner: str) -> lock.Guard:
    """The lock of the assessment of `unit_code` and `period` (enter it before `run`, leave it after the
    commit or rollback). ServiceError (Vietnamese) when another process runs it."""
    unit = unit_by_code(unit_code)
    return lock.Guard(lock.key_of(unit.id, parse(period).code), owner)


def repin(assessment, *, scope, user, reason: str):
    """Move the assessment to the versions in force now at its next run (explicit and audited)."""
    scope.require_unit(assessment.unit_id, write=True)
    return pinning.repin(assessment, user, reason)
