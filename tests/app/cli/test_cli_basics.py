"""CLI behaviour that does not need a working ruleset: usage, I/O errors, sample data."""

import hashlib

import pytest
from click.testing import CliRunner

from app.cli.main import cli


@pytest.fixture
def runner():
    return CliRunner()


def no_traceback(result):
    return (
        "Traceback" not in result.output
        and result.exception is None
        or isinstance(result.exception, SystemExit)
    )


def test_help_lists_commands(runner):
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in ("check", "test", "eval", "fmt", "diff", "sample", "demo-run"):
        assert name in result.output


@pytest.mark.parametrize(
    "args",
    [["nope"], ["check"], ["eval", "--bogus"], ["check", "--format", "xml", "x.kpi"], ["eval", "x.kpi"]],
)
def test_usage_errors_exit_2_in_vietnamese(runner, args):
    result = runner.invoke(cli, args)
    assert result.exit_code == 2
    assert "Lỗi cách dùng" in result.output
    assert no_traceback(result)


def test_check_missing_file_exit_2(runner, tmp_path):
    result = runner.invoke(cli, ["check", str(tmp_path / "none.kpi")])
    assert result.exit_code == 2
    assert "không tìm thấy tệp" in result.output


def test_eval_missing_data_file_exit_2(runner, tmp_path):
    kpi = tmp_path / "r.kpi"
    kpi.write_text("x", encoding="utf-8")
    result = runner.invoke(
        cli, ["eval", str(kpi), "--people", str(tmp_path / "p.csv"), "--tasks", str(tmp_path / "t.csv")]
    )
    assert result.exit_code == 2 and "không tìm thấy tệp" in result.output


def test_eval_xlsx_needs_output(runner, tmp_path):
    result = runner.invoke(cli, ["eval", "r.kpi", "--people", "p", "--tasks", "t", "--format", "xlsx"])
    assert result.exit_code == 2


def digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_sample_is_deterministic(runner, tmp_path):
    args = ["sample", "--people", "40", "--tasks-per-person", "5", "--seed", "7"]
    assert runner.invoke(cli, [*args, "--out", str(tmp_path / "a")]).exit_code == 0
    assert runner.invoke(cli, [*args, "--out", str(tmp_path / "b")]).exit_code == 0
    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    assert set(digest(tmp_path / "a")) == {"don-vi.csv", "nguoi.csv", "nhiem-vu.csv", "dau-vao.csv"}
    other = runner.invoke(
        cli,
        ["sample", "--people", "40", "--tasks-per-person", "5", "--seed", "8", "--out", str(tmp_path / "c")],
    )
    assert other.exit_code == 0 and digest(tmp_path / "c") != digest(tmp_path / "a")


def test_sample_files_load_as_a_dataset(tmp_path):
    from app.sample import generate
    from app.tabular import load_dataset

    files = generate(tmp_path, people=70, tasks_per_person=10, seed=3)
    ds = load_dataset(files["people"], files["tasks"], files["inputs"])
    assert len(ds.people) == 70 and ds.period == "2026-01"
    leaders = [p for p in ds.people if p.leader]
    assert leaders and all(p.manager for p in ds.people if not p.leader)
    statuses = set(ds.task_columns["trạng_thái"].tolist())
    assert {"Hoàn thành", "Đang thực hiện"} <= statuses
    assert len(ds.inputs) == 70


def test_a_broken_command_module_does_not_break_help(runner, monkeypatch):
    from app.cli import main as cli_main

    monkeypatch.setitem(cli_main.COMMANDS, "hong", "app.cli.no_such_module:x")
    monkeypatch.delenv("KPI_DEBUG", raising=False)
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0 and "hong" in result.output and "check" in result.output
    result = runner.invoke(cli, ["hong"])
    assert result.exit_code == 2 and "chưa dùng được" in result.output


def test_unexpected_exception_is_not_a_traceback(runner, monkeypatch, tmp_path):
    import app.cli.common as common

    def boom(path):
        raise RuntimeError("hỏng")

    monkeypatch.setattr(common, "check_path", boom)
    monkeypatch.setattr("app.cli.lang.check_path", boom)
    monkeypatch.delenv("KPI_DEBUG", raising=False)
    result = runner.invoke(cli, ["check", str(tmp_path / "x.kpi")])
    assert result.exit_code == 2 and "Lỗi nội bộ" in result.output and "Traceback" not in result.output


def test_help_screens_are_in_vietnamese(runner):
    from app.cli.main import cli

    result = runner.invoke(cli, ["eval", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())  # help text wraps at the terminal's width
    assert "Cách dùng:" in text and "Tùy chọn:" in text and "[bắt buộc]" in text
    assert "Usage:" not in text and "Options:" not in text and "required" not in text
