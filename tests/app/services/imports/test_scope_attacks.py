"""The import service under a ward's scope (the API's path): history, periods, references, identifiers.
Each attack must be refused with its row and column, change nothing, and not reveal other wards' codes."""

from __future__ import annotations

import datetime as dt

import pytest

from app.models import PeriodInput, Person, Task


@pytest.fixture
def ht_scope(session, people):
    from app.models import Unit
    from app.services.scope import Scope

    class Token:  # what Scope.of_token reads of an ApiToken
        unit_id = session.query(Unit).filter_by(code="HT").one().id
        access = "write"

    return Scope.of_token(Token())


def _import(kind: str, rows: list[dict], scope, **options):
    from app.services.imports import import_rows

    return import_rows(kind, rows, f"{kind}.json", scope=scope, **options)


@pytest.fixture
def came_from_ds(session, people):
    """CB03 worked in DS and moved to HT-VP on 01/02/2026 (a province-level move)."""
    from app.services.imports import import_rows

    move = {
        "Mã cán bộ": "CB03",
        "Họ và tên": "Phạm Thị Dung",
        "Đơn vị": "HT-VP",
        "Ngày hiệu lực": "01/02/2026",
    }
    assert import_rows("people", [move]).ok
    session.commit()
    return session.query(Person).filter_by(code="CB03").one()


def _history(person) -> list[tuple]:
    return [(a.unit.code, a.valid_from, a.valid_to) for a in person.assignments]


def test_backdated_move_into_another_wards_history_is_forbidden(session, came_from_ds, ht_scope, snapshot):
    before = snapshot()
    row = {"Mã cán bộ": "CB03", "Họ và tên": "Phạm Thị Dung", "Đơn vị": "HT", "Ngày hiệu lực": "01/01/1800"}
    report = _import("people", [row], ht_scope)
    assert report.forbidden and [(e.row, e.column) for e in report.errors] == [(2, "Ngày hiệu lực")]
    message = report.errors[0].message
    assert "DS" in message and "01/01/1900" in message and "31/01/2026" in message and "ghi đè" in message
    assert snapshot() == before
    # from a day on which the person already belonged to HT, HT may move them
    row["Ngày hiệu lực"] = "01/03/2026"
    assert _import("people", [row], ht_scope).applied
    session.expire_all()
    assert _history(came_from_ds) == [
        ("DS", dt.date(1900, 1, 1), dt.date(2026, 1, 31)),
        ("HT-VP", dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
        ("HT", dt.date(2026, 3, 1), None),
    ]


def test_backdated_move_within_scope_rewrites_one_time_line(session, came_from_ds):
    """The province (everything) may rewrite: later stretches are removed, the covering one cut back."""
    from app.services.imports import import_rows

    row = {"Mã cán bộ": "CB03", "Họ và tên": "Phạm Thị Dung", "Đơn vị": "HT", "Ngày hiệu lực": "15/01/2026"}
    assert import_rows("people", [row]).applied
    session.expire_all()
    assert _history(came_from_ds) == [
        ("DS", dt.date(1900, 1, 1), dt.date(2026, 1, 14)),
        ("HT", dt.date(2026, 1, 15), None),
    ]


def test_tasks_are_scoped_by_their_period_not_by_their_dates(session, came_from_ds, ht_scope, snapshot):
    before = snapshot()
    task = {"Mã nhiệm vụ": "X1", "Mã cán bộ": "CB03", "Kỳ": "2026-01", "Ngày giao": "15/02/2026",
            "Hạn hoàn thành": "20/02/2026", "Trạng thái": "Hoàn thành"}  # fmt: skip
    report = _import("tasks", [task], ht_scope, source_system="giao-viec")
    assert report.forbidden and report.errors[0].column == "Mã cán bộ"
    assert "DS" in report.errors[0].message and "2026-01" in report.errors[0].message
    assert snapshot() == before
    # a backdated "Ngày giao" does not matter: February counts in HT
    task.update({"Kỳ": "2026-02", "Ngày giao": "01/01/1800"})
    assert _import("tasks", [task], ht_scope, source_system="giao-viec").applied
    stored = session.query(Task).one()
    assert stored.unit_id == came_from_ds.unit_id and stored.owner_unit.code == "HT"


def test_period_inputs_are_scoped_by_their_period(session, came_from_ds, ht_scope, snapshot):
    before = snapshot()
    row = {"Mã cán bộ": "CB03", "Kỳ": "2026-01", "Điểm tiêu chí chung": 25}
    report = _import("inputs", [row], ht_scope)
    assert report.forbidden and "2026-01" in report.errors[0].message and snapshot() == before
    quarter = _import("inputs", [{**row, "Kỳ": "2026-Q1"}], ht_scope)  # the quarter holds January too
    assert quarter.forbidden
    assert _import("inputs", [{**row, "Kỳ": "2026-02"}], ht_scope).applied
    assert session.query(PeriodInput).one().period == "2026-02"


def test_another_wards_person_is_answered_like_a_missing_one(session, people, ht_scope):
    """A manager, a task's person or an input's person of another ward: the message of a code that does
    not exist, and no 403 (that would tell that the code exists elsewhere)."""
    new = {"Mã cán bộ": "CB10", "Họ và tên": "Đỗ Văn Giang", "Đơn vị": "HT-VP"}
    for kind, row, column in (
        ("people", {**new, "Người quản lý": "{}"}, "Người quản lý"),
        ("people", {**new, "Đơn vị": "{}"}, "Đơn vị"),
        ("tasks", {"Mã nhiệm vụ": "X", "Mã cán bộ": "{}", "Kỳ": "2026-01", "Trạng thái": "Hủy"}, "Mã cán bộ"),
        ("inputs", {"Mã cán bộ": "{}", "Kỳ": "2026-01"}, "Mã cán bộ"),
    ):
        answers = []
        for code in ("CB03" if column != "Đơn vị" else "DS", "KHONG"):
            filled = {k: (v.format(code) if v == "{}" else v) for k, v in row.items()}
            report = _import(kind, [filled], ht_scope)
            assert not report.forbidden and [e.column for e in report.errors] == [column]
            answers.append(report.errors[0].message.replace(code, "…"))
        assert answers[0] == answers[1], (kind, answers)


@pytest.mark.parametrize(
    "code",
    ["CB\u200b11", "CB\u202e11", "CB\x0011", "CB\x0711", "CB\ufeff11", "CB\u00a011"],
    ids=["zero-width", "bidi", "nul", "bell", "bom", "nbsp"],
)
def test_identifiers_refuse_invisible_characters(session, people, code, snapshot):
    from app.services.imports import import_rows

    before = snapshot()
    report = import_rows("people", [{"Mã cán bộ": code, "Họ và tên": "Lê Văn Hải", "Đơn vị": "HT"}])
    assert [(e.row, e.column) for e in report.errors] == [(2, "Mã cán bộ")]
    assert "U+" in report.errors[0].message and snapshot() == before
    task = {"Mã nhiệm vụ": code, "Mã cán bộ": "CB01", "Kỳ": "2026-01", "Trạng thái": "Hủy"}
    assert [e.column for e in import_rows("tasks", [task]).errors] == ["Mã nhiệm vụ"]


def test_look_alike_codes_are_not_stored_beside_each_other(session, people, snapshot):
    from app.services.imports import import_rows

    before = snapshot()
    for code in ("cb01", "ＣＢ01", "Cb01"):
        report = import_rows("people", [{"Mã cán bộ": code, "Họ và tên": "Lê Văn Hải", "Đơn vị": "HT"}])
        assert [e.column for e in report.errors] == ["Mã cán bộ"] and "CB01" in report.errors[0].message
    units = [{"Mã đơn vị": "ht-vp", "Tên đơn vị": "Văn phòng 2", "Loại": "phòng", "Đơn vị cấp trên": "HT"}]
    assert [e.column for e in import_rows("units", units).errors] == ["Mã đơn vị"]
    assert snapshot() == before
    task = {"Mã cán bộ": "CB01", "Kỳ": "2026-01", "Trạng thái": "Hủy"}
    assert import_rows("tasks", [{**task, "Mã nhiệm vụ": "NV-A"}]).applied
    again = import_rows("tasks", [{**task, "Mã nhiệm vụ": "nv-a"}])
    assert [e.column for e in again.errors] == ["Mã nhiệm vụ"]


def test_identifiers_are_stored_nfc(session, people):
    import unicodedata

    from app.services.imports import import_rows

    code = unicodedata.normalize("NFD", "CBĐỨC1")
    assert import_rows("people", [{"Mã cán bộ": code, "Họ và tên": "Lê Đức", "Đơn vị": "HT"}]).applied
    assert session.query(Person).filter_by(code="CBĐỨC1").one()


def test_read_only_scope_cannot_import(session, people):
    from app.models import Unit
    from app.services.errors import Forbidden
    from app.services.scope import Scope

    class Token:
        unit_id = session.query(Unit).filter_by(code="HT").one().id
        access = "read"

    with pytest.raises(Forbidden):
        _import("inputs", [{"Mã cán bộ": "CB01", "Kỳ": "2026-01"}], Scope.of_token(Token()))


def test_look_alike_of_another_wards_code_is_not_named(session, people, ht_scope):
    report = _import("people", [{"Mã cán bộ": "cb03", "Họ và tên": "Lê Văn Hải", "Đơn vị": "HT"}], ht_scope)
    assert [e.column for e in report.errors] == ["Mã cán bộ"] and "CB03" not in report.errors[0].message
    mine = _import("people", [{"Mã cán bộ": "cb02", "Họ và tên": "Lê Văn Hải", "Đơn vị": "HT"}], ht_scope)
    assert "CB02" in mine.errors[0].message


def test_an_import_by_a_user_is_scoped_by_that_user(session, came_from_ds, snapshot):
    from app.services.imports import import_rows
    from app.services.users import create_user

    ward_admin = create_user("hacthanh", "mat-khau-phuong", "ward_admin", "HT")
    before = snapshot()
    row = {"Mã cán bộ": "CB03", "Kỳ": "2026-01", "Điểm tiêu chí chung": 25}
    report = import_rows("inputs", [row], user=ward_admin)
    assert report.forbidden and "DS" in report.errors[0].message
    assert snapshot() == before
