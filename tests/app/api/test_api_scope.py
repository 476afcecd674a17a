"""The API under attack by a ward's token: backdated moves, periods, read-only and expired tokens,
`last_used_at`, and a refused request that leaves nothing behind."""

from __future__ import annotations

import datetime as dt

from app.models import ApiToken, AuditLog, Person, PersonAssignment, Task


def _move_from_ds(client, session, world):
    """DS01 moves to HT on 01/02/2026, done by the province (a TH token)."""
    from app.services.api_tokens import create_token

    _, secret = create_token("TH", "so-noi-vu", secret="kpi_test_tinh")
    session.commit()
    province = {"Authorization": f"Bearer {secret}"}
    move = {"Mã cán bộ": "DS01", "Họ và tên": "Phạm Thị Dung", "Đơn vị": "HT", "Ngày hiệu lực": "01/02/2026"}
    assert client.post("/api/v1/people", json=[move], headers=province).status_code == 200
    return move


def test_backdated_move_rewriting_another_wards_history_is_403(client, session, world, validate_response):
    move = _move_from_ds(client, session, world)
    stretches = session.query(PersonAssignment).count()
    attack = {**move, "Đơn vị": "HT-VP", "Ngày hiệu lực": "01/01/1800"}
    response = client.post("/api/v1/people", json=[attack], headers=world["HT"])
    body = validate_response(response, "/people", "post")
    assert response.status_code == 403 and body["error"]["code"] == "forbidden"
    detail = body["error"]["details"][0]
    assert detail["row"] == 1 and detail["column"] == "Ngày hiệu lực"
    assert "thuộc đơn vị DS" in detail["message"] and "ghi đè lịch sử công tác" in detail["message"]
    assert session.query(PersonAssignment).count() == stretches
    person = session.query(Person).filter_by(code="DS01").one()
    assert person.unit_on(dt.date(2026, 1, 15)).code == "DS"
    ok = client.post("/api/v1/people", json=[{**attack, "Ngày hiệu lực": "01/03/2026"}], headers=world["HT"])
    assert ok.status_code == 200


def test_task_of_a_period_spent_in_another_ward_is_403(client, session, world):
    _move_from_ds(client, session, world)
    task = {"Mã nhiệm vụ": "GV-9", "Mã cán bộ": "DS01", "Kỳ": "2026-01", "Ngày giao": "2026-02-10",
            "Trạng thái": "Hoàn thành"}  # fmt: skip
    response = client.post("/api/v1/tasks", json=[task], headers=world["HT"])
    assert response.status_code == 403 and "2026-01" in response.get_json()["error"]["details"][0]["message"]
    assert session.query(Task).count() == 0
    task.update({"Kỳ": "2026-02", "Ngày giao": "1800-01-01"})
    assert client.post("/api/v1/tasks", json=[task], headers=world["HT"]).status_code == 200
    inputs = [{"Mã cán bộ": "DS01", "Kỳ": "2026-01", "Điểm tiêu chí chung": 30}]
    assert client.post("/api/v1/period-inputs", json=inputs, headers=world["HT"]).status_code == 403
    assert client.post("/api/v1/period-inputs", json=inputs, headers=world["DS"]).status_code == 200


def test_read_only_and_expired_tokens(client, session, world, validate_response):
    from app.models.common import utcnow
    from app.services.api_tokens import create_token

    _, reader = create_token("HT", "bao-cao", access="read", secret="kpi_test_chi_doc")
    row, _ = create_token(
        "HT", "tam-thoi", secret="kpi_test_het_han", expires_at=utcnow() + dt.timedelta(minutes=5)
    )
    session.commit()
    headers = {"Authorization": f"Bearer {reader}"}
    assert client.get("/api/v1/people", headers=headers).status_code == 200
    item = {"Mã cán bộ": "HT02", "Kỳ": "2026-01", "Điểm tiêu chí chung": 25}
    response = client.post("/api/v1/period-inputs", json=[item], headers=headers)
    assert response.status_code == 403 and "chỉ được đọc" in response.get_json()["error"]["message"]
    validate_response(response, "/period-inputs", "post")
    row.expires_at = utcnow() - dt.timedelta(seconds=1)
    session.commit()
    expired = client.get("/api/v1/units", headers={"Authorization": "Bearer kpi_test_het_han"})
    assert expired.status_code == 401


def test_last_used_at_is_kept_also_for_refused_requests(client, session, world):
    token = session.query(ApiToken).filter_by(name="giao-viec-ds").one()
    assert token.last_used_at is None
    response = client.get("/api/v1/people/HT02", headers=world["DS"])
    assert response.status_code == 404
    session.expire_all()
    assert session.query(ApiToken).filter_by(name="giao-viec-ds").one().last_used_at is not None


def test_a_failing_request_leaves_nothing_behind(client, session, world, monkeypatch):
    """The import is applied and audited, then the request fails: the one rollback undoes all of it."""
    from app.api import writes

    def broken_jsonify(*args, **kwargs):
        raise RuntimeError("lỗi sau khi ghi")

    monkeypatch.setattr(writes, "jsonify", broken_jsonify)
    task = {"Mã nhiệm vụ": "GV-1", "Mã cán bộ": "HT02", "Kỳ": "2026-01", "Trạng thái": "Hoàn thành"}
    client.application.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.post("/api/v1/tasks", json=[task], headers=world["HT"])
    assert response.status_code == 500
    session.expire_all()
    assert session.query(Task).count() == 0
    assert session.query(AuditLog).filter_by(action="import.tasks").count() == 0


def test_codes_in_paths_go_through_the_identifier_check(client, world, validate_response):
    for code in ("HT\u200b02", "HT%0002"):
        response = client.get(f"/api/v1/people/{code}", headers=world["HT"])
        assert response.status_code == 400 and "U+" in response.get_json()["error"]["message"]
        validate_response(response, "/people/{code}")
