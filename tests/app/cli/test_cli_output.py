"""`kpi eval --output` into a place that cannot be written: a Vietnamese message, exit 2, no traceback
(checked in a real process: openpyxl's "Exception ignored … Traceback" goes straight to stderr)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
KPI = str(Path(sys.executable).with_name("kpi"))
RULESET = str(ROOT / "rulesets" / "quoc-gia" / "nd-335-2025.kpi")


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample")
    subprocess.run([KPI, "sample", "--people", "4", "--out", str(out)], check=True, capture_output=True)
    return out


def run_eval(sample: Path, output: str) -> subprocess.CompletedProcess:
    args = [KPI, "eval", RULESET, "--people", str(sample / "nguoi.csv"), "--tasks", str(sample / "nhiem-vu.csv"),
            "--inputs", str(sample / "dau-vao.csv"), "--period", "2026-01", "--output", output]  # fmt: skip
    return subprocess.run(args, capture_output=True, text=True, cwd=ROOT)


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "json"])
@pytest.mark.parametrize("where", ["missing folder", "folder", "unwritable"])
def test_output_that_cannot_be_written(sample, tmp_path, suffix, where):
    folder = tmp_path / f"kq.{suffix}"
    folder.mkdir()
    target = {
        "missing folder": str(tmp_path / "không-có" / f"kq.{suffix}"),
        "folder": str(folder),
        "unwritable": f"/proc/kq.{suffix}",  # refused even to root
    }[where]
    result = run_eval(sample, target)
    assert result.returncode == 2, result.stderr
    assert "không ghi được tệp" in result.stderr
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr
    assert result.stdout == ""


def test_output_written(sample, tmp_path):
    result = run_eval(sample, str(tmp_path / "kq.xlsx"))
    assert result.returncode == 0 and (tmp_path / "kq.xlsx").stat().st_size > 0, result.stderr
