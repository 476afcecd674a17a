"""Dashboards read for speed (one page of rows decoded, levels and duty-group sums added up by the
database, immutable figures memoised) show the same numbers as a recount from the stored results: on a
hand-computed case, when every ward runs its own assessment (the province's figures added up from the
wards' summaries), page by page; decisions still move the counts; the default period is the latest with
data for the caller."""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal
from fractions import Fraction

XS, TOT, HT_LEVEL = "Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ"


def _run(unit: str, period: str):
    from app.extensions import db
    from app.services import assessments
    from app.services.scope import Scope

    report = assessments.run(unit, period, scope=Scope.everything())
    db.session.commit()
    return report.assessment


def _user(username: str):
    from app.extensions import db
    from app.models import User

    return db.session.scalar(db.select(User).where(User.username == username))


def _scope(username: str):
    from app.services.scope import Scope

    return Scope.of_user(_user(username))


def _mean(values) -> Decimal:
    from app.tabular.writers import round_decimal

    return round_decimal(sum(values, Fraction(0)) / len(values), 2)


def test_several_summaries_add_up_exactly_by_hand():
    """97.5 + 2923/30 + 80 = 274.9333… over 3 = 91.6444… → 91,64; 0.12 and 0.13 → 0.125 → 0.13 (half
    up); the database's sums per denominator give the same means as the summaries added here."""
    from app.services.assessments.dash_figures import Averages

    a = Averages()
    a.add(1, {"levels": {TOT: 1}, "quota": {XS: [0, 0, 1]}, "means": {"": "97.50", "x": "0.12"}},
          {"": [975, 10, 1], "x": [12, 100, 1]})  # fmt: skip
    a.add(1, {"levels": {TOT: 1}, "quota": {XS: [0, 1, None]}, "means": {"": "97.43"}}, {"": [2923, 30, 1]})
    a.add(1, {"levels": {XS: 1}, "quota": {XS: [1, 0, 1]}, "means": {"": "80", "x": "0.13"}},
          {"": [80, 1, 1], "x": [13, 100, 1]})  # fmt: skip
    assert a.people == 3 and a.levels == Counter({TOT: 2, XS: 1})
    assert a.score == Decimal("91.64") and a.criterion("x") == Decimal("0.13")
    assert a.quota == {XS: [1, 1, None]}  # an allowance that cannot be recounted stays unknown
    b = Averages.added_up(3, {"": {10: 975, 30: 2923, 1: 80}, "x": {100: 25}}, {"": 3, "x": 2})
    assert b.means() == a.means()
    one = Averages()
    one.add(2, {"levels": {TOT: 2}, "quota": {}, "means": {"": "88.25"}})  # one summary: its own means
    assert one.score == Decimal("88.25")


def test_province_of_ward_assessments_equals_a_recount(demo):
    """HT and DS each run their own assessment and TH none: every province figure (rows, totals, trend,
    duty groups, progress) is added up from the wards' summaries and equals the results recounted;
    a page-only build shows the same rows; a second build (memoised) the same numbers."""
    from app.services.assessments import dash_queries, dashboards, results_of, workflow

    ht, ds = _run("HT", "2026-01"), _run("DS", "2026-01")
    user = _user("hacthanh.danhgia")
    workflow.open_feedback(ht, user)
    workflow.review(ht, user)
    moved = next(r for r in results_of(ht) if r.level == TOT)
    workflow.decide(ht, user, {moved.person_code: (XS, "Sáng kiến được tỉnh công nhận")})
    workflow.publish(ht, user)
    from app.extensions import db

    db.session.commit()
    results = [*results_of(ht), *results_of(ds)]
    expected_rows: dict[str, Counter] = defaultdict(Counter)
    groups: dict[str, list] = defaultdict(list)
    for r in results:
        expected_rows[r.unit_code.split("-")[0]][r.decided_level or r.level] += 1
        groups[r.duty_group].append(Fraction(r.score_text))
    totals = sum(expected_rows.values(), Counter())
    dash_queries.forget()
    for _ in range(2):  # read from the database, then from the memo
        board = dashboards.build(_scope("tinh.quantri"), None, "2026-01", page=1)
        assert [r.code for r in board.page(1)] == ["DS", "HT"] and board.shown == 1
        assert {r.code: +r.levels for r in board.rows} == expected_rows
        assert board.totals == totals and sum(totals.values()) == 120
        assert dict(board.trend)["2026-01"] == totals
        assert {g: (a.people, a.score) for g, a in board.groups.items()} == {
            g: (len(scores), _mean(scores)) for g, scores in groups.items()
        }
        rows = {r.code: r for r in board.rows}
        assert rows["HT"].progress == dashboards.DONE and rows["DS"].progress == dashboards.NOT_DECIDED
        assert rows["HT"].changed == 1 and rows["HT"].quotas[XS].decided == rows["HT"].quotas[XS].kept + 1
        assert rows["HT"].averages.score == _mean([Fraction(r.score_text) for r in results_of(ht)])
    everything = dashboards.build(_scope("tinh.quantri"), None, "2026-01")
    assert [(r.code, +r.levels, r.averages.score) for r in everything.rows] == [
        (r.code, +r.levels, r.averages.score) for r in board.rows
    ]
    assert dashboards.to_json(board)["units"] == dashboards.to_json(everything, 1)["units"]


def test_only_the_page_built_carries_figures(demo, monkeypatch):
    """One row a page: page 2 of the province holds HT with its figures; the totals, trend and groups
    still cover both wards; another page of that build is refused rather than shown empty."""
    import pytest

    from app.services.assessments import dash_figures, dashboards

    _run("TH", "2026-01")
    monkeypatch.setattr(dash_figures, "PAGE_ROWS", 1)
    monkeypatch.setattr(dashboards, "PAGE_ROWS", 1)
    whole = dashboards.build(_scope("tinh.quantri"), None, "2026-01")
    board = dashboards.build(_scope("tinh.quantri"), None, "2026-01", page=2)
    assert board.pages == 2 and board.shown == 2
    (ht,) = board.page(2)
    expected = {r.code: r for r in whole.rows}["HT"]
    assert (ht.code, +ht.levels, ht.averages.score) == ("HT", +expected.levels, expected.averages.score)
    assert {r.code: r.people for r in board.rows} == {"DS": 0, "HT": 60}  # DS: not on this page
    assert board.totals == whole.totals and sum(board.totals.values()) == 120
    assert board.trend == whole.trend
    assert {g: a.score for g, a in board.groups.items()} == {g: a.score for g, a in whole.groups.items()}
    with pytest.raises(ValueError):
        board.page(1)
    assert dashboards.to_json(board)["units"][0]["code"] == "HT"
    assert dashboards.build(_scope("tinh.quantri"), None, "2026-01", page=9).shown == 2  # the last page


def test_decisions_before_publishing_are_read_fresh(demo):
    """The memo keeps only what cannot change: a decision taken after a dashboard was built shows."""
    from app.extensions import db
    from app.services.assessments import dashboards, results_of, workflow

    ht = _run("HT", "2026-02")
    before = dashboards.build(_scope("hacthanh.danhgia"), None, "2026-02", page=1)
    user = _user("hacthanh.danhgia")
    workflow.open_feedback(ht, user)
    workflow.review(ht, user)
    moved = next(r for r in results_of(ht) if r.level == TOT)
    workflow.decide(ht, user, {moved.person_code: (HT_LEVEL, "Vi phạm quy chế làm việc")})
    db.session.commit()
    after = dashboards.build(_scope("hacthanh.danhgia"), None, "2026-02", page=1)
    assert after.totals[TOT] == before.totals[TOT] - 1
    assert after.totals[HT_LEVEL] == before.totals.get(HT_LEVEL, 0) + 1
    assert dict(after.trend)["2026-02"] == after.totals


def test_default_period_is_the_latest_with_data_in_scope(demo):
    """No assessment yet: the latest month of the caller's tasks (the demo's 2026-03), not today's
    month; then the latest assessed period covering or inside the caller's unit."""
    from app.services.assessments import dashboards

    assert dashboards.build(_scope("tinh.quantri")).period.code == "2026-03"
    assert dashboards.build(_scope("dongson.danhgia")).period.code == "2026-03"
    _run("HT", "2026-02")
    assert dashboards.build(_scope("tinh.quantri")).period.code == "2026-02"
    assert dashboards.build(_scope("hacthanh.danhgia")).period.code == "2026-02"
    assert dashboards.build(_scope("dongson.danhgia")).period.code == "2026-03"  # HT's is not DS's
    _run("TH", "2026-01")  # the province's assessment covers DS too, but an older month
    assert dashboards.build(_scope("dongson.danhgia")).period.code == "2026-01"
    assert dashboards.build(_scope("tinh.quantri"), "DS").period.code == "2026-01"
    assert dashboards.build(_scope("tinh.quantri"), "HT").period.code == "2026-02"
