"""The one home of the quota's "allowed vs used" (`quota_use`): hand-computed allowances of ND 335's
quota ("Hoàn thành xuất sắc nhiệm vụ" không quá 20% số "Hoàn thành tốt nhiệm vụ" trong cùng đơn vị và
nhóm nhiệm vụ, làm tròn xuống; the demoted join the "tốt" and count in the base), the per-group table
the results page shows, and the same allowance in the summaries the dashboards read."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace

from run_fixtures import run, scope_of

XS, TOT, HT = "Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ"
RULESET = Path(__file__).resolve().parents[4] / "rulesets/quoc-gia/nd-335-2025.kpi"


def _program():
    from dsl.pipeline import check_file
    from dsl.run import compile as compile_checked

    return compile_checked(check_file(str(RULESET)))


def _rule():
    from app.services.assessments import quota_use

    (rule,) = quota_use.rules_of(_program())
    return rule


def test_the_rule_as_the_ruleset_says_it():
    rule = _rule()
    assert rule.level == XS and rule.p == Fraction(1, 5) and rule.quota.rounding == "xuống"
    assert rule.fields == ("unit_id", "duty_group") and rule.recountable
    assert rule.limit == '20% số người "Hoàn thành tốt nhiệm vụ"'
    assert rule.words == f"không quá {rule.limit} trong cùng đơn vị và nhóm nhiệm vụ"


def test_allowance_by_hand():
    from app.services.assessments.quota_use import allowed

    rule = _rule()
    # 16 "tốt", 1 "xuất sắc": keeping him, the base is 16 → 20% × 16 = 3,2 → 3 (floor): room for 3
    assert allowed(rule, Counter({TOT: 16, XS: 1, HT: 4})) == 3
    # 14 "tốt", 2 "xuất sắc": 20% × 14 = 2,8 → 2: both keep it, no room left
    assert allowed(rule, Counter({TOT: 14, XS: 2})) == 2
    # 12 "tốt", 5 "xuất sắc": keeping 5 → base 12 → 2,4 → 2 < 5; 4 → base 13 → 2; 3 → base 14 → 2;
    # 2 → base 15 → 3 >= 2: 2 keep it. (20% × 15 = 3 is not the allowance: keeping 3 makes the base 14.)
    assert allowed(rule, Counter({TOT: 12, XS: 5})) == 2
    # 4 "tốt": 20% × 4 = 0,8 → 0; nobody may be "xuất sắc"
    assert allowed(rule, Counter({TOT: 4, XS: 1})) == 0
    # nobody "tốt": nothing to take 20% of
    assert allowed(rule, Counter({HT: 9})) == 0


def _row(unit, group, before, after, version=1, not_rated=False, decided=None, code="X"):
    return SimpleNamespace(unit_id=hash(unit) % 1000, unit_code=unit, duty_group=group, version_id=version,
                           level_before_quota=before, level=after, not_rated=not_rated, decided_level=decided,
                           person_code=code)  # fmt: skip


def test_groups_by_unit_and_duty_group():
    from app.services.assessments import quota_use

    rows = (
        [_row("A", "Một cửa", TOT, TOT)] * 12
        + [_row("A", "Một cửa", XS, XS)] * 2
        + [_row("A", "Một cửa", XS, TOT)] * 3
        + [_row("A", "Chuyên môn", TOT, TOT)] * 16
        + [_row("A", "Chuyên môn", XS, XS)]
        + [_row("B", "Một cửa", TOT, TOT)] * 4
        + [_row("B", "Một cửa", None, None, not_rated=True)] * 5  # not rated: outside every base
        + [_row("B", "Một cửa", XS, XS, version=2)] * 7  # another ruleset version: not this quota
    )
    got = quota_use.groups(rows, {1: _program()})
    assert [(g.group, g.allowed, g.used, g.candidates, g.demoted, g.over) for g in got] == [
        ("đơn vị A, nhóm Chuyên môn", 3, 1, 1, 0, False),
        ("đơn vị A, nhóm Một cửa", 2, 2, 5, 3, False),
        ("đơn vị B, nhóm Một cửa", 0, 0, 0, 0, False),
    ]
    assert {g.level for g in got} == {XS} and {g.rule for g in got} == {
        '20% số người "Hoàn thành tốt nhiệm vụ"'
    }


def test_decisions_count_in_the_end_and_going_over_the_quota_is_said():
    """The law caps the final levels: a decision raising a demoted person to xuất sắc in a full group takes
    it over its quota (3 held, 2 allowed); a decision lowering somebody frees a place."""
    from app.services.assessments import quota_use

    base = [_row("A", "Một cửa", TOT, TOT, code=f"T{i}") for i in range(12)] + [
        _row("A", "Một cửa", XS, XS, code="X1"),
        _row("A", "Một cửa", XS, XS, code="X2"),
    ]
    raised = [
        *base,
        _row("A", "Một cửa", XS, TOT, decided=XS, code="D1"),
        _row("B", "Một cửa", TOT, TOT, code="B1"),
    ]
    [a, b] = quota_use.groups(raised, {1: _program()})
    assert (a.allowed, a.used, a.held, a.over) == (2, 2, 3, True) and (b.held, b.over) == (0, False)
    assert a.warning() == (
        'nhóm đơn vị A, nhóm Một cửa có 3 người "Hoàn thành xuất sắc nhiệm vụ" sau quyết định, vượt hạn mức '
        '(không quá 20% số người "Hoàn thành tốt nhiệm vụ": tối đa 2 người)'
    )
    assert quota_use.overruns(raised, {1: _program()}, ["D1"]) == [a.warning()]
    assert quota_use.overruns(raised, {1: _program()}, ["B1"]) == []  # another group: nothing to say
    lowered = [*base[:-1], _row("A", "Một cửa", XS, XS, decided=TOT, code="X2"),
               _row("A", "Một cửa", XS, TOT, decided=XS, code="D1")]  # fmt: skip
    [a] = quota_use.groups(lowered, {1: _program()})
    assert (a.held, a.over) == (2, False) and quota_use.overruns(lowered, {1: _program()}, ["D1"]) == []


def test_results_page_and_dashboards_read_the_same_allowance(demo):
    """The results table's groups and the stored summaries (what the dashboards show) agree per group."""
    from app.extensions import db
    from app.models import AssessmentRevision, AssessmentSummary, Unit
    from app.models.summaries import OWN
    from app.services.assessments import results_table

    report = run("HT", "2026-01")
    a = report.assessment
    table = results_table.table(a, scope=scope_of("hacthanh.danhgia"))
    assert table.quotas and sum(q.demoted for q in table.quotas) > 0
    revision = db.session.scalar(
        db.select(AssessmentRevision.id).where(AssessmentRevision.assessment_id == a.id,
                                               AssessmentRevision.number == a.current_revision)
    )  # fmt: skip
    codes = dict(db.session.execute(db.select(Unit.id, Unit.code)).all())
    stored = {
        f"đơn vị {codes[s.unit_id]}, nhóm {s.duty_group}": s.data["quota"][XS]
        for s in db.session.scalars(
            db.select(AssessmentSummary).where(
                AssessmentSummary.revision_id == revision,
                AssessmentSummary.scope == OWN,
                AssessmentSummary.duty_group.is_not(None),
            )
        )  # fmt: skip
        if XS in s.data.get("quota", {})
    }
    for q in table.quotas:
        kept, down, most = stored[q.group]
        assert (kept, down, most) == (q.used, q.demoted, q.allowed)
