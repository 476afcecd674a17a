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
        from app.extensions import db

        db.session.commit()  # the test's own work is done: end its transaction (SQLite locks)
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


def test_token_read_only_expiry_list_and_revoke(kpi, session, tmp_path):
    from app.models import ApiToken
    from app.services.api_tokens import authenticate

    (tmp_path / "u.csv").write_text(UNITS, encoding="utf-8")
    kpi("import", "units", str(tmp_path / "u.csv"))
    result = kpi(
        "token", "create", "--unit", "HT", "--system", "bao-cao", "--read-only", "--expires", "31/12/2099"
    )
    assert result.exit_code == 0 and "chỉ đọc" in result.output and "31/12/2099" in result.output
    secret = next(line.strip() for line in result.output.splitlines() if line.strip().startswith("kpi_"))
    assert kpi("token", "create", "--unit", "HT", "--system", "x", "--expires", "01/01/2000").exit_code == 1
    listed = kpi("token", "list")
    assert listed.exit_code == 0 and "bao-cao" in listed.output and "đang dùng" in listed.output
    assert secret not in listed.output and secret[:12] in listed.output
    revoked = kpi("token", "revoke", secret[:12])
    assert revoked.exit_code == 0, revoked.output
    session.expire_all()
    token = session.query(ApiToken).filter_by(name="bao-cao").one()
    assert token.access == "read" and token.revoked_at is not None and authenticate(secret) is None
    assert "đã thu hồi" in kpi("token", "list").output
    assert kpi("token", "revoke", str(token.id)).exit_code == 1  # already revoked
    assert kpi("token", "revoke", "999").exit_code == 1


def test_a_failing_command_leaves_nothing_behind(kpi, session, database_url):
    """A command is one transaction (`with_app`): what a service flushed before the command failed is
    rolled back with it, and the user gets the Vietnamese message, not a traceback."""
    import click

    from app.cli.appctx import with_app
    from app.models import AuditLog, User

    @click.command()
    @with_app
    def two_steps() -> None:
        from app.services.errors import Conflict
        from app.services.users import create_user

        create_user("buoc-mot", "mat-khau-dai", "province_admin")
        raise Conflict("bước hai bị từ chối")

    session.commit()
    result = CliRunner().invoke(two_steps, [], env={"DATABASE_URL": database_url})
    assert result.exit_code == 1 and "bước hai bị từ chối" in result.output
    assert "Traceback" not in result.output
    session.expire_all()
    assert session.query(User).filter_by(username="buoc-mot").count() == 0
    assert session.query(AuditLog).filter_by(action="user.create").count() == 0


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
