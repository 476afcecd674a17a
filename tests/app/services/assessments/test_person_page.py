"""What a person's page shows, from the services: the stored result, each criterion beside its line of
the explanation, the tasks the run counted (the snapshot, not today's rows), the citations, the revision
history with what changed and why; the audit trail of the assessment in words. Ward of ward_data.py: P is
89,42 "tốt" with one delay."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from ward_data import run_ward

from app.services.errors import Forbidden, NotFound
from app.services.scope import Scope

TOT = "Hoàn thành tốt nhiệm vụ"


def test_page_of_a_person(session, units, tmp_path):
    from app.services.assessments.person_page import person_page

    assessment = run_ward(session, tmp_path)
    page = person_page(assessment, "P", scope=Scope.everything())
    assert page.score == Fraction("89.42") and page.final_level == TOT
    assert page.summary.startswith("Cán bộ P (Nguyễn Văn Phúc): 89,42 điểm")
    criteria = {c.code: c for c in page.criteria}
    assert criteria["c"].value == Fraction("97.5") and criteria["c"].line.startswith(
        'Tiêu chí c "Tiến độ hoàn thành"'
    )
    assert "Điều 14" in criteria["c"].citation
    assert not any(line.startswith("Tiêu chí ") for line in page.steps)  # each criterion line once, beside it
    assert any(line.startswith("Điểm = ") for line in page.steps)
    assert len(page.tasks) == 10 and {t.code for t in page.tasks} == {f"P{i}" for i in range(10)}
    late = next(t for t in page.tasks if t.code == "P9")
    assert late.values["số_lần_chậm"] == 1 and late.values["trạng_thái"] == "Hoàn thành"
    assert page.inputs == {"Điểm tiêu chí chung": "20"}  # titled as the ruleset says, not by identifier
    assert any("Nghị định 335/2025/NĐ-CP" in c for c in page.citations)
    assert TOT in page.levels and page.levels.index(TOT) == 1
    [first] = page.revisions
    assert (first.number, first.score, first.level, first.changed) == (1, Fraction("89.42"), TOT, False)


def test_revision_history_says_what_changed_and_why(session, units, tmp_path):
    from app.models import Task
    from app.services import assessments
    from app.services.assessments.person_page import person_page

    assessment = run_ward(session, tmp_path)
    task = session.query(Task).filter_by(external_id="P9").one()
    task.delays = 0
    session.commit()
    assessments.run("HT", "2026-01", scope=Scope.everything())
    session.commit()
    page = person_page(assessment, "P", scope=Scope.everything())
    second = page.revisions[1]
    assert second.changed and (second.before_score, second.before_level) == (Fraction("89.42"), TOT)
    assert second.score == Fraction(90) and second.level == "Hoàn thành xuất sắc nhiệm vụ"
    assert second.why == ["nhiệm vụ P9 sửa số lần chậm"]  # the field as its column header says it
    old = person_page(assessment, "P", scope=Scope.everything(), revision=1)  # as computed then
    assert (
        old.score == Fraction("89.42")
        and next(t for t in old.tasks if t.code == "P9").values["số_lần_chậm"] == 1
    )


def test_scope_and_unknown_people(session, units, tmp_path):
    from app.services.assessments.person_page import person_page
    from app.services.scope import UnitTree

    assessment = run_ward(session, tmp_path)
    tree = UnitTree()
    dong_son = Scope._subtree(
        tree.by_code["DS"], role="evaluator", can_write=True, who="người dùng ds", tree=tree
    )
    with pytest.raises(Forbidden):
        person_page(assessment, "P", scope=dong_son)
    with pytest.raises(NotFound):
        person_page(assessment, "KHONG-CO", scope=Scope.everything())


def test_trail_in_words(session, units, tmp_path):
    from app.services.assessments import trail, workflow
    from app.services.users import create_user

    assessment = run_ward(session, tmp_path)
    ht = create_user("ht-danhgia", "mat-khau-ht-1", "evaluator", "HT", "Người đánh giá Hạc Thành")
    workflow.open_feedback(assessment, ht)
    workflow.add_feedback(assessment, ht, "T1", "Đúng hạn mọi việc", kind="ý kiến")
    workflow.review(assessment, ht, note="Họp ngày 02/02/2026")
    workflow.decide(assessment, ht, {"P": ("Hoàn thành xuất sắc nhiệm vụ", "Sáng kiến được công nhận")})
    session.commit()
    entries = trail.trail(assessment)
    assert [e.action for e in entries] == ["chạy đợt đánh giá", "mở lấy tự đánh giá và ý kiến", "ghi ý kiến",
                                          "rà soát", "quyết định xếp loại"]  # fmt: skip
    assert entries[0].who == "system" and isinstance(entries[0].at, dt.datetime)
    assert entries[3].who == "Người đánh giá Hạc Thành (ht-danhgia)"
    assert 'bước "đang lấy tự đánh giá và ý kiến" → "đã rà soát"' in entries[3].details
    assert "ghi chú: Họp ngày 02/02/2026" in entries[3].details
    assert (
        entries[4].details[0]
        == 'P: "Hoàn thành tốt nhiệm vụ" → "Hoàn thành xuất sắc nhiệm vụ", lý do: Sáng kiến được công nhận'
    )
    mine = trail.trail(assessment, person="P")
    assert [e.action for e in mine] == ["chạy đợt đánh giá", "quyết định xếp loại"]
    assert [e.action for e in trail.trail(assessment, person="T1")] == ["chạy đợt đánh giá", "ghi ý kiến"]
