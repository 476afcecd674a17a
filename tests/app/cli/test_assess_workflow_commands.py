"""`kpi assess open|comment|review|decide|publish|lock|simulate|export|rollup`: a ward's month end to end
through the command line, exit codes and Vietnamese messages; another ward's evaluator refused."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from app.cli.main import cli

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services" / "assessments"))
from ward_data import run_ward  # noqa: E402

XS = "Hoàn thành xuất sắc nhiệm vụ"


@pytest.fixture
def units(session):
    from app.models import Unit

    province = Unit(code="TH", name="Tỉnh Thanh Hóa", kind="tỉnh")
    made = {"TH": province, "HT": Unit(code="HT", name="Phường Hạc Thành", kind="phường", parent=province),
            "DS": Unit(code="DS", name="Phường Đông Sơn", kind="phường", parent=province)}  # fmt: skip
    session.add_all(made.values())
    session.commit()
    return made


@pytest.fixture
def kpi(app, database_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url)

    def run(*args: str):
        return CliRunner().invoke(cli, list(args))

    return run


def test_month_through_the_command_line(kpi, session, units, tmp_path):
    from app.services.users import create_user

    run_ward(session, tmp_path)
    create_user("ht-danhgia", "mat-khau-ht-1", "evaluator", "HT")
    create_user("ds-danhgia", "mat-khau-ds-1", "evaluator", "DS")
    session.commit()  # the command runs in its own session
    me, other = ("--user", "ht-danhgia"), ("--user", "ds-danhgia")
    refused = kpi("assess", "open", "HT", "2026-01", *other)
    assert refused.exit_code == 1 and "không được phép" in refused.output
    early = kpi("assess", "publish", "HT", "2026-01", *me)
    assert early.exit_code == 1 and "đang ở bước" in early.output
    assert kpi("assess", "open", "HT", "2026-01", *me).exit_code == 0
    assert kpi("assess", "comment", "HT", "2026-01", "P", "Đồng ý với kết quả", *me).exit_code == 0
    assert kpi("assess", "review", "HT", "2026-01", "--note", "Họp 02/02", *me).exit_code == 0
    no_reason = kpi("assess", "decide", "HT", "2026-01", "--person", "P", "--level", XS, *me)
    assert no_reason.exit_code == 1 and "lý do" in no_reason.output
    decided = kpi(
        "assess", "decide", "HT", "2026-01", "--person", "P", "--level", XS, "--reason", "Sáng kiến", *me
    )
    assert decided.exit_code == 0 and "→ Hoàn thành xuất sắc nhiệm vụ" in decided.output
    assert "lưu ý" not in decided.output  # one xuất sắc beside five tốt: within the 20% quota
    second = kpi(
        "assess", "decide", "HT", "2026-01", "--person", "T1", "--level", XS, "--reason", "Khen thưởng", *me
    )
    assert (
        second.exit_code == 0
        and (
            f'lưu ý: nhóm đơn vị HT, nhóm Chuyên viên có 2 người "{XS}" sau quyết định, vượt hạn mức '
            '(không quá 20% số người "Hoàn thành tốt nhiệm vụ": tối đa 1 người)'
        )
        in second.output
    )
    sim = kpi("assess", "simulate", "HT", "2026-01", "--param", "mức_trừ_chậm=0%", "--format", "json", *me)
    assert sim.exit_code == 0 and '"changed": 1' in sim.output
    out = tmp_path / "ket-qua.xlsx"
    assert kpi("assess", "export", "HT", "2026-01", "--out", str(out), *me).exit_code == 0
    ws = openpyxl.load_workbook(io.BytesIO(out.read_bytes())).active
    assert any(row[1] == "P" and XS in row for row in ws.iter_rows(values_only=True))
    pdf = tmp_path / "phieu.pdf"
    assert (
        kpi(
            "assess", "export", "HT", "2026-01", "--kind", "sheets", "--person", "P", "--out", str(pdf), *me
        ).exit_code
        == 0
    )
    assert pdf.read_bytes().startswith(b"%PDF")
    assert kpi("assess", "publish", "HT", "2026-01", *me).exit_code == 0
    locked = kpi("assess", "lock", "HT", "2026-01", *me)
    assert locked.exit_code == 0 and "đã khóa" in locked.output
    monthly = kpi("assess", "rollup", "HT", "2026-01", *me)
    assert monthly.exit_code == 1 and "quý hoặc năm" in monthly.output, monthly.output
    missing = kpi("assess", "decide", "HT", "2026-01", "--person", "P", *me)
    assert missing.exit_code == 2


def test_rollup_and_income_commands(kpi, session, units, tmp_path):
    import json
    from decimal import Decimal

    from stored_results import add_people, load_national, store_period, version_of

    from app.models import Salary

    load_national(session)
    people = add_people(session, units, [("CB1", "Nguyễn Thị Hà", "HT", False, "")])
    month = version_of(session, "ND335-2025")
    scores = ["92", "88.5", "90.5", "91", "86", "89", "93"]  # domain.md example 4: mean 90.00
    for m, score in enumerate(scores, start=1):
        level = XS if Decimal(score) >= 90 else "Hoàn thành tốt nhiệm vụ"
        outputs = {"hệ_số_thu_nhập": "0.5" if level == XS else "0.3", "mức_sàn_thu_nhập": "1500000"}
        store_period(
            session, units["HT"], f"2026-{m:02d}", month, [(people["CB1"], score, level, {}, outputs)]
        )
        session.add(
            Salary(person_id=people["CB1"].id, period=f"2026-{m:02d}", amount=Decimal(6_000_000), note="")
        )
    session.commit()
    result = kpi("assess", "rollup", "HT", "2026", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    (cb1,) = doc["results"]
    assert cb1["score"] == 90.0 and cb1["level_before_quota"] == XS
    assert (doc["revision"], doc["unchanged"], doc["versions"][0]["code"]) == (1, False, "ND335-2025-NAM")
    again = kpi("assess", "rollup", "HT", "2026")
    assert again.exit_code == 0 and "Đợt đánh giá HT kỳ 2026: không thay đổi" in again.output, again.output
    shown = kpi("assess", "show", "HT", "2026")
    assert shown.exit_code == 0 and "ND335-2025-NAM phiên bản 1" in shown.output
    # alone in the unit, no "tốt" colleague: the 20 % quota moves the xuất sắc down
    assert f"CB1      HT                  90  Hoàn thành tốt nhiệm vụ (trước hạn mức: {XS})" in shown.output
    told = kpi("assess", "explain", "HT", "2026", "CB1")
    assert told.exit_code == 0, told.output
    assert "Kết quả kỳ 2026-02 đã đọc (HT lần chạy 1): 88,5 điểm, Hoàn thành tốt nhiệm vụ" in told.output
    assert "Kết quả đã lưu: 90 điểm, Hoàn thành tốt nhiệm vụ" in told.output
    wrong = kpi("assess", "run", "HT", "2026", "--quiet")
    assert wrong.exit_code != 0 and "chạy lại bằng kpi assess rollup" in wrong.output, wrong.output
    out = tmp_path / "thu-nhap-q1.xlsx"
    result = kpi("assess", "export", "HT", "2026-Q1", "--kind", "income", "--out", str(out))
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(io.BytesIO(out.read_bytes())).active
    row = next(r for r in ws.iter_rows(values_only=True) if r[1] == "CB1")
    assert row[-2] == 3_000_000 + 1_800_000 + 3_000_000  # Jan 0.5 × 6M, Feb max(0.3 × 6M, 1.5M), Mar 0.5 × 6M
