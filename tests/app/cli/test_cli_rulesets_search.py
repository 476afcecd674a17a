"""Where `kpi check|test|eval|fmt|diff` look for an adopted ruleset: --rulesets, KPI_RULESETS_DIR, the
files named on the command line and the file's own `rulesets` folder; never the working folder alone.
E0601 says where it looked; two files with the same code and version are an error naming both."""

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli.main import cli

ROOT = Path(__file__).resolve().parents[3]
PROVINCE = ROOT / "rulesets/thanh-hoa/th-2026.kpi"
WARD = ROOT / "rulesets/thanh-hoa/phuong-hac-thanh.kpi"


@pytest.fixture
def runner(monkeypatch):
    monkeypatch.delenv("KPI_RULESETS_DIR", raising=False)
    return CliRunner()


@pytest.fixture
def tree(tmp_path):
    """tinh/th-2026.kpi (the province) and phuong/p.kpi (the ward adopting it), in unrelated folders."""
    (tmp_path / "tinh").mkdir()
    (tmp_path / "phuong").mkdir()
    shutil.copy(PROVINCE, tmp_path / "tinh" / "th-2026.kpi")
    shutil.copy(WARD, tmp_path / "phuong" / "p.kpi")
    return tmp_path


def codes(result) -> list[str]:
    return [d["code"] for d in json.loads(result.stdout)]


def test_not_found_says_where_it_looked(runner, tree):
    result = runner.invoke(cli, ["check", "--format", "json", str(tree / "phuong" / "p.kpi")])
    assert result.exit_code == 1
    (diag,) = [d for d in json.loads(result.stdout) if d["code"] == "E0601"]
    assert str(tree / "phuong") in diag["message"] and "--rulesets" in diag["message"]


def test_the_working_folder_alone_is_never_searched(runner, tree, monkeypatch):
    (tree / "rulesets").mkdir()
    shutil.copy(PROVINCE, tree / "rulesets" / "th-2026.kpi")
    monkeypatch.chdir(tree)
    result = runner.invoke(cli, ["check", "--format", "json", "phuong/p.kpi"])
    assert result.exit_code == 1 and "E0601" in codes(result)


@pytest.mark.parametrize("how", ["option", "environment", "command line"])
def test_check_finds_the_province_by_option_environment_or_command_line(runner, tree, monkeypatch, how):
    ward, province = str(tree / "phuong" / "p.kpi"), str(tree / "tinh" / "th-2026.kpi")
    args = ["check", ward]
    if how == "option":
        args += ["--rulesets", str(tree / "tinh")]
    elif how == "environment":
        monkeypatch.setenv("KPI_RULESETS_DIR", str(tree / "tinh"))
    else:
        args.append(province)
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output


def test_test_eval_diff_and_fmt_take_the_option(runner, tree, tmp_path):
    ward, option = str(tree / "phuong" / "p.kpi"), ["--rulesets", str(tree / "tinh")]
    assert runner.invoke(cli, ["test", ward, *option]).exit_code == 0
    assert runner.invoke(cli, ["test", ward]).exit_code == 1
    assert runner.invoke(cli, ["diff", ward, ward, *option]).exit_code == 0
    assert runner.invoke(cli, ["diff", ward, ward]).exit_code == 1
    assert runner.invoke(cli, ["fmt", "--check", ward, *option]).exit_code == 0
    people = tmp_path / "nguoi.csv"
    people.write_text("Mã cán bộ,Họ và tên,Đơn vị\nCB1,A,P1\n", encoding="utf-8")
    tasks = tmp_path / "nhiem-vu.csv"
    tasks.write_text("Mã nhiệm vụ,Mã cán bộ,Kỳ,Trạng thái\nT1,CB1,2026-01,Hoàn thành\n", encoding="utf-8")
    inputs = tmp_path / "dau-vao.csv"
    inputs.write_text("Mã cán bộ,Kỳ,Điểm tiêu chí chung\nCB1,2026-01,30\n", encoding="utf-8")
    data = ["--people", str(people), "--tasks", str(tasks), "--inputs", str(inputs), "--format", "json"]
    result = runner.invoke(cli, ["eval", ward, *data, *option])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["results"][0]["score"] == 100.0
    assert runner.invoke(cli, ["eval", ward, *data]).exit_code == 1


def test_two_files_with_the_same_code_and_version_are_an_error_naming_both(runner, tree):
    shutil.copy(PROVINCE, tree / "tinh" / "ban-sao.kpi")
    result = runner.invoke(
        cli, ["check", "--format", "json", str(tree / "phuong" / "p.kpi"), "--rulesets", str(tree / "tinh")]
    )
    assert result.exit_code == 1
    (diag,) = [d for d in json.loads(result.stdout) if d["code"] == "E0601"]
    assert "ban-sao.kpi" in diag["message"] and "th-2026.kpi" in diag["message"]
