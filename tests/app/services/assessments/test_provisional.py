"""Provisional scores after imports: the person at once, and the leader above when a level changes
(domain.md worked example 3: the leader's d criterion follows the subordinate's level)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from stored_results import load_national

from app.models import ProvisionalResult
from app.services.imports import import_file

TOT, XS, KHT = "Hoàn thành tốt nhiệm vụ", "Hoàn thành xuất sắc nhiệm vụ", "Không hoàn thành nhiệm vụ"
PEOPLE = "Mã cán bộ,Họ và tên,Đơn vị,Lãnh đạo,Người quản lý\nLD,Nguyễn Văn Lãnh,HT,có,\nNV1,Trần Thị Một,HT,không,LD\n"
INPUTS = "Mã cán bộ,Kỳ,Điểm tiêu chí chung\nLD,2026-01,27\nNV1,2026-01,10\n"
HEAD = "Mã nhiệm vụ,Mã cán bộ,Kỳ,Trạng thái,Khối lượng giao,Khối lượng hoàn thành,Số lần sai sót lớn,Số lần chậm\n"


def _leader_tasks() -> str:
    rows = [f"L{i},LD,2026-01,Hoàn thành,1,1,0,0" for i in range(17)]
    rows.append("L17,LD,2026-01,Hoàn thành,1,1,4,0")
    rows += ["L18,LD,2026-01,Hoàn thành,1,1,0,4", "L19,LD,2026-01,Hoàn thành,1,1,0,4"]
    return HEAD + "\n".join(rows) + "\n"


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _provisional(session, code):
    from app.models import Person

    person = session.query(Person).filter_by(code=code).one()
    return session.query(ProvisionalResult).filter_by(person_id=person.id, period="2026-01").one()


@pytest.fixture
def ward(session, units, tmp_path):
    load_national(session)
    session.commit()
    assert import_file("people", _write(tmp_path, "nguoi.csv", PEOPLE)).ok


def test_an_import_reevaluates_the_person_and_the_leader_above(session, ward, tmp_path):
    assert import_file("inputs", _write(tmp_path, "dau-vao.csv", INPUTS)).applied
    nv1 = _provisional(session, "NV1")
    assert nv1.score == Decimal("10") and nv1.level == KHT  # no task yet: a = b = c = 0
    tasks = _leader_tasks() + "N1,NV1,2026-01,Đang thực hiện,1,0,0,0\n"
    assert import_file("tasks", _write(tmp_path, "nv.csv", tasks)).applied
    ld = _provisional(session, "LD")
    assert ld.score == Decimal("89.42") and ld.level == TOT and ld.criteria["d"] == "50"
    # NV1 finishes the task: NV1 becomes "tốt", so the leader's d goes to 100 without touching LD's data
    done = HEAD + "N1,NV1,2026-01,Hoàn thành,1,1,0,0\n"
    assert import_file("tasks", _write(tmp_path, "nv2.csv", done)).applied
    session.expire_all()
    assert _provisional(session, "NV1").level == TOT
    ld = _provisional(session, "LD")
    assert ld.score == Decimal("95.25") and ld.level == XS and ld.criteria["d"] == "100"


def test_a_leader_written_with_a_subordinate_reads_what_the_subordinate_just_got(session, ward, tmp_path):
    """One write touching the leader and their subordinate: the leader's subordinates come with the
    leader's row, read before the subordinate is stored, so they must be read again (not the old level)."""
    assert import_file("inputs", _write(tmp_path, "dau-vao.csv", INPUTS)).applied
    tasks = _leader_tasks() + "N1,NV1,2026-01,Đang thực hiện,1,0,0,0\n"
    assert import_file("tasks", _write(tmp_path, "nv.csv", tasks)).applied
    assert _provisional(session, "LD").criteria["d"] == "50"
    both = HEAD + "N1,NV1,2026-01,Hoàn thành,1,1,0,0\nL20,LD,2026-01,Hoàn thành,1,1,0,0\n"
    assert import_file("tasks", _write(tmp_path, "nv2.csv", both)).applied
    session.expire_all()
    assert _provisional(session, "NV1").level == TOT
    ld = _provisional(session, "LD")
    assert ld.criteria["d"] == "100" and ld.level == XS


def test_a_corrected_general_score_updates_the_provisional_score(session, ward, tmp_path):
    assert import_file("inputs", _write(tmp_path, "dau-vao.csv", INPUTS)).applied
    assert _provisional(session, "NV1").score == Decimal("10")
    fixed = "Mã cán bộ,Kỳ,Điểm tiêu chí chung\nNV1,2026-01,25\n"
    report = import_file("inputs", _write(tmp_path, "sua.csv", fixed))
    assert report.applied and report.updated == ["NV1 2026-01"]
    session.expire_all()
    assert _provisional(session, "NV1").score == Decimal("25")


def test_a_missing_input_is_stored_as_the_problem(session, ward, tmp_path):
    tasks = HEAD + "N1,NV1,2026-01,Hoàn thành,1,1,0,0\n"
    assert import_file("tasks", _write(tmp_path, "nv.csv", tasks)).applied
    nv1 = _provisional(session, "NV1")
    assert nv1.score is None and "Điểm tiêu chí chung" in nv1.problem


def test_a_published_period_is_closed(session, ward, tmp_path):
    from stored_results import store_period, version_of

    from app.models import Person

    assert import_file("inputs", _write(tmp_path, "dau-vao.csv", INPUTS)).applied
    nv1 = session.query(Person).filter_by(code="NV1").one()
    store_period(session, nv1.unit, "2026-01", version_of(session, "ND335-2025"),
                 [(nv1, "10", KHT, {}, {})], status="published")  # fmt: skip
    session.commit()
    done = HEAD + "N1,NV1,2026-01,Hoàn thành,1,1,0,0\n"
    assert import_file("tasks", _write(tmp_path, "nv2.csv", done)).applied
    session.expire_all()
    assert _provisional(session, "NV1").level == KHT  # unchanged: the period's results are published


def test_an_api_write_updates_the_provisional_score(session, ward, tmp_path, client):
    from app.services.api_tokens import create_token

    assert import_file("inputs", _write(tmp_path, "dau-vao.csv", INPUTS)).applied
    _, secret = create_token("HT", "giao-viec", secret="kpi_test_tam_tinh")
    task = {"Mã nhiệm vụ": "API-1", "Mã cán bộ": "NV1", "Kỳ": "2026-01", "Trạng thái": "Hoàn thành"}
    response = client.post("/api/v1/tasks", json=[task], headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200, response.get_json()
    session.expire_all()
    nv1 = _provisional(session, "NV1")
    assert nv1.score == Decimal("80") and nv1.level == TOT  # 10 + 70 × 100%
    assert _provisional(session, "LD").criteria["d"] == "100"  # the leader followed


def test_a_failing_refresh_never_breaks_the_import(session, ward, tmp_path, monkeypatch):
    from app.models import PeriodInput
    from app.services.assessments import provisional

    def broken(pairs):
        raise ValueError("hỏng")

    monkeypatch.setattr(provisional, "refresh", broken)
    report = import_file("inputs", _write(tmp_path, "dau-vao.csv", INPUTS))
    assert report.applied and session.query(PeriodInput).count() == 2


def test_the_subordinates_read_with_the_leader_equal_their_own_statement(session, ward, tmp_path):
    """`provisional_rows.packed` (the subordinates as JSON within the people statement) gives the rows
    `provisional_rows.subordinates` reads, value for value (scores and criteria as stored text)."""
    from app.models import Person
    from app.services.assessments import provisional_rows as rows_

    assert import_file("inputs", _write(tmp_path, "dau-vao.csv", INPUTS)).applied
    tasks = _leader_tasks() + "N1,NV1,2026-01,Hoàn thành,1,1,0,1\n"
    assert import_file("tasks", _write(tmp_path, "nv.csv", tasks)).applied
    leader = session.query(Person).filter_by(code="LD").one()
    rows = rows_.people({leader.id}, "2026-01")
    packed, read = rows_.packed(rows), rows_.subordinates({leader.id}, "2026-01")
    assert [r.code for r in read] == ["NV1"] and read[0].score is not None and read[0].criteria
    assert packed == read
    nv1 = session.query(Person).filter_by(code="NV1").one()
    assert rows_.people({nv1.id}, "2026-01")[0].subs_packed is None  # not a leader: nothing packed
