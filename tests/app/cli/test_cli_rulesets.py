"""`kpi db`, `kpi rulesets`, `kpi user` against a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli.main import cli

SHIPPED = Path(__file__).resolve().parents[3] / "rulesets"


@pytest.fixture
def kpi(database_url):
    runner = CliRunner()

    def run(*args, input=None):
        return runner.invoke(cli, list(args), env={"DATABASE_URL": database_url}, input=input)

    return run


def test_db_upgrade_and_current(kpi):
    result = kpi("db", "upgrade")
    assert result.exit_code == 0, result.output
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from app.config import REPO_ROOT

    config = Config()
    config.set_main_option("script_location", str(REPO_ROOT / "migrations"))
    script = ScriptDirectory.from_config(config)
    assert kpi("db", "current").output.strip() == script.get_current_head()


def test_load_list_show_resolve(kpi):
    result = kpi("rulesets", "load", str(SHIPPED))
    assert result.exit_code == 0, result.output
    again = kpi("rulesets", "load", str(SHIPPED))
    assert again.exit_code == 0 and "Đã nạp 0 bộ quy tắc" in again.output
    listing = kpi("rulesets", "list", "--status", "published")
    assert "ND335-2025@1" in listing.output
    assert "Nghị định 335/2025/NĐ-CP" in kpi("rulesets", "show", "ND335-2025@1").output
    assert kpi("rulesets", "show", "ND335-2025@1", "--source").output.startswith("#")
    resolved = kpi("rulesets", "resolve", "--unit", "DA-NANG", "--date", "01/03/2026")
    assert resolved.exit_code == 0 and resolved.output.startswith("DN-2026@1")
    missing = kpi("rulesets", "show", "KHONG-CO@1")
    assert missing.exit_code == 1 and "Traceback" not in missing.output


def test_edit_published_through_cli_makes_new_draft(kpi, tmp_path):
    assert kpi("rulesets", "load", str(SHIPPED / "quoc-gia")).exit_code == 0
    source = (SHIPPED / "quoc-gia" / "nd-335-2025.kpi").read_text(encoding="utf-8")
    edited = tmp_path / "x.kpi"
    edited.write_text(source + "\n# sửa\n", encoding="utf-8")
    refused = kpi("rulesets", "save", str(edited))
    assert refused.exit_code == 1 and "phiên bản 2" in refused.output
    assert kpi("rulesets", "new-draft", "ND335-2025@1").exit_code == 0
    assert kpi("rulesets", "publish", "ND335-2025@2", "--from", "01/07/2026").exit_code == 0
    resolved = kpi("rulesets", "resolve", "--unit", "QUOC-GIA", "--date", "2026-07-02")
    assert resolved.exit_code == 1  # no such unit
    diff = kpi("rulesets", "diff", "ND335-2025@1", "ND335-2025@2")
    assert diff.exit_code == 0 and diff.output.strip()


def test_user_create_and_adopt_with_bad_override(kpi):
    assert kpi("rulesets", "load", str(SHIPPED)).exit_code == 0
    created = kpi("user", "create", "quantri", "--role", "province_admin", "--password", "mat-khau-dai")
    assert created.exit_code == 0, created.output
    short = kpi("user", "create", "ngan", "--role", "evaluator", "--unit", "DA-NANG", "--password", "123")
    assert short.exit_code == 1 and "mật khẩu" in short.output
    prompted = kpi("user", "create", "hoi", "--role", "province_admin", input="mat-khau-dai\nmat-khau-dai\n")
    assert prompted.exit_code == 0, prompted.output
    bad = kpi(
        "rulesets", "adopt", "ND335-2025@1", "--unit", "HA-NOI", "--set", "khong_co=1", "--user", "quantri"
    )
    assert bad.exit_code == 1 and "E0101" in bad.output


def test_export_import_roundtrip(kpi, tmp_path):
    assert kpi("rulesets", "load", str(SHIPPED / "quoc-gia")).exit_code == 0
    bundle = tmp_path / "goi.yaml"
    assert kpi("rulesets", "export", "-o", str(bundle)).exit_code == 0
    same = kpi("rulesets", "import", str(bundle))
    assert same.exit_code == 0 and "Không có gì mới" in same.output
    bundle.write_text(bundle.read_text(encoding="utf-8").replace("sha256: ", "sha256: 0"), encoding="utf-8")
    tampered = kpi("rulesets", "import", str(bundle))
    assert tampered.exit_code == 1 and "sha256" in tampered.output


def test_check_stays_free_of_flask(tmp_path):
    import subprocess

    code = (
        "import sys; from app.cli.main import main\n"
        "try:\n    main(['check', sys.argv[1]])\nexcept SystemExit: pass\n"
        "print('flask' in sys.modules, 'sqlalchemy' in sys.modules)"
    )
    root = Path(__file__).resolve().parents[3]
    out = subprocess.run(
        [sys.executable, "-c", code, str(SHIPPED / "quoc-gia" / "nd-335-2025.kpi")],
        capture_output=True, text=True, cwd=root,
    )  # fmt: skip
    assert out.stdout.strip().splitlines()[-1] == "False False"


def test_publishing_a_newer_province_version_lists_the_wards_to_review(kpi):
    assert kpi("rulesets", "load", str(SHIPPED)).exit_code == 0
    assert kpi("rulesets", "review").output.strip() == "Không có đơn vị nào cần xem lại."
    assert kpi("rulesets", "new-draft", "TH-2026@1").exit_code == 0
    published = kpi("rulesets", "publish", "TH-2026@2")
    assert published.exit_code == 0, published.output
    assert "1 đơn vị đang áp dụng phiên bản cũ" in published.output
    assert "TH-HAC-THANH-2026" in published.output
    assert "TH-HAC-THANH-2026" in kpi("rulesets", "review").output


def test_publish_without_a_legal_basis_is_refused_by_the_cli(kpi, tmp_path):
    """The rule lives in `versions.publish`: the CLI refuses as the admin does."""
    assert kpi("rulesets", "load", str(SHIPPED / "quoc-gia")).exit_code == 0
    source = (SHIPPED / "quoc-gia" / "nd-335-2025.kpi").read_text(encoding="utf-8")
    lines = [line for line in source.split("\n") if not line.strip().startswith("căn cứ")]
    draft = tmp_path / "khong-can-cu.kpi"
    draft.write_text("\n".join(lines).replace("phiên bản 1", "phiên bản 2", 1), encoding="utf-8")
    saved = kpi("rulesets", "save", str(draft))
    assert saved.exit_code == 0, saved.output
    refused = kpi("rulesets", "publish", "ND335-2025@2")
    assert refused.exit_code == 1 and "chưa có căn cứ pháp lý" in refused.output, refused.output
