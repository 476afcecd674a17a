"""Stored roll-ups: a year rolled up from stored monthly results by the shipped year ruleset and stored
like any assessment (pinned version, revisions, snapshot of the results read, explanations, "không thay
đổi", workflow). Every figure below is computed by hand."""

from __future__ import annotations

import pytest
from stored_results import ROOT, add_people, load_national, store_period, version_of

from app.services.errors import ServiceError
from app.services.scope import Scope

XS, TOT, HT, KHT = (
    "Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ", "Không hoàn thành nhiệm vụ",
)  # fmt: skip
# worked example 4: (92 + 88.5 + 90.5 + 91 + 86 + 89 + 93) / 7 = 630 / 7 = 90
EXAMPLE_4 = [("92", XS), ("88.5", TOT), ("90.5", XS), ("91", XS), ("86", TOT), ("89", TOT), ("93", XS)]
EVERYONE = Scope.everything()


@pytest.fixture
def year(session, units):
    """CB1: example 4 (Jan–Mar under Đông Sơn, then moved to Hạc Thành); CB3: five months only;
    T1…T5: 80 every month (five "tốt", so one "xuất sắc" fits the 20 % quota)."""
    load_national(session)
    rows = [("CB1", "Nguyễn Thị Hà", "HT", False, ""), ("CB3", "Lê Thị Cúc", "HT", False, "")]
    rows += [(f"T{i}", f"Phạm Văn Tốt {i}", "HT", False, "") for i in range(1, 6)]
    people = add_people(session, units, rows)
    month = version_of(session, "ND335-2025")
    for m, (score, level) in enumerate(EXAMPLE_4, start=1):
        ht_rows = [(people[f"T{i}"], "80", TOT, {}, {}) for i in range(1, 6)]
        if m <= 5:
            ht_rows.append((people["CB3"], "95", XS, {}, {}))
        mine = (people["CB1"], score, level, {}, {})
        if m <= 3:
            store_period(session, units["DS"], f"2026-{m:02d}", month, [mine])
        else:
            ht_rows.append(mine)
        store_period(session, units["HT"], f"2026-{m:02d}", month, ht_rows)
    session.commit()
    return people, month


def _rollup(**options):
    from app.services.assessments import rollup_run

    return rollup_run.run("HT", "2026", scope=options.pop("scope", EVERYONE), **options)


def _rows(report):
    return report.rows


def test_a_year_roll_up_is_stored_with_its_version_snapshot_and_explanation(session, year):
    from app.services import assessments

    report = _rollup()
    session.commit()
    a = report.assessment
    assert (a.period, a.period_kind, a.current_revision, report.revision.number) == ("2026", "năm", 1, 1)
    assert [p.version.ruleset.code for p in a.pins] == ["ND335-2025-NAM"]
    rows = _rows(report)
    assert (rows["CB1"]["score_text"], rows["CB1"]["level"]) == ("90", XS)  # 630 / 7, kept by the quota
    assert rows["CB3"]["not_rated"] and rows["CB3"]["level"] is None  # five months < six
    assert (rows["T1"]["score_text"], rows["T1"]["level"]) == ("80", TOT)
    e = assessments.explain(a, "CB1", scope=EVERYONE)
    assert e.matches and e.score == "90" and e.version == "ND335-2025-NAM phiên bản 1"
    # the transferred person's first months were read from Đông Sơn's stored results
    assert "Kết quả kỳ 2026-01 đã đọc (DS lần chạy 1): 92 điểm, Hoàn thành xuất sắc nhiệm vụ" in e.lines
    assert "Kết quả kỳ 2026-02 đã đọc (DS lần chạy 1): 88,5 điểm, Hoàn thành tốt nhiệm vụ" in e.lines
    assert "Kết quả kỳ 2026-07 đã đọc (HT lần chạy 1): 93 điểm, Hoàn thành xuất sắc nhiệm vụ" in e.lines
    assert sum(line.startswith("Kết quả kỳ ") for line in e.lines) == 7
    cb3 = assessments.explain(a, "CB3", scope=EVERYONE)
    assert (
        cb3.matches and cb3.level is None and sum(line.startswith("Kết quả kỳ ") for line in cb3.lines) == 5
    )


def test_second_roll_up_unchanged_then_a_changed_month_makes_a_revision(session, units, year):
    from app.services import assessments

    people, month = year
    _rollup()
    session.commit()
    again = _rollup()
    assert again.unchanged and again.status_text == "không thay đổi"
    # July of CB1 re-run: 30 points, không hoàn thành → (92 + 88.5 + 90.5 + 91 + 86 + 89 + 30) / 7 = 81
    july = [(people[f"T{i}"], "80", TOT, {}, {}) for i in range(1, 6)] + [(people["CB1"], "30", KHT, {}, {})]
    store_period(session, units["HT"], "2026-07", month, july, revision=2)
    session.commit()
    report = _rollup()
    session.commit()
    assert report.revision.number == 2 and report.assessment.current_revision == 2
    assert report.rows["CB1"]["score_text"] == "81" and report.rows["CB1"]["level"] == TOT
    (change,) = [c for c in report.changes if c["person"] == "CB1"]
    assert change["change"] == "90 điểm, Hoàn thành xuất sắc nhiệm vụ → 81 điểm, Hoàn thành tốt nhiệm vụ"
    assert change["why"] == ["kết quả kỳ 2026-07 sửa nguồn, xếp_loại, điểm"]
    # the first revision still explains as it was stored
    first = assessments.explain(report.assessment, "CB1", scope=EVERYONE, revision=1)
    assert first.matches and first.score == "90"


def test_khien_trach_in_a_month_makes_the_stored_year_khong_hoan_thanh(session, year):
    from app.models import PeriodInput

    people, _ = year
    session.add(
        PeriodInput(person_id=people["CB1"].id, period="2026-05", discipline="khiển trách", values={})
    )
    session.commit()
    row = _rollup().rows["CB1"]
    assert (row["score_text"], row["level"]) == ("90", KHT) and row["vetoes"]


def test_decide_publish_lock_then_only_a_new_revision_with_a_reason(session, year):
    from app.services import assessments
    from app.services.assessments import workflow

    a = _rollup().assessment
    session.commit()
    admin = _user("tinh-admin", "province_admin", "TH")
    workflow.open_feedback(a, admin)
    workflow.review(a, admin)
    workflow.decide(a, admin, {"T1": (HT, "Biên bản họp ngày 15/12/2026")})
    workflow.publish(a, admin)
    workflow.lock(a, admin)
    session.commit()
    t1 = next(r for r in assessments.results_of(a) if r.person_code == "T1")
    assert (t1.level, t1.decided_level) == (TOT, HT)
    with pytest.raises(ServiceError, match="đã khóa"):
        _rollup()
    again = _rollup(reason="Bổ sung kết quả tháng 12")
    assert again.revision.number == 2 and again.revision.reason == "Bổ sung kết quả tháng 12"


def test_a_roll_up_is_not_re_run_from_tasks_nor_the_other_way(session, units, year):
    from app.services.assessments import runner

    _rollup()
    session.commit()
    with pytest.raises(ServiceError, match="kpi assess rollup"):
        runner.run("HT", "2026", scope=EVERYONE)
    with pytest.raises(ServiceError, match="quý hoặc năm"):
        _rollup_of("HT", "2026-03")
    _, month = year
    store_period(session, units["DS"], "2026-Q1", month, [])
    with pytest.raises(ServiceError, match="đánh giá theo nhiệm vụ"):
        _rollup_of("DS", "2026-Q1")


def _rollup_of(unit, period):
    from app.services.assessments import rollup_run

    return rollup_run.run(unit, period, scope=EVERYONE)


def test_another_wards_evaluator_cannot_roll_up_read_or_explain(session, year):
    from app.services import assessments
    from app.services.assessments import rollup_run

    a = _rollup().assessment
    session.commit()
    ds = Scope.of_user(_user("ds-danhgia", "evaluator", "DS"))
    with pytest.raises(ServiceError, match="không được phép"):
        rollup_run.run("HT", "2026", scope=ds)
    with pytest.raises(ServiceError, match="không được phép"):
        assessments.get("HT", "2026", scope=ds)
    with pytest.raises(ServiceError, match="không được phép"):
        assessments.explain(a, "CB1", scope=ds)


def test_simulating_a_parameter_on_the_stored_roll_up(session, year):
    from app.services.assessments import simulate

    a = _rollup().assessment
    session.commit()
    sim = simulate.simulate(a, scope=EVERYONE, params={"số_tháng_tối_thiểu": 5})
    # CB3 now rated: 95 × 5 / 5 = 95 → xuất sắc before quota; 5 tốt allow one xuất sắc: CB1 (90) is
    # moved down, the higher score (95) keeps it
    assert sim.changed == 2
    (unit,) = sim.units.values()
    moved = {c.person: (c.level_before, c.level_after) for c in unit.changes}
    assert moved == {"CB3": ("Không xếp loại", XS), "CB1": (XS, TOT)}


def test_past_year_keeps_its_pinned_roll_up_version_after_a_new_one(session, year, tmp_path):
    from app.services.loader import load_shipped

    first = _rollup()
    session.commit()
    source = version_of(session, "ND335-2025-NAM").source
    source = source[
        : source.index("# ------------------------------------------------------------------ kiểm thử")
    ]
    national = tmp_path / "quoc-gia"
    national.mkdir()
    (national / "nd-335-2025-nam.kpi").write_text(
        source.replace("phiên bản 1", "phiên bản 2", 1).replace(
            "số_tháng_tối_thiểu = 6", "số_tháng_tối_thiểu = 5"
        ),
        encoding="utf-8",
    )
    assert not load_shipped(tmp_path).errors
    session.commit()
    assert version_of(session, "ND335-2025-NAM").version == 2
    again = _rollup()
    assert again.unchanged and first.rows["CB3"]["not_rated"]  # still version 1: five months, not rated
    from app.services import assessments

    dropped = assessments.repin(first.assessment, scope=EVERYONE, user=None, reason="Áp dụng phiên bản 2")
    assert dropped
    moved = _rollup(reason="Áp dụng phiên bản 2")
    assert moved.revision.number == 2 and moved.versions[0]["version"] == 2
    assert moved.rows["CB3"]["score_text"] == "95"  # 95 × 5 / 5, rated under version 2
    (cb3,) = [c for c in moved.changes if c["person"] == "CB3"]
    assert cb3["why"] == ["phiên bản bộ quy tắc: ND335-2025-NAM phiên bản 1 → ND335-2025-NAM phiên bản 2"]


def test_a_decided_month_is_read_at_its_decided_level_and_says_so(session, year):
    from app.models import AssessmentResult
    from app.services import assessments

    july = session.query(AssessmentResult).filter_by(person_code="CB1").all()[-1]
    july.decided_level, july.decided_reason = KHT, "Vi phạm quy chế làm việc (biên bản 12/7)"
    session.commit()
    a = _rollup().assessment
    session.commit()
    e = assessments.explain(a, "CB1", scope=EVERYONE)
    line = "Kết quả kỳ 2026-07 đã đọc (HT lần chạy 1, mức do cấp có thẩm quyền quyết định): 93 điểm, "
    assert line + KHT in e.lines
    assert e.matches and (e.score, e.level) == ("90", TOT)  # one month không hoàn thành: at most tốt


def _user(username, role, unit):
    from app.services.users import create_user

    return create_user(username, f"mat-khau-{username}-1", role, unit, username)


def test_the_gap_to_the_next_level_reads_a_stored_roll_up(session, year):
    from app.services.assessments import advice_data

    a = _rollup().assessment
    session.commit()
    gap = advice_data.for_result(a, "T1", scope=EVERYONE)  # 80 "tốt": the roll-up's own records, no tasks
    assert gap.summary


def test_a_stored_roll_up_is_not_the_last_period_a_publish_preview_runs_on(session, units, year, tmp_path):
    """The publish/adoption impact simulates on the last stored period of task data: a stored quarter
    roll-up ("2026-Q2" sorts after "2026-07") must not be taken for it."""
    from app.services.assessments import rollup_run
    from app.services.impact import latest_assessments
    from app.services.loader import load_shipped

    year_text = (ROOT / "rulesets" / "quoc-gia" / "nd-335-2025-nam.kpi").read_text(encoding="utf-8")
    quarter_text = year_text.split(
        "# ------------------------------------------------------------------ kiểm thử"
    )[0]
    quarter_text = quarter_text.replace('"ND335-2025-NAM"', '"ND335-2025-QUY"').replace(
        "  kỳ năm", "  kỳ quý"
    )
    quarter_text = quarter_text.replace("số_tháng_tối_thiểu = 6", "số_tháng_tối_thiểu = 3")
    folder = tmp_path / "quoc-gia"
    folder.mkdir()
    (folder / "nd-335-2025-quy.kpi").write_text(quarter_text, encoding="utf-8")
    load_shipped(str(tmp_path))
    rollup_run.run("HT", "2026-Q2", scope=EVERYONE)
    session.commit()
    found = latest_assessments(units["HT"], EVERYONE)
    assert [(a.unit.code, a.period) for a in found] == [("HT", "2026-07")]
