"""`kpi import …`, `kpi import template`, `kpi token create`: exit codes, output, no change on errors."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from app.cli.main import cli

UNITS = "Mã đơn vị,Tên đơn vị,Loại,Đơn vị cấp trên\nTH,Tỉnh Thanh Hóa,tỉnh,\nHT,Phường Hạc Thành,phường,TH\n"
PEOPLE = "Mã cán bộ,Họ và tên,Đơn vị,Người quản lý\nHT01,Nguyễn Văn An,HT,\nHT02,Lê Thị Hoa,HT,HT01\n"


@pytest.fixture
def kpi(app, database_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url)

    def run(*args: str):
        return CliRunner().invoke(cli, list(args))

    return run


def test_import_dry_run_then_apply(kpi, session, tmp_path):
    from app.models import AuditLog, Unit

    path = tmp_path / "don-vi.csv"
    path.write_text(UNITS, encoding="utf-8")
    result = kpi("import", "units", str(path), "--dry-run")
    assert result.exit_code == 0 and "sẽ tạo 2" in result.output
    assert session.query(Unit).count() == 0
    result = kpi("import", "units", str(path))
    assert result.exit_code == 0 and "đã tạo 2" in result.output
    assert session.query(Unit).count() == 2
    entry = session.query(AuditLog).filter_by(action="import.units").one()
    assert entry.after["created"] == 2 and entry.after["rows"] == 2
    result = kpi("import", "units", str(path))
    assert result.exit_code == 0 and "không thay đổi" in result.output
    assert session.query(AuditLog).filter_by(action="import.units").count() == 1


def test_import_errors_exit_1_with_table(kpi, session, tmp_path):
    from app.models import Person

    (tmp_path / "u.csv").write_text(UNITS, encoding="utf-8")
    kpi("import", "units", str(tmp_path / "u.csv"))
    bad = PEOPLE + "HT03,,XX,HT09\n"
    (tmp_path / "nguoi.csv").write_text(bad, encoding="utf-8")
    result = kpi("import", "people", str(tmp_path / "nguoi.csv"))
    assert result.exit_code == 1
    assert "dòng 4" in result.output and "Họ và tên" in result.output and '"XX"' in result.output
    assert session.query(Person).count() == 0


def test_template_headers_are_accepted(kpi, tmp_path):
    from app.services.imports import people, tasks, units
    from app.services.imports.sheet import Sheet
    from app.tabular import read_table

    specs = {"units": units.SPECS, "people": people.SPECS, "tasks": tasks.SPECS}
    for kind, kind_specs in specs.items():
        out = tmp_path / f"{kind}.xlsx"
        result = kpi("import", "template", kind, "--out", str(out))
        assert result.exit_code == 0, result.output
        table = read_table(out)
        errors: list = []
        Sheet(table, kind_specs, errors)
        assert errors == [] and len(table) == 1
    import openpyxl

    wb = openpyxl.load_workbook(tmp_path / "tasks.xlsx")
    assert wb.sheetnames == ["Dữ liệu", "Ghi chú"]
    notes = [row[0] for row in wb["Ghi chú"].iter_rows(min_row=2, values_only=True) if row[0]]
    assert "Mã nhiệm vụ" in notes and "Hạn hoàn thành" in notes


def test_template_includes_catalog_fields(kpi, session, tmp_path):
    from app.services.catalog import add_field
    from app.services.users import system_user

    add_field("task", "số_hồ_sơ", "Số hồ sơ giải quyết", "số", user=system_user())
    out = tmp_path / "t.xlsx"
    assert kpi("import", "template", "tasks", "--out", str(out)).exit_code == 0
    from app.tabular import read_table

    assert "Số hồ sơ giải quyết" in read_table(out).headers


def test_token_create_prints_it_once(kpi, session, tmp_path):
    from app.models import ApiToken
    from app.services.api_tokens import authenticate

    (tmp_path / "u.csv").write_text(UNITS, encoding="utf-8")
    kpi("import", "units", str(tmp_path / "u.csv"))
    result = kpi("token", "create", "--unit", "HT", "--system", "giao-viec")
    assert result.exit_code == 0, result.output
    secret = next(line.strip() for line in result.output.splitlines() if line.strip().startswith("kpi_"))
    token = authenticate(secret)
    assert token is not None and token.unit.code == "HT" and token.name == "giao-viec"
    assert secret not in {t.token_hash for t in session.query(ApiToken)}
    result = kpi("token", "create", "--unit", "KHONG", "--system", "x")
    assert result.exit_code == 1 and "KHONG" in result.output


def test_missing_file_exits_2(kpi, tmp_path):
    result = kpi("import", "tasks", str(tmp_path / "khong-co.csv"))
    assert result.exit_code == 2 and "không tìm thấy tệp" in result.output


def test_import_inputs_with_a_ruleset_column_before_rulesets_are_loaded_names_the_command(
    kpi, session, tmp_path
):
    from app.models import PeriodInput

    (tmp_path / "u.csv").write_text(UNITS, encoding="utf-8")
    (tmp_path / "nguoi.csv").write_text(PEOPLE, encoding="utf-8")
    assert kpi("import", "units", str(tmp_path / "u.csv")).exit_code == 0
    assert kpi("import", "people", str(tmp_path / "nguoi.csv")).exit_code == 0
    # "Điểm khả năng tổ chức" is declared by the national ruleset (đầu vào), not by the import template
    inputs = "Mã cán bộ,Kỳ,Điểm tiêu chí chung,Điểm khả năng tổ chức\nHT01,2026-01,28,90\n"
    (tmp_path / "dau-vao.csv").write_text(inputs, encoding="utf-8")
    result = kpi("import", "inputs", str(tmp_path / "dau-vao.csv"))
    assert result.exit_code == 1
    assert "Điểm khả năng tổ chức" in result.output and "kpi rulesets load" in result.output
    assert session.query(PeriodInput).count() == 0
