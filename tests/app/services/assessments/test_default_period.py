"""The period a form offers first: the latest with task data in the user's scope (the demo's tasks are
of 01–03/2026 whatever today is), a later quarter's tasks counted by the quarter's last month, another
ward's tasks not counted, and the current month when the scope has no task."""

from __future__ import annotations

import datetime as dt

from run_fixtures import scope_of

from app.services.scope import Scope


def _latest_by_hand(session, scope) -> str:
    from app.models import Task

    periods = {p for (p,) in session.query(Task.period).filter(scope.where_unit(Task.unit_id)).distinct()}
    return max(p for p in periods if len(p) == 7 and "Q" not in p)


def test_latest_month_with_tasks_in_scope(demo):
    from app.services.assessments.queries import default_month, latest_task_month

    ht, ds = scope_of("hacthanh.danhgia"), scope_of("dongson.danhgia")
    assert latest_task_month(scope=ht) == _latest_by_hand(demo, ht) == "2026-03"
    assert latest_task_month(scope=ds) == _latest_by_hand(demo, ds)
    assert default_month(scope=ht, today=dt.date(2026, 12, 2)) == dt.date(2026, 3, 1)
    assert latest_task_month(scope=Scope.everything()) == "2026-03"


def test_a_later_quarter_counts_and_other_wards_do_not(demo):
    from app.models import Person, Task
    from app.services.assessments.queries import latest_task_month

    person = demo.query(Person).filter_by(code="HT0012").one()
    demo.add(Task(external_id="Q2-1", person_id=person.id, unit_id=person.unit_id, owner_unit_id=person.unit_id,
                  period="2026-Q2", status="Hoàn thành"))  # fmt: skip
    demo.flush()
    assert latest_task_month(scope=scope_of("hacthanh.danhgia")) == "2026-06"  # Q2 ends in June
    assert latest_task_month(scope=scope_of("dongson.danhgia")) == "2026-03"  # Hạc Thành's task unseen


def test_no_task_in_scope_falls_back_to_this_month(demo):
    from app.services.assessments.queries import default_month, latest_task_month

    nothing = Scope(role="evaluator", unit_ids=frozenset())
    assert latest_task_month(scope=nothing) is None
    assert default_month(scope=nothing, today=dt.date(2026, 12, 2)) == dt.date(2026, 12, 1)
