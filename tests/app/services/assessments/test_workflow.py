"""The workflow of Điều 22 on a real run: steps in order, self-assessments, a decision with its written
reason beside the computed level, publication, lock, a new revision after lock; roles, scope, audit."""

from __future__ import annotations

import pytest
from ward_data import run_ward

from app.services.errors import ServiceError

XS, TOT = "Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ"


@pytest.fixture
def people_users(session, units):
    from app.models import Person
    from app.services.users import create_user

    def make():
        ht = create_user("ht-danhgia", "mat-khau-ht-1", "evaluator", "HT", "Người đánh giá Hạc Thành")
        ds = create_user("ds-danhgia", "mat-khau-ds-1", "evaluator", "DS", "Người đánh giá Đông Sơn")
        p = create_user("p-canbo", "mat-khau-p-01", "official", "HT", "Nguyễn Văn Phúc")
        p.person_id = session.query(Person).filter_by(code="P").one().id
        t1 = create_user("t1-canbo", "mat-khau-t1-1", "official", "HT", "Trần Thị Tư 1")
        t1.person_id = session.query(Person).filter_by(code="T1").one().id
        session.commit()
        return {"ht": ht, "ds": ds, "p": p, "t1": t1}

    return make


def test_steps_in_order_decision_with_reason_publish_lock(session, units, tmp_path, people_users):
    from app.services import assessments
    from app.services.assessments import workflow
    from app.services.audit import entries

    assessment = run_ward(session, tmp_path)
    users = people_users()
    ht = users["ht"]
    assert assessment.status == "computed"
    with pytest.raises(ServiceError, match="đang ở bước") as wrong:
        workflow.publish(assessment, ht)
    assert wrong.value.code == "conflict"
    workflow.open_feedback(assessment, ht)
    workflow.add_feedback(assessment, users["p"], "P", "Tôi hoàn thành đủ 10 sản phẩm, một sản phẩm chậm")
    with pytest.raises(ServiceError, match="chính cán bộ"):
        workflow.add_feedback(assessment, users["t1"], "P", "Tôi đánh giá thay")
    workflow.add_feedback(assessment, ht, "P", "Đồng ý", kind="ý kiến")
    workflow.review(assessment, ht, note="Họp ngày 02/02/2026")
    with pytest.raises(ServiceError) as bad:
        workflow.decide(assessment, ht, {"P": (XS, ""), "T1": ("Xuất sắc lắm", "vì sao không")})
    assert len(bad.value.details) == 2  # every problem at once, nothing changed
    made = workflow.decide(
        assessment, ht, {"P": (XS, "Sáng kiến cải cách hành chính được UBND tỉnh công nhận")}
    )
    assert made == [{"person": "P", "computed": TOT, "decided": XS,
                     "reason": "Sáng kiến cải cách hành chính được UBND tỉnh công nhận"}]  # fmt: skip
    p = next(r for r in assessments.results_of(assessment) if r.person_code == "P")
    assert (p.level, p.decided_level) == (TOT, XS) and p.decided_reason.startswith("Sáng kiến")
    workflow.publish(assessment, ht)
    workflow.lock(assessment, ht)
    session.commit()
    with pytest.raises(ServiceError, match="đã khóa") as locked:
        workflow.require_changeable(assessment)
    assert locked.value.code == "conflict"
    with pytest.raises(ServiceError, match="đang ở bước"):
        workflow.decide(assessment, ht, {"P": (TOT, "đổi ý")})
    actions = [(e.action, e.actor) for e in entries("assessments", assessment.id)]
    assert [a for a, _ in actions] == ["assessment.open_feedback", "assessment.self", "assessment.comment",
                                       "assessment.review", "assessment.decide", "assessment.publish",
                                       "assessment.lock"]  # fmt: skip
    assert {who for _, who in actions} == {"ht-danhgia", "p-canbo"}
    decided = next(e for e in entries("assessments", assessment.id) if e.action == "assessment.decide")
    assert (
        decided.before == {"status": "reviewed", "revision": 1}
        and decided.after["changes"][0]["person"] == "P"
    )


def test_after_lock_only_a_new_revision_with_a_reason(session, units, tmp_path, people_users):
    from app.services import assessments
    from app.services.assessments import workflow
    from app.services.scope import Scope

    assessment = run_ward(session, tmp_path)
    ht = people_users()["ht"]
    workflow.open_feedback(assessment, ht)
    workflow.review(assessment, ht)
    workflow.decide(assessment, ht)
    workflow.publish(assessment, ht)
    workflow.lock(assessment, ht)
    with pytest.raises(ServiceError, match="khóa"):
        assessments.run("HT", "2026-01", scope=Scope.of_user(ht), user=ht)
    report = assessments.run(
        "HT", "2026-01", scope=Scope.of_user(ht), user=ht, reason="Sửa sai sót nhập liệu"
    )
    assert report.revision.number == 2 and assessment.status == "computed"


def test_another_wards_evaluator_can_neither_decide_nor_read(session, units, tmp_path, people_users):
    from app.services import assessments
    from app.services.assessments import exports, workflow
    from app.services.scope import Scope

    assessment = run_ward(session, tmp_path)
    users = people_users()
    ds = users["ds"]
    workflow.open_feedback(assessment, users["ht"])
    workflow.review(assessment, users["ht"])
    for step in (
        lambda: workflow.decide(assessment, ds, {"P": (XS, "lý do")}),
        lambda: workflow.publish(assessment, ds),
    ):
        with pytest.raises(ServiceError, match="không được phép|không có quyền") as refused:
            step()
        assert refused.value.code == "forbidden"
    with pytest.raises(ServiceError, match="không được phép"):
        assessments.get("HT", "2026-01", scope=Scope.of_user(ds))
    with pytest.raises(ServiceError, match="chỉ được đọc"):
        workflow.open_feedback(assessment, users["p"])  # an official cannot run the steps
    assert assessment.status == "reviewed"
    assert not workflow.visible_to(assessment, users["p"])  # officials see results once published
    with pytest.raises(ServiceError, match="chưa được công bố"):
        exports.unit_sheet(assessment, scope=Scope.of_user(users["p"]), user=users["p"])
    workflow.decide(assessment, users["ht"])
    workflow.publish(assessment, users["ht"])
    assert workflow.visible_to(assessment, users["p"]) and not workflow.visible_to(assessment, ds)
    sheet = exports.unit_sheet(assessment, scope=Scope.of_user(users["p"]), user=users["p"])
    assert {line.person for line in sheet.lines} == {"P", "T1", "T2", "T3", "T4", "T5"}
    with pytest.raises(ServiceError, match="không được phép"):
        exports.unit_sheet(assessment, scope=Scope.of_user(ds), user=ds)
