"""What docs/ngon-ngu-quy-tac.md promises about the command line is what the command line does."""

from pathlib import Path

from click.testing import CliRunner

from app.cli.main import cli

ROOT = Path(__file__).resolve().parents[3]
GUIDE = ROOT / "docs/ngon-ngu-quy-tac.md"
NATIONAL = ROOT / "rulesets/quoc-gia/nd-335-2025.kpi"


def test_param_refusals_printed_by_kpi_eval_are_the_ones_the_guide_shows(tmp_path):
    people = tmp_path / "nguoi.csv"
    people.write_text("Mã cán bộ,Họ và tên,Đơn vị\nCB1,A,P1\n", encoding="utf-8")
    tasks = tmp_path / "nhiem-vu.csv"
    tasks.write_text("Mã nhiệm vụ,Mã cán bộ,Kỳ,Trạng thái\nT1,CB1,2026-01,Hoàn thành\n", encoding="utf-8")
    args = ["eval", str(NATIONAL), "--people", str(people), "--tasks", str(tasks)]
    guide = " ".join(GUIDE.read_text(encoding="utf-8").split())
    for option in ("ngưỡng_xuất_sắc=85", "mức_trừ_sai_sót=60%"):  # locked; outside 0%–50%
        result = CliRunner().invoke(cli, [*args, "--param", option])
        assert result.exit_code == 1
        message = result.output.strip()
        assert message and message in guide, message
