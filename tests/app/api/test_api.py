"""The REST API: tokens and scope, bulk upserts with row errors, reads, and the OpenAPI document."""

from __future__ import annotations

import re

from app.models import Task

TASK = {"Mã nhiệm vụ": "GV-1", "Mã cán bộ": "HT02", "Kỳ": "2026-01", "Trạng thái": "Hoàn thành",
        "Hạn hoàn thành": "2026-01-20", "Ngày hoàn thành": "2026-01-19"}  # fmt: skip


def test_every_route_is_documented(app):
    from app.api.spec import document

    documented = {(path, method) for path, ops in document()["paths"].items() for method in ops}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule[len("/api/v1") :])
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method.lower()) in documented, f"{method} {path} is not in openapi.yaml"


def test_openapi_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.get_json()["openapi"] == "3.1.0"
    assert client.get("/api/v1/openapi.yaml").status_code == 200


def test_token_required(client, world, validate_response):
    response = client.get("/api/v1/units")
    assert response.status_code == 401
    validate_response(response, "/units")
    bad = client.get("/api/v1/units", headers={"Authorization": "Bearer sai"})
    assert bad.status_code == 401 and bad.get_json()["error"]["code"] == "unauthorized"


def test_upsert_tasks_idempotent(client, session, world, validate_response):
    response = client.post("/api/v1/tasks?dry_run=true", json=[TASK], headers=world["HT"])
    body = validate_response(response, "/tasks", "post")
    assert response.status_code == 200 and body["counts"]["created"] == 1 and not body["applied"]
    assert session.query(Task).count() == 0
    response = client.post("/api/v1/tasks", json={"items": [TASK]}, headers=world["HT"])
    body = validate_response(response, "/tasks", "post")
    assert body["created"] == ["GV-1"] and body["applied"]
    task = session.query(Task).one()
    assert task.source_system == "giao-viec-ht" and task.person.code == "HT02"
    again = validate_response(
        client.post("/api/v1/tasks", json=[TASK], headers=world["HT"]), "/tasks", "post"
    )
    assert again["counts"]["unchanged"] == 1 and not again["created"] and not again["updated"]


def test_row_errors_reported_with_item_positions(client, session, world, validate_response):
    items = [TASK, {**TASK, "Mã nhiệm vụ": "GV-2", "Trạng thái": "Xong"}, {**TASK, "Mã cán bộ": "KHONG"}]
    response = client.post("/api/v1/tasks", json=items, headers=world["HT"])
    body = validate_response(response, "/tasks", "post")
    assert response.status_code == 400 and body["error"]["code"] == "invalid_rows"
    rows = {(d["row"], d["column"]) for d in body["error"]["details"]}
    assert {(2, "Trạng thái"), (3, "Mã cán bộ"), (3, "Mã nhiệm vụ")} <= rows
    assert session.query(Task).count() == 0


def test_another_ward_is_answered_like_nothing(client, session, world, validate_response):
    """A code of another ward gets exactly the answer of a code that does not exist (no probing)."""
    response = client.post("/api/v1/tasks", json=[TASK], headers=world["DS"])
    body = validate_response(response, "/tasks", "post")
    missing = client.post("/api/v1/tasks", json=[{**TASK, "Mã cán bộ": "KHONG"}], headers=world["DS"])
    assert response.status_code == missing.status_code == 400 and body["error"]["details"][0]["row"] == 1
    assert body["error"]["details"][0]["message"] == missing.get_json()["error"]["details"][0][
        "message"
    ].replace("KHONG", "HT02")
    assert session.query(Task).count() == 0
    for path, template, code in (
        ("/api/v1/people/{}", "/people/{code}", "HT02"),
        ("/api/v1/units/{}", "/units/{code}", "HT"),
        ("/api/v1/people?unit={}", "/people", "HT"),
    ):
        response = client.get(path.format(code), headers=world["DS"])
        assert response.status_code == 404
        validate_response(response, template)
        nowhere = client.get(path.format("KHONG"), headers=world["DS"]).get_json()["error"]
        assert response.get_json()["error"]["message"] == nowhere["message"].replace("KHONG", code)
    person = {"Mã cán bộ": "DS09", "Họ và tên": "Lê Văn Em", "Đơn vị": "HT"}
    response = client.post("/api/v1/people", json=[person], headers=world["DS"])
    assert (
        response.status_code == 400
        and "không có đơn vị" in response.get_json()["error"]["details"][0]["message"]
    )
    validate_response(response, "/people", "post")
    inputs = [{"Mã cán bộ": "HT02", "Kỳ": "2026-01", "Điểm tiêu chí chung": 25}]
    assert client.post("/api/v1/period-inputs", json=inputs, headers=world["DS"]).status_code == 400
    ok = client.post("/api/v1/period-inputs", json=inputs, headers=world["HT"])
    assert ok.status_code == 200, ok.get_json()


def test_more_than_10000_tasks_rejected(client, session, world, validate_response):
    items = [{**TASK, "Mã nhiệm vụ": f"GV-{i}"} for i in range(10_001)]
    response = client.post("/api/v1/tasks", json=items, headers=world["HT"])
    assert response.status_code == 413
    assert validate_response(response, "/tasks", "post")["error"]["code"] == "too_many_rows"
    assert session.query(Task).count() == 0


def test_reads_within_scope(client, world, validate_response):
    units = validate_response(client.get("/api/v1/units", headers=world["HT"]), "/units")
    assert {u["code"] for u in units["items"]} == {"HT", "HT-VP"}
    people = validate_response(client.get("/api/v1/people", headers=world["HT"]), "/people")
    assert {p["code"] for p in people["items"]} == {"HT01", "HT02"} and people["total"] == 2
    person = validate_response(client.get("/api/v1/people/HT02", headers=world["HT"]), "/people/{code}")
    assert person["manager"] == "HT01" and person["unit"] == "HT-VP"
    response = client.get("/api/v1/people/KHONG", headers=world["HT"])
    assert response.status_code == 404
    validate_response(response, "/people/{code}")


def test_people_upsert_and_bad_body(client, world, validate_response):
    person = {"mã_cán_bộ": "HT03", "họ_và_tên": "Đỗ Thị Giang", "đơn_vị": "HT-VP", "người_quản_lý": "HT01"}
    body = validate_response(
        client.post("/api/v1/people", json=[person], headers=world["HT"]), "/people", "post"
    )
    assert body["created"] == ["HT03"]
    response = client.post("/api/v1/people", json={"x": 1}, headers=world["HT"])
    assert response.status_code == 400
    validate_response(response, "/people", "post")
    response = client.post("/api/v1/people", data="abc", headers=world["HT"])
    assert response.status_code == 415
    validate_response(response, "/people", "post")


SOURCE = """\
bộ quy tắc "{code}" phiên bản 1
  tên "Bộ tiêu chí {code}"
  căn cứ "Nghị định 335/2025/NĐ-CP" điều 12, 14, 20
  hiệu lực từ 01/01/2026
  kỳ tháng

mỗi nhiệm vụ:
  giao = khối_lượng_giao × hệ_số_quy_đổi
  đạt = nhỏ_nhất(khối_lượng_hoàn_thành, khối_lượng_giao) × hệ_số_quy_đổi

tiêu chí a "Số lượng" theo điều 14 = tỷ_lệ(tổng(đạt), tổng(giao), 100)

điểm = điểm_tiêu_chí_chung + a × 70%

xếp loại theo điều 20:
  "Hoàn thành xuất sắc nhiệm vụ" nếu điểm >= 90
  "Hoàn thành tốt nhiệm vụ" nếu điểm >= 70
  "Hoàn thành nhiệm vụ" nếu điểm >= 50
  "Không hoàn thành nhiệm vụ" còn lại
"""


def test_rulesets_versions_and_resolve(client, session, world, validate_response):
    import hashlib

    from app.models import Unit
    from app.services import rulesets
    from app.services.users import system_user

    user = system_user()
    for code, owner in (("TH-2026", "TH"), ("DS-2026", "DS")):
        unit = session.query(Unit).filter_by(code=owner).one()
        rulesets.publish(rulesets.save_draft(SOURCE.format(code=code), user, unit).id, user)
    listed = validate_response(client.get("/api/v1/rulesets", headers=world["HT"]), "/rulesets")
    assert [r["code"] for r in listed["items"]] == ["TH-2026"]
    response = client.get("/api/v1/rulesets/DS-2026", headers=world["HT"])
    assert response.status_code == 404
    validate_response(response, "/rulesets/{code}")
    versions = client.get("/api/v1/rulesets/TH-2026/versions", headers=world["HT"])
    assert validate_response(versions, "/rulesets/{code}/versions")["items"][0]["status"] == "published"
    one = client.get("/api/v1/rulesets/TH-2026/versions/1", headers=world["HT"])
    body = validate_response(one, "/rulesets/{code}/versions/{number}")
    assert body["sha256"] == rulesets.version_by_code("TH-2026", 1).sha256 and "tiêu chí a" in body["source"]
    assert re.fullmatch(r"[0-9a-f]{64}", hashlib.sha256(b"").hexdigest())
    resolved = client.get("/api/v1/resolve?person=HT02&date=2026-02-01", headers=world["HT"])
    body = validate_response(resolved, "/resolve")
    assert body["version"]["ruleset"] == "TH-2026" and body["unit"] == "HT-VP"
    other = client.get("/api/v1/resolve?person=DS01&date=2026-02-01", headers=world["HT"])
    assert other.status_code == 404
    validate_response(other, "/resolve")
    assert client.get("/api/v1/resolve?person=HT02&date=2026-13-01", headers=world["HT"]).status_code == 400
    early = client.get("/api/v1/resolve?person=HT02&date=2025-12-31", headers=world["HT"])
    assert early.status_code == 404
    validate_response(early, "/resolve")


def test_templates_download_without_token(client, validate_response):
    import io

    import openpyxl

    response = client.get("/api/v1/templates/tasks.xlsx")
    assert response.status_code == 200 and "nhiem-vu.xlsx" in response.headers["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(response.data))
    assert wb.sheetnames == ["Dữ liệu", "Ghi chú"]
    missing = client.get("/api/v1/templates/khac.xlsx")
    assert missing.status_code == 404
    validate_response(missing, "/templates/{kind}.xlsx")


def test_api_import_is_audited_with_the_system_name(client, session, world):
    from app.models import AuditLog

    assert client.post("/api/v1/tasks", json=[TASK], headers=world["HT"]).status_code == 200
    entry = session.query(AuditLog).filter_by(action="import.tasks").one()
    assert entry.actor == "api:giao-viec-ht" and entry.after["created"] == 1


def test_duplicate_ids_name_the_first_item(client, world):
    response = client.post("/api/v1/tasks", json=[TASK, TASK], headers=world["HT"])
    detail = response.get_json()["error"]["details"][0]
    assert response.status_code == 400 and detail["row"] == 2 and "mục 1" in detail["message"]


def test_same_system_token_of_another_ward_cannot_take_over_a_task(client, session, world):
    """Task ids are namespaced per source system and owning unit: DS's "GV-1" is another task."""
    from app.services.api_tokens import create_token

    assert client.post("/api/v1/tasks", json=[TASK], headers=world["HT"]).status_code == 200
    _, secret = create_token("DS", "giao-viec-ht", secret="kpi_test_cung_he_thong_dong_son")
    session.commit()
    moved = {**TASK, "Mã cán bộ": "DS01"}
    response = client.post("/api/v1/tasks", json=[moved], headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200 and response.get_json()["created"] == ["GV-1"]
    tasks = {(t.owner_unit.code, t.person.code) for t in session.query(Task)}
    assert tasks == {("HT", "HT02"), ("DS", "DS01")}
