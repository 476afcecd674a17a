"""Every action the assessment services write to the audit log has a Vietnamese name in the trail: an
evaluator never reads a code such as `assessment.create`."""

import re
from pathlib import Path

from app.services.assessments.trail import ACTIONS
from app.services.assessments.workflow import STEPS

ROOT = Path(__file__).resolve().parents[4]


def _recorded_actions() -> set[str]:
    found = set()
    for path in (ROOT / "app").rglob("*.py"):
        for call in re.finditer(
            r"audit\.record\(\s*\"(assessment\.[a-z_]+)\"", path.read_text(encoding="utf-8")
        ):
            found.add(call.group(1))
    # the workflow writes `assessment.<step>` for each of its steps, and `self` / `comment` for feedback
    return found | {f"assessment.{step}" for step in STEPS} | {"assessment.self", "assessment.comment"}


def test_the_scan_finds_the_actions_it_should():
    # the scan itself must work, or the next test would pass on nothing
    assert {
        "assessment.create",
        "assessment.run",
        "assessment.repin",
        "assessment.decide",
    } <= _recorded_actions()


def test_every_recorded_assessment_action_has_a_vietnamese_name():
    missing = sorted(a for a in _recorded_actions() if a not in ACTIONS)
    assert missing == []
    assert all(name and name[0].islower() and "." not in name for name in ACTIONS.values())
