"""Two imports of the same new rows at once: one wins, the other is told in Vietnamese that another import
wrote the same data (ServiceError code "conflict", HTTP 409), not a database error with row advice."""

from __future__ import annotations

import threading

import pytest

from app.services import imports
from app.services.errors import ServiceError
from app.services.races import MESSAGE

TASKS = "Mã nhiệm vụ,Mã cán bộ,Kỳ,Trạng thái\n" + "".join(
    f"NV{i},CB01,2026-01,Hoàn thành\n" for i in range(50)
)


def race(app, monkeypatch, path: str) -> list:
    """Run two imports of `path` in two threads, both planning before either writes."""
    from app.extensions import db

    barrier = threading.Barrier(2, timeout=30)
    module = imports.KINDS["tasks"]
    apply = module.apply

    def apply_after_both_planned(ctx, plan):
        barrier.wait()  # both have seen the rows as new
        apply(ctx, plan)

    monkeypatch.setattr(module, "apply", apply_after_both_planned)
    outcomes: list = []

    def run():
        from app.transaction import transaction

        with app.app_context():
            try:
                with transaction():  # the boundary that commits, as a CLI command or an API request
                    outcomes.append(imports.import_file("tasks", path))
            except ServiceError as exc:
                outcomes.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return outcomes


def test_two_concurrent_imports_of_the_same_rows(app, session, people, write, monkeypatch):
    from app.models import Task

    path = write("nhiem-vu.csv", TASKS)
    session.commit()
    session.remove()
    outcomes = race(app, monkeypatch, path)
    reports = [o for o in outcomes if not isinstance(o, ServiceError)]
    lost = [o for o in outcomes if isinstance(o, ServiceError)]
    assert len(reports) == 1 and reports[0].applied and len(reports[0].created) == 50
    assert len(lost) == 1 and lost[0].code == "conflict" and MESSAGE in lost[0].message
    assert "UniqueViolation" not in str(lost[0]) and "IntegrityError" not in str(lost[0])
    assert session.query(Task).count() == 50
    monkeypatch.undo()
    again = imports.import_file("tasks", path)  # running again is the advice: it changes nothing
    assert again.ok and again.unchanged == 50


def test_conflict_is_409_in_the_api(client, app, monkeypatch):
    from app.api.errors import _service_error
    from app.services.races import conflict

    with app.test_request_context():
        response, status = _service_error(conflict("không nhập tasks.json"))
    assert status == 409 and response.get_json()["error"]["code"] == "conflict"


@pytest.mark.parametrize("sqlstate", ["23505", "40001", "40P01"])
def test_lost_race_recognises_postgresql_states(sqlstate):
    from sqlalchemy.exc import IntegrityError, OperationalError

    from app.services.races import lost_race

    class Orig(Exception):
        pass

    orig = Orig("x")
    orig.sqlstate = sqlstate
    assert lost_race(IntegrityError("INSERT", {}, orig)) and lost_race(OperationalError("x", {}, orig))
    orig.sqlstate = "23514"  # a check constraint: a real refusal, not a race
    assert not lost_race(IntegrityError("INSERT", {}, orig))
