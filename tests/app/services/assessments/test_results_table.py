"""The results table of the web admin: filters, sorting, and the quota per group recomputed from the
stored levels exactly as the run applied it."""

from __future__ import annotations

import pytest
from run_fixtures import run, scope_of

from app.services.errors import Forbidden


def test_quota_groups_match_the_run(demo):
    from app.services.assessments import results_table

    report = run("HT", "2026-01")
    table = results_table.table(report.assessment, scope=scope_of("hacthanh.danhgia"))
    assert table.total == 60 and len(table.lines) == 60 and table.quotas
    demoted = sum(1 for x in table.lines if x.quota_note)
    assert sum(q.demoted for q in table.quotas) == demoted > 0
    for q in table.quotas:
        assert q.level == "Hoàn thành xuất sắc nhiệm vụ" and "20%" in q.rule
        assert q.used <= q.allowed and q.used == min(q.allowed, q.candidates)  # kept up to the allowance
    in_groups = {(x.unit_code, x.duty_group) for x in table.lines if x.level_before_quota == table.levels[0]}
    assert {q.group for q in table.quotas} == {f"đơn vị {u}, nhóm {g}" for u, g in in_groups}


def test_filters_and_sorting(demo):
    from app.services.assessments import results_table

    a = run("HT", "2026-01").assessment
    scope = scope_of("hacthanh.quantri")
    leaders = results_table.table(a, scope=scope, leader="co").lines
    others = results_table.table(a, scope=scope, leader="khong").lines
    assert leaders and others and len(leaders) + len(others) == 60 and all(x.leader for x in leaders)
    level = results_table.table(a, scope=scope, level="Hoàn thành tốt nhiệm vụ").lines
    assert level and {x.final_level for x in level} == {"Hoàn thành tốt nhiệm vụ"}
    group = results_table.table(a, scope=scope, group="Một cửa", unit="HT-HCC").lines
    assert group and {(x.duty_group, x.unit_code) for x in group} == {("Một cửa", "HT-HCC")}
    scores = [x.score for x in results_table.table(a, scope=scope, sort="diem", descending=True).lines]
    assert scores == sorted(scores, reverse=True)


def test_another_ward_is_refused(demo):
    from app.services.assessments import results_table

    a = run("HT", "2026-01").assessment
    with pytest.raises(Forbidden):
        results_table.table(a, scope=scope_of("dongson.danhgia"))


def test_leader_filter_reads_the_assessed_periods_flag(demo):
    """A person promoted after the period (and a leader who stepped down) keep the period's flag in
    that period's results: the run's snapshot, not today's Person row."""
    from app.extensions import db
    from app.models import Person
    from app.services.assessments import results_table

    a = run("HT", "2026-01").assessment
    scope = scope_of("hacthanh.quantri")
    before = results_table.table(a, scope=scope, leader="co").lines
    staff = results_table.table(a, scope=scope, leader="khong").lines
    stepped_down, promoted = before[0].code, staff[0].code
    for code, flag in ((stepped_down, False), (promoted, True)):
        db.session.scalar(db.select(Person).where(Person.code == code)).is_leader = flag
    db.session.commit()
    leaders = {x.code for x in results_table.table(a, scope=scope, leader="co").lines}
    others = {x.code for x in results_table.table(a, scope=scope, leader="khong").lines}
    assert leaders == {x.code for x in before} and stepped_down in leaders
    assert promoted in others and promoted not in leaders
    # a run of a later period reads the new flags
    later = run("HT", "2026-02").assessment
    assert promoted in {x.code for x in results_table.table(later, scope=scope, leader="co").lines}
    assert stepped_down in {x.code for x in results_table.table(later, scope=scope, leader="khong").lines}


def test_snapshot_people_without_the_task_columns(demo):
    from app.extensions import db
    from app.models import AssessmentSnapshot
    from app.services.assessments import snapshot

    run("HT", "2026-01")
    blocks = db.session.scalars(db.select(AssessmentSnapshot.data)).all()
    assert blocks
    for data in blocks:
        assert snapshot.people_of(data) == snapshot.decode(data).people
    for cut in (8, 40, len(blocks[0]) // 3):  # a cut block: a clear error, not a half-read header
        with pytest.raises(ValueError):
            snapshot.people_of(blocks[0][:cut])
