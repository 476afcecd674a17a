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
