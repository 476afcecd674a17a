"""The bulk paths of a large run read and write what the rows hold: task columns (packed by the server on
PostgreSQL, plain selects elsewhere), result rows written as COPY text (PostgreSQL) or executemany, and
block snapshots encoded by a forked child or in this process."""

from __future__ import annotations

import datetime as dt
import json
import math
from decimal import Decimal

from run_fixtures import run

ODD = 'Nguyễn "Văn"\tA\\B\nC\r'  # every character COPY text or JSON must escape


def test_loaded_task_columns_equal_the_stored_rows(demo):
    from app.models import Task
    from app.services.assessments import load, runner
    from app.services.assessments.members import members_of
    from app.services.assessments.periods import parse

    period = parse("2026-01")
    members = members_of(runner.unit_by_code("HT"), period.first)
    tasks = demo.query(Task).filter(Task.period == "2026-01").order_by(Task.id).all()
    odd = tasks[0]
    odd.title, odd.evidence, odd.external_id = ODD, "", "Mã ✓ 1"
    odd.deadline = odd.completed_on = None
    odd.quantity_assigned = Decimal("0.1")
    odd.extra = {"ghi_chú": ODD, "điểm_thêm": "2.5"}
    demo.commit()
    fields = {"tên_nhiệm_vụ", "ngày_giao", "hạn_hoàn_thành", "ngày_hoàn_thành", "hệ_số_quy_đổi", "miễn_trừ",
              "minh_chứng", "trạng_thái", "khối_lượng_giao", "số_lần_sai_sót_lớn", "ghi_chú", "điểm_thêm"}  # fmt: skip
    owner, columns = load.load_tasks(
        members, period.members, fields, {"ghi_chú": "văn bản", "điểm_thêm": "số"}
    )
    index = {m.person_id: i for i, m in enumerate(members)}
    mine = sorted((t for t in tasks if t.person_id in index), key=lambda t: (index[t.person_id], t.id))
    assert len(mine) == len(owner) > 100 and list(owner) == [index[t.person_id] for t in mine]

    def day(d):
        return math.nan if d is None else float(d.toordinal())

    expected = {
        "mã_nhiệm_vụ": [t.external_id for t in mine], "kỳ": [t.period for t in mine],
        "tên_nhiệm_vụ": [t.title for t in mine], "minh_chứng": [t.evidence for t in mine],
        "trạng_thái": [t.status for t in mine], "ngày_giao": [day(t.assigned_on) for t in mine],
        "hạn_hoàn_thành": [day(t.deadline) for t in mine], "ngày_hoàn_thành": [day(t.completed_on) for t in mine],
        "khối_lượng_giao": [float(t.quantity_assigned) for t in mine],
        "hệ_số_quy_đổi": [float(t.conversion_factor) for t in mine],
        "số_lần_sai_sót_lớn": [float(t.major_errors) for t in mine], "miễn_trừ": [t.exempt for t in mine],
        "ghi_chú": [(t.extra or {}).get("ghi_chú", "") for t in mine],
        "điểm_thêm": [float((t.extra or {}).get("điểm_thêm", "nan")) for t in mine],
        "mã_cán_bộ": [members[index[t.person_id]].code for t in mine],
    }  # fmt: skip
    assert set(columns) == set(expected)
    for name, values in expected.items():
        got = columns[name].tolist()
        assert len(got) == len(values), name
        same = [
            a == b or (isinstance(a, float) and math.isnan(a) and math.isnan(b))
            for a, b in zip(got, values, strict=True)
        ]
        assert all(same), name
    assert columns["tên_nhiệm_vụ"][list(owner).index(index[odd.person_id])] == ODD


def test_result_rows_with_characters_to_escape_are_stored_as_given(demo):
    from app.models import AssessmentResult, Person
    from app.services.assessments import results_of

    person = demo.query(Person).filter_by(code="HT0012").one()
    person.full_name = ODD
    demo.commit()
    report = run("HT", "2026-01")
    stored = {r.person_code: r for r in results_of(report.assessment)}
    assert stored["HT0012"].person_name == ODD
    for code, row in report.rows.items():
        r = stored[code]
        assert (r.score_text, r.level, r.level_before_quota, r.quota_note, r.result_key) == (
            row["score_text"], row["level"], row["level_before_quota"], row["quota_note"], row["result_key"]
        )  # fmt: skip
        assert (r.criteria, r.vetoes, r.outputs) == (row["criteria"], row["vetoes"], row["outputs"])
    assert demo.query(AssessmentResult).count() == len(report.rows)


def test_copy_json_text_equals_json_dumps():
    from app.services.assessments.copy_text import CopyText

    fmt = CopyText()
    for value in ({"a": "97.5", "b": "1/3"}, {}, {"x": ODD}, {"k": True, "n": None}, {"d": 1.5},
                  ["khiển trách", ODD], [], [1, "a"], {1: "a"}, {"ngày": "2026-01-31"}):  # fmt: skip
        assert fmt.json(value) == json.dumps(value, ensure_ascii=False)
    assert fmt.column(["a", "b\tc"]) == ["a", "b\\tc"] and fmt.column(["a", None]) == ["a", "\\N"]
    assert fmt.field(dt.datetime(2026, 1, 2, 3, 4, 5)) == "2026-01-02T03:04:05" and fmt.field(False) == "f"


def test_snapshots_encoded_by_a_forked_child_are_those_of_this_process(demo, monkeypatch):
    from app.models import AssessmentSnapshot
    from app.services.assessments import background, store
    from app.tabular import halves

    forked = []
    real_fork = halves.fork

    def spy(work):
        child = real_fork(work)
        forked.append(child)
        return child

    monkeypatch.setattr(background, "MIN_TASKS", 0)
    monkeypatch.setattr(halves, "fork", spy)
    encoded_here = []
    real_blocks = store.blocks
    monkeypatch.setattr(store, "blocks", lambda c, only=None: encoded_here.append(1) or real_blocks(c, only))
    report = run("TH", "2026-01")
    assert forked and forked[0] is not None and not encoded_here  # the child's bytes were used
    stored = {s.block_unit_id: (s.digest, s.data) for s in demo.query(AssessmentSnapshot)}
    monkeypatch.setattr(background, "MIN_TASKS", 10**9)
    again = run("TH", "2026-01")
    assert again.unchanged and again.revision.number == report.revision.number == 1
    assert encoded_here  # encoded in this process this time, and equal: "không thay đổi"
    assert stored == {s.block_unit_id: (s.digest, s.data) for s in demo.query(AssessmentSnapshot)}
