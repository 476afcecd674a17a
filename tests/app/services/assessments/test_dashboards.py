"""Dashboards on the demo data (Hạc Thành HT, Đông Sơn DS under Thanh Hóa TH): every figure equals a
recount from the stored results; the scope limits what is read; a ward's own assessment counts before the
province's; decisions move the counts and the progress; summaries are written by the run and filled for
older revisions; the quota's allowance is the ruleset's."""

from __future__ import annotations

from collections import Counter, defaultdict
from fractions import Fraction

import pytest

from app.services.errors import Forbidden, NotFound, ServiceError

XS, TOT, HT_LEVEL = "Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ"


def _run(unit: str, period: str):
    from app.extensions import db
    from app.services import assessments
    from app.services.scope import Scope

    report = assessments.run(unit, period, scope=Scope.everything())
    db.session.commit()
    return report.assessment


def _scope(username: str):
    from app.extensions import db
    from app.models import User
    from app.services.scope import Scope

    return Scope.of_user(db.session.scalar(db.select(User).where(User.username == username)))


def _user(username: str):
    from app.extensions import db
    from app.models import User

    return db.session.scalar(db.select(User).where(User.username == username))


def _recount(results, row_of):
    """unit row -> (levels as decided, score mean, criteria means) straight from the result rows."""
    from app.tabular.writers import round_decimal

    levels, scores, criteria = defaultdict(Counter), defaultdict(list), defaultdict(lambda: defaultdict(list))
    for r in results:
        row = row_of(r.unit_code)
        levels[row][r.decided_level or r.level] += 1
        scores[row].append(Fraction(r.score_text))
        for code, text in r.criteria.items():
            criteria[row][code].append(Fraction(text))
    mean = lambda xs: round_decimal(sum(xs) / len(xs), 2)  # noqa: E731
    return {
        row: (levels[row], mean(scores[row]), {c: mean(v) for c, v in criteria[row].items()})
        for row in levels
    }


def test_figures_equal_a_recount_of_the_stored_results(demo):
    from app.services.assessments import dashboards, results_of

    ht = _run("HT", "2026-01")
    ds = _run("DS", "2026-01")
    board = dashboards.build(_scope("tinh.quantri"), None, "2026-01")
    assert board.root_code == "TH" and [r.code for r in board.rows] == ["DS", "HT"]
    expected = _recount([*results_of(ht), *results_of(ds)], lambda code: code.split("-")[0])
    for row in board.rows:
        levels, score, criteria = expected[row.code]
        assert +row.levels == levels
        assert row.averages.score == score
        assert {c: row.averages.criterion(c) for c in criteria} == criteria
        assert row.progress == dashboards.NOT_DECIDED and row.assessment == f"{row.code} kỳ 2026-01: đã tính"
    assert sum(board.totals.values()) == 120
    # the ward's evaluator: the departments of the ward, nothing of the other ward
    ward = dashboards.build(_scope("hacthanh.danhgia"), None, "2026-01")
    assert ward.root_code == "HT" and ward.parent_code is None
    assert all(r.code == "HT" or r.code.startswith("HT-") for r in ward.rows)
    dept = _recount(results_of(ht), lambda code: code)
    for row in ward.rows:
        assert (+row.levels, row.averages.score) == dept[row.code][:2]
    assert sum(ward.totals.values()) == 60
    json = dashboards.to_json(ward)
    assert "DS" not in str(json) and json["units"][0]["levels"]
    # the trend: one month with results
    assert [m for m, c in board.trend if c] == ["2026-01"] and len(board.trend) == 12


def test_scope_refuses_the_other_ward_and_unknown_units(demo):
    from app.services.assessments import dashboards

    _run("TH", "2026-01")
    with pytest.raises(Forbidden):
        dashboards.build(_scope("hacthanh.danhgia"), "DS", "2026-01")
    with pytest.raises(Forbidden):
        dashboards.build(_scope("dongson.quantri"), "HT-VP", "2026-01")
    with pytest.raises(NotFound):
        dashboards.build(_scope("hacthanh.danhgia"), "KHONG-CO", "2026-01")
    with pytest.raises(ServiceError):
        dashboards.build(_scope("hacthanh.danhgia"), None, "tháng mười ba")
    # the province's assessment counts for the ward, read only for the ward's units
    ds = dashboards.build(_scope("dongson.danhgia"), None, "2026-01")
    assert ds.root_code == "DS" and sum(ds.totals.values()) == 60
    assert {r.assessment for r in ds.rows} == {"TH kỳ 2026-01: đã tính"}
    assert "HT" not in str(dashboards.to_json(ds)).replace("THÀNH", "")


def test_ward_assessment_before_the_province_decisions_progress_and_summaries(demo):
    from app.extensions import db
    from app.models import AssessmentResult, AssessmentSummary
    from app.services.assessments import dashboards, results_of, workflow

    th = _run("TH", "2026-02")
    ht = _run("HT", "2026-02")
    board = dashboards.build(_scope("tinh.quantri"), None, "2026-02")
    rows = {r.code: r for r in board.rows}
    assert rows["HT"].assessment == "HT kỳ 2026-02: đã tính" and rows["DS"].assessment.startswith("TH kỳ")
    assert rows["HT"].people == 60 and rows["DS"].people == 60  # HT's people counted once
    # written by the runs; a revision stored without one is summarised when first read
    for a in (th, ht):
        assert db.session.scalar(db.select(db.func.count()).where(
            AssessmentSummary.revision_id == results_of(a)[0].revision_id))  # fmt: skip
    db.session.execute(db.delete(AssessmentSummary))
    db.session.commit()
    again = dashboards.build(_scope("tinh.quantri"), None, "2026-02")
    assert [(r.code, +r.levels, r.averages.score) for r in again.rows] == [
        (r.code, +r.levels, r.averages.score) for r in board.rows
    ]
    # a decision moves one person; the quota column compares the decided count with the allowance
    user = _user("hacthanh.danhgia")
    workflow.open_feedback(ht, user)
    workflow.review(ht, user)
    moved = next(r for r in results_of(ht) if r.level == TOT and r.unit_code == "HT-VP")
    workflow.decide(ht, user, {moved.person_code: (XS, "Sáng kiến được tỉnh công nhận")})
    db.session.commit()
    decided_board = dashboards.build(_scope("hacthanh.danhgia"), None, "2026-02")
    ward = {r.code: r for r in decided_board.rows}
    assert dict(decided_board.trend)["2026-02"] == decided_board.totals  # the trend counts the decision too
    province_board = dashboards.build(_scope("tinh.quantri"), None, "2026-02")
    assert dict(province_board.trend)["2026-02"] == province_board.totals
    vp = ward["HT-VP"]
    assert vp.changed == 1 and vp.progress == dashboards.NOT_PUBLISHED
    quota = vp.quotas[XS]
    assert quota.decided == quota.kept + 1 and quota.over == (quota.decided > quota.allowed)
    workflow.publish(ht, user)
    db.session.commit()
    done = dashboards.build(_scope("hacthanh.danhgia"), None, "2026-02")
    assert {r.progress for r in done.rows} == {dashboards.DONE}
    province = dashboards.build(_scope("tinh.quantri"), None, "2026-02").by_progress()
    assert [r.code for r in province[dashboards.DONE]] == ["HT"]
    assert [r.code for r in province[dashboards.NOT_DECIDED]] == ["DS"]
    # the allowance of each department equals the ruleset's quota recounted per duty group
    results = [r for r in results_of(ht) if r.unit_code == "HT-VP"]
    assert quota.demoted == sum(1 for r in results if r.level_before_quota == XS != r.level)
    assert quota.kept == sum(1 for r in results if r.level == XS)
    assert (
        db.session.scalar(db.select(db.func.count()).where(AssessmentResult.decided_level.is_not(None))) == 1
    )


def test_quota_allowance_is_the_rulesets(demo):
    from app.services.assessments import engine, quota_use

    _run("DS", "2026-01")
    from app.services.assessments import get, pinned_versions
    from app.services.scope import Scope

    version = pinned_versions(get("DS", "2026-01", scope=Scope.everything()))[0]
    (rule,) = quota_use.rules_of(engine.program_of(version))
    assert rule.level == XS and rule.p == Fraction(1, 5) and rule.recountable
    assert rule.words == 'không quá 20% số người "Hoàn thành tốt nhiệm vụ" trong cùng đơn vị và nhóm nhiệm vụ'
    # 12 "tốt" and 3 "xuất sắc" before the quota, 2 kept: base 12 + 1 demoted = 13 → 20% = 2,6 → 2
    assert quota_use.allowed(rule, Counter({TOT: 12, XS: 3})) == 2
    assert quota_use.allowed(rule, Counter({TOT: 10})) == 2
    assert quota_use.allowed(rule, Counter({HT_LEVEL: 4})) == 0


def test_quota_per_unit_only_is_recounted_per_unit():
    """Hà Nội's "Loại A" quota: a share of every rated person of the unit (no duty group)."""
    from pathlib import Path

    from app.services.assessments import quota_use
    from dsl.pipeline import check_file
    from dsl.run import compile as compile_checked

    source = Path(__file__).resolve().parents[4] / "rulesets/ha-noi/hn-3814-thang.kpi"
    (rule,) = quota_use.rules_of(compile_checked(check_file(str(source))))
    assert rule.level == "Loại A" and rule.fields == ("unit_id",) and rule.recountable
    assert rule.words.endswith("tổng số người được xếp loại trong cùng đơn vị")
    counts = Counter({"Loại A": 5, "Loại B": 10, "Loại C": 5})
    assert quota_use.allowed(rule, counts) == quota_use.round_count(rule.p * 20, rule.quota.rounding)
