"""Tasks imports: preview, all-or-nothing, every error at once, idempotence, standard products."""

from __future__ import annotations

from decimal import Decimal

from app.models import Task
from app.services.imports import import_file


def test_import_then_same_file_changes_nothing(session, people, write, snapshot, tasks_csv):
    path = write("nhiem-vu.csv", tasks_csv)
    preview = import_file("tasks", path, dry_run=True)
    assert preview.ok and len(preview.created) == 3 and not preview.applied
    assert session.query(Task).count() == 0
    report = import_file("tasks", path)
    assert report.applied and sorted(report.created) == ["NV1", "NV2", "NV3"]
    nv2 = session.query(Task).filter_by(external_id="NV2").one()
    assert nv2.period == "2026-01" and nv2.delays == 1 and nv2.quantity_completed == Decimal(2)
    nv3 = session.query(Task).filter_by(external_id="NV3").one()
    assert nv3.quantity_completed == 0 and nv3.delays == 0 and nv3.completed_on is None
    before = snapshot()
    again = import_file("tasks", path)
    assert again.ok and not again.created and not again.updated and again.unchanged == 3
    assert "không thay đổi" in again.summary()
    assert snapshot() == before
