"""`kpi assess run|list|show|explain|repin`: hand-computed cases imported through `kpi import`, the JSON
of `kpi eval` (same writer, same numbers), "không thay đổi", scope refusals, exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli.main import cli

ROOT = Path(__file__).resolve().parents[3]
UNITS = """Mã đơn vị,Tên đơn vị,Loại,Đơn vị cấp trên
TINH,Tỉnh Thử,tỉnh,
XA,Xã Một,xã,TINH
XB,Xã Hai,xã,TINH
"""
PEOPLE = """Mã cán bộ,Họ và tên,Đơn vị,Chức vụ,Lãnh đạo,Nhóm nhiệm vụ,Người quản lý
LD,Nguyễn Văn An,XA,Trưởng phòng,có,,
NV1,Lê Thị Bình,XA,Chuyên viên,không,,LD
CB3,Trần Văn Cường,XA,Chuyên viên,không,,LD
CB4,Phạm Thị Dung,XA,Chuyên viên,không,,LD
CB5,Hoàng Văn Em,XA,Chuyên viên,không,,LD
XB1,Đỗ Văn Phúc,XB,Chuyên viên,không,,
"""
INPUTS = """Mã cán bộ,Kỳ,Điểm tiêu chí chung,Kỷ luật
LD,2026-01,27,
NV1,2026-01,10,
CB3,2026-01,20,
CB4,2026-01,25,
CB5,2026-01,30,khiển trách
XB1,2026-01,20,
"""
HEAD = "Mã nhiệm vụ,Mã cán bộ,Kỳ,Trạng thái,Khối lượng giao,Khối lượng hoàn thành,Số lần sai sót lớn,Số lần chậm,Miễn trừ"


def _tasks() -> str:
    rows = [f"LD-{i},LD,2026-01,Hoàn thành,1,1,0,0,không" for i in range(17)]
    rows.append("LD-E,LD,2026-01,Hoàn thành,1,1,4,0,không")  # b: one product loses 4 × 25%
    rows += [f"LD-L{i},LD,2026-01,Hoàn thành,1,1,0,4,không" for i in range(2)]  # c: two lose 4 × 25%
    rows.append("NV1-1,NV1,2026-01,Đang thực hiện,1,0,0,0,không")
    rows += [f"CB3-{i},CB3,2026-01,Hoàn thành,1,1,0,0,không" for i in range(3)]
    rows += ["CB4-1,CB4,2026-01,Hoàn thành,1,1,0,0,không", "CB4-2,CB4,2026-01,Hoàn thành,1,1,0,1,có"]
    rows += ["CB5-1,CB5,2026-01,Hoàn thành,1,1,0,0,không", "XB1-1,XB1,2026-01,Hoàn thành,1,1,0,0,không"]
    return HEAD + "\n" + "\n".join(rows) + "\n"


@pytest.fixture
def kpi(app, database_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url)

    def run(*args: str):
        return CliRunner().invoke(cli, list(args))

    return run


@pytest.fixture
def files(kpi, tmp_path):
    paths = {}
    for name, text in (("don-vi", UNITS), ("nguoi", PEOPLE), ("nhiem-vu", _tasks()), ("dau-vao", INPUTS)):
        paths[name] = tmp_path / f"{name}.csv"
        paths[name].write_text(text, encoding="utf-8")
    national = tmp_path / "rules" / "quoc-gia"
    national.mkdir(parents=True)
    shutil.copy(ROOT / "rulesets/quoc-gia/nd-335-2025.kpi", national)
    assert kpi("rulesets", "load", str(tmp_path / "rules")).exit_code == 0
    for kind, name in (
        ("units", "don-vi"),
        ("people", "nguoi"),
        ("tasks", "nhiem-vu"),
        ("inputs", "dau-vao"),
    ):
        result = kpi("import", kind, str(paths[name]))
        assert result.exit_code == 0, result.output
    return paths


def test_run_json_matches_kpi_eval_and_hand_computed_cases(kpi, files):
    result = kpi("assess", "run", "XA", "2026-01", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["revision"] == 1 and doc["assessment"] and doc["unit"] == "XA"
    assert [(v["code"], v["version"]) for v in doc["versions"]] == [("ND335-2025", 1)]
    got = {r["person"]: r for r in doc["results"]}
    assert set(got) == {"LD", "NV1", "CB3", "CB4", "CB5"}
    # Ví dụ 3: a 100, b 95, c 90, d 50 (NV1 không hoàn thành), đ = e = 100 → 89.42, tốt
    ld = got["LD"]
    assert ld["criteria"] == {"a": 100, "b": 95, "c": 90, "d": 50, "đ": 100, "e": 100}
    assert ld["score"] == 89.42 and ld["level"] == "Hoàn thành tốt nhiệm vụ"
    assert got["NV1"]["score"] == 10 and got["NV1"]["level"] == "Không hoàn thành nhiệm vụ"
    # exactly 90 is xuất sắc by score; the 20% quota (one "tốt" in the group) demotes it
    assert got["CB3"]["score"] == 90 and got["CB3"]["level_before_quota"] == "Hoàn thành xuất sắc nhiệm vụ"
    assert got["CB3"]["level"] == "Hoàn thành tốt nhiệm vụ"
    assert got["CB4"]["criteria"]["c"] == 100  # the late product is exempt (miễn trừ)
    assert (
        got["CB5"]["score"] == 100
        and got["CB5"]["level"] == "Không hoàn thành nhiệm vụ"
        and got["CB5"]["vetoes"]
    )
    # the same ward's files through `kpi eval`: the same results, written by the same writer
    for name in ("nguoi", "nhiem-vu", "dau-vao"):
        lines = files[name].read_text(encoding="utf-8").splitlines()
        files[name].write_text(
            "\n".join(line for line in lines if "XB1" not in line) + "\n", encoding="utf-8"
        )
    evaluated = kpi("eval", str(ROOT / "rulesets/quoc-gia/nd-335-2025.kpi"), "--people", str(files["nguoi"]),
                    "--tasks", str(files["nhiem-vu"]), "--inputs", str(files["dau-vao"]), "--period", "2026-01",
                    "--format", "json")  # fmt: skip
    assert evaluated.exit_code == 0, evaluated.output
    assert doc["results"] == sorted(json.loads(evaluated.output)["results"], key=lambda r: r["person"])


def test_second_run_show_explain_list_and_refusals(kpi, files, session):
    from app.services.users import create_user

    assert kpi("assess", "run", "XA", "2026-01", "--quiet").exit_code == 0
    again = kpi("assess", "run", "XA", "2026-01", "--quiet")
    assert again.exit_code == 0 and "không thay đổi" in again.output
    shown = kpi("assess", "show", "XA", "2026-01")
    assert shown.exit_code == 0 and "89,42" in shown.output and "trước hạn mức" in shown.output
    explained = kpi("assess", "explain", "XA", "2026-01", "LD")
    assert explained.exit_code == 0 and "Tiêu chí d" in explained.output and "89,42" in explained.output
    assert "XA" in kpi("assess", "list").output
    assert kpi("assess", "explain", "XA", "2026-01", "KHONGCO").exit_code == 1
    create_user("xb.danhgia", "mat-khau-xb", "evaluator", "XB", "Người đánh giá xã Hai")
    session.commit()
    refused = kpi("assess", "run", "XA", "2026-01", "--user", "xb.danhgia")
    assert (
        refused.exit_code == 1 and "không được phép" in refused.output and "Traceback" not in refused.output
    )
    assert kpi("assess", "explain", "XA", "2026-01", "LD", "--user", "xb.danhgia").exit_code == 1
    assert "XA" not in kpi("assess", "list", "--user", "xb.danhgia").output
    assert kpi("assess", "run", "KHONGCO", "2026-01").exit_code == 1
    assert kpi("assess", "run", "XA", "tháng mười ba").exit_code == 1
    repinned = kpi("assess", "repin", "XA", "2026-01", "--reason", "Áp dụng phiên bản mới")
    assert repinned.exit_code == 0 and "ND335-2025" in repinned.output
