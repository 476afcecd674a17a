"""API fixtures: a province with two wards, people in each, and one token per ward."""

from __future__ import annotations

import pytest

PEOPLE = """\
Mã cán bộ,Họ và tên,Đơn vị,Chức vụ,Lãnh đạo,Nhóm nhiệm vụ,Người quản lý
HT01,Nguyễn Văn An,HT,Chủ tịch,có,Lãnh đạo,
HT02,Trần Thị Bình,HT-VP,Chuyên viên,không,Văn phòng,HT01
DS01,Phạm Thị Dung,DS,Chuyên viên,không,Văn phòng,
"""


@pytest.fixture
def world(session, tmp_path):
    from app.models import Unit
    from app.services.api_tokens import create_token
    from app.services.imports import import_file

    province = Unit(code="TH", name="Tỉnh Thanh Hóa", kind="tỉnh")
    session.add_all(
        [
            province,
            hac_thanh := Unit(code="HT", name="Phường Hạc Thành", kind="phường", parent=province),
            Unit(code="DS", name="Phường Đông Sơn", kind="phường", parent=province),
            Unit(code="HT-VP", name="Văn phòng", kind="phòng", parent=hac_thanh),
        ]
    )
    session.commit()
    path = tmp_path / "nguoi.csv"
    path.write_text(PEOPLE, encoding="utf-8")
    assert import_file("people", path).ok
    _, ht = create_token("HT", "giao-viec-ht", secret="kpi_test_hac_thanh")
    _, ds = create_token("DS", "giao-viec-ds", secret="kpi_test_dong_son")
    session.commit()  # the fixture is its own user action (services only flush)
    return {"HT": {"Authorization": f"Bearer {ht}"}, "DS": {"Authorization": f"Bearer {ds}"}}


@pytest.fixture
def validate_response():
    """Check a response against the documented schema of its path, method and status."""
    import jsonschema

    from app.api.spec import document

    doc = document()

    def check(response, path: str, method: str = "get") -> dict:
        operation = doc["paths"][path][method]
        documented = operation["responses"].get(str(response.status_code))
        assert documented is not None, (
            f"{method.upper()} {path}: status {response.status_code} not documented"
        )
        if "$ref" in documented:
            documented = doc["components"]["responses"][documented["$ref"].rsplit("/", 1)[1]]
        schema = documented["content"]["application/json"]["schema"]
        root = {**schema, "components": doc["components"]}
        jsonschema.Draft202012Validator(root).validate(response.get_json())
        return response.get_json()

    return check
