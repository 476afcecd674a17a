"""The stored summary of a revision, hand-computed for a few results (written by `summaries.write` on both
databases: COPY on PostgreSQL, executemany on SQLite): every unit's own and subtree rows, per duty group
and over all, with levels, quota use, exact sums and means rounded half-up (0.125 -> 0.13)."""

from __future__ import annotations

import json

XS, TOT, HT_LEVEL, NR = (
    "Hoàn thành xuất sắc nhiệm vụ",
    "Hoàn thành tốt nhiệm vụ",
    "Hoàn thành nhiệm vụ",
    "Không xếp loại",
)


def _row(unit_id, group, version_id, level, before, score, criteria, not_rated=False):
    return {"unit_id": unit_id, "duty_group": group, "version_id": version_id, "level": level,
            "level_before_quota": before, "not_rated": not_rated, "score_text": score, "criteria": criteria}  # fmt: skip


def test_summary_rows_of_a_hand_computed_case(demo):
    from app.extensions import db
    from app.models import AssessmentSummary, Unit
    from app.services.assessments import get, pinned_versions, run, summaries
    from app.services.scope import Scope

    report = run("DS", "2026-01", scope=Scope.everything())
    db.session.commit()
    revision_id = report.revision.id
    version_id = pinned_versions(get("DS", "2026-01", scope=Scope.everything()))[0].id
    ids = dict(db.session.execute(db.select(Unit.code, Unit.id)).all())
    th, ht, ds = ids["TH"], ids["HT"], ids["DS"]
    rows = [
        _row(ht, "G1", version_id, TOT, TOT, "90", {"a": "100", "b": "80"}),
        _row(ht, "G1", version_id, TOT, XS, "2923/30", {"a": "95.5", "b": "1/3"}),  # moved down by the quota
        _row(ht, "G2", version_id, None, None, "", {}, not_rated=True),
        _row(ds, "G1", version_id, HT_LEVEL, HT_LEVEL, "70.25", {"a": "60", "b": "0.125"}),
    ]
    db.session.execute(db.delete(AssessmentSummary).where(AssessmentSummary.revision_id == revision_id))
    summaries.write(revision_id, rows, th)
    db.session.commit()
    s = AssessmentSummary.__table__.c
    stored = {
        (r.unit_id, r.scope, r.duty_group): (r.people, _plain(r.data), _plain(r.sums))
        for r in db.session.execute(db.select(s).where(s.revision_id == revision_id))
    }
    # HT: 90 + 2923/30 = 5623/30 over 2 -> 93.716… ; a: 195.5 = 391/2 -> 97.75; b: 80 + 1/3 = 241/3 -> 40.1666…
    ht_g1 = (2, {"levels": {TOT: 2}, "quota": {XS: [0, 1, 0]},
                 "means": {"": "93.72", "a": "97.75", "b": "40.17"}},
             {"": [5623, 30, 2], "a": [391, 2, 2], "b": [241, 3, 2]})  # fmt: skip
    ht_all = (3, {**ht_g1[1], "levels": {TOT: 2, NR: 1}}, ht_g1[2])
    ht_g2 = (1, {"levels": {NR: 1}, "quota": {XS: [0, 0, 0]}, "means": {}}, {})
    ds_all = (1, {"levels": {HT_LEVEL: 1}, "quota": {XS: [0, 0, 0]}, "means": {"": "70.25", "a": "60.00", "b": "0.13"}},
              {"": [281, 4, 1], "a": [60, 1, 1], "b": [1, 8, 1]})  # fmt: skip
    # TH: 5623/30 + 281/4 = 15461/60 over 3 -> 85.894…; a: 511/2 over 3 -> 85.166…; b: 241/3 + 1/8 = 1931/24 over 3
    th_sums = {"": [15461, 60, 3], "a": [511, 2, 3], "b": [1931, 24, 3]}
    th_means = {"": "85.89", "a": "85.17", "b": "26.82"}
    expected = {
        **{(ht, scope, g): v for scope in ("own", "subtree") for g, v in ((None, ht_all), ("G1", ht_g1), ("G2", ht_g2))},
        **{(ds, scope, g): ds_all for scope in ("own", "subtree") for g in (None, "G1")},
        (th, "subtree", None): (4, {"levels": {TOT: 2, NR: 1, HT_LEVEL: 1}, "quota": {XS: [0, 1, 0]}, "means": th_means}, th_sums),
        (th, "subtree", "G1"): (3, {"levels": {TOT: 2, HT_LEVEL: 1}, "quota": {XS: [0, 1, 0]}, "means": th_means}, th_sums),
        (th, "subtree", "G2"): ht_g2,
    }  # fmt: skip
    assert stored == expected


def _plain(value):
    """JSON as a dict (PostgreSQL's driver parses it, SQLite's column type too; text stays comparable)."""
    return json.loads(value) if isinstance(value, str) else value
