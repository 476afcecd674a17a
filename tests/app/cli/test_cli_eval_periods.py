"""`kpi eval` on data spanning several periods: each period evaluated on its own, never mixed; a
--period of another kind than the ruleset's `kỳ` refused once."""

import csv
import io
import json

import openpyxl
import pytest
from click.testing import CliRunner
from test_cli_lang import PEOPLE, RULESET

from app.cli.main import cli

# CB1: January all on time; February one task of two done. CB2: one task each month, not done.
TASKS = (
    "Mã nhiệm vụ,Mã cán bộ,Kỳ,Trạng thái,Hạn hoàn thành,Ngày hoàn thành,Khối lượng giao\n"
    "T1,CB1,2026-01,Hoàn thành,10/01/2026,09/01/2026,1\n"
    "T2,CB1,2026-02,Hoàn thành,10/02/2026,09/02/2026,1\n"
    "T3,CB1,2026-02,Đang thực hiện,20/02/2026,,1\n"
    "T4,CB2,,Đang thực hiện,15/01/2026,,1\n"  # no Kỳ: the deadline's month
    "T5,CB2,2026-02,Đang thực hiện,15/02/2026,,1\n"
)
INPUTS = "Mã cán bộ,Kỳ,Điểm tiêu chí chung\nCB1,2026-01,28\nCB2,2026-01,20\nCB1,2026-02,10\nCB2,2026-02,30\n"


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def files(tmp_path):
    paths = {}
    for name, text in (
        ("r.kpi", RULESET),
        ("q.kpi", RULESET.replace("kỳ tháng", "kỳ quý")),
        ("nguoi.csv", PEOPLE),
        ("nhiem-vu.csv", TASKS),
        ("dau-vao.csv", INPUTS),
    ):
        paths[name] = tmp_path / name
        paths[name].write_text(text, encoding="utf-8")
    return paths


def run(runner, files, *extra, ruleset="r.kpi"):
    args = [
        "eval", str(files[ruleset]), "--people", str(files["nguoi.csv"]), "--tasks", str(files["nhiem-vu.csv"]),
        "--inputs", str(files["dau-vao.csv"]), *extra,
    ]  # fmt: skip
    return runner.invoke(cli, args)


def scores(doc) -> dict[str, float]:
    return {r["person"]: r["score"] for r in doc["results"]}


def test_several_months_without_period_are_evaluated_each_on_its_own(runner, files):
    result = run(runner, files, "--format", "json")
    assert result.exit_code == 0, result.output
    january, february = json.loads(result.stdout)
    assert set(january) == {"ruleset", "period", "results"}  # each the single-period document
    assert (january["period"], february["period"]) == ("2026-01", "2026-02")
    # January: CB1 a = c = 100 → 28 + 70; CB2 0 + 20. February: CB1 a = c = 50 → 10 + 35; CB2 30.
    assert scores(january) == {"CB1": 98.0, "CB2": 20.0}
    assert scores(february) == {"CB1": 45.0, "CB2": 30.0}


def test_several_months_in_csv_xlsx_and_table_are_keyed_by_period(runner, files, tmp_path):
    result = run(runner, files, "--format", "csv")
    assert result.exit_code == 0, result.output
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {(r["Mã cán bộ"], r["Kỳ"], r["Điểm"]) for r in table} == {
        ("CB1", "2026-01", "98.00"), ("CB2", "2026-01", "20.00"),
        ("CB1", "2026-02", "45.00"), ("CB2", "2026-02", "30.00"),
    }  # fmt: skip
    xlsx = tmp_path / "kq.xlsx"
    result = run(runner, files, "--output", str(xlsx))
    assert result.exit_code == 0 and "2 kỳ" in result.stderr
    ws = openpyxl.load_workbook(xlsx).active
    assert [(row[0], row[2], row[5]) for row in ws.iter_rows(min_row=2, values_only=True)] == [
        ("CB1", "2026-01", 98.0), ("CB2", "2026-01", 20.0), ("CB1", "2026-02", 45.0), ("CB2", "2026-02", 30.0),
    ]  # fmt: skip
    text = run(runner, files).stdout
    assert text.index("Kỳ 2026-01") < text.index("kỳ 2026-01") < text.index("Kỳ 2026-02")


def test_one_month_of_tasks_takes_that_months_inputs_only(runner, files):
    files["nhiem-vu.csv"].write_text("\n".join(TASKS.splitlines()[:2]) + "\n", encoding="utf-8")
    result = run(runner, files, "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["period"] == "2026-01" and scores(doc)["CB1"] == 98.0  # 28 of January, not 10 of February


def test_period_of_another_kind_is_refused_once(runner, files):
    result = run(runner, files, "--period", "2026-Q1")
    assert result.exit_code == 2
    assert result.output.count("quý 1/2026") == 1 and "R1001" not in result.output
    assert "--period 2026-01" in result.output


def test_quarterly_ruleset_takes_each_month_into_its_quarter(runner, files):
    files["nhiem-vu.csv"].write_text(
        TASKS.replace("2026-02", "2026-04").replace("/02/", "/04/"), encoding="utf-8"
    )
    files["dau-vao.csv"].write_text(
        "Mã cán bộ,Kỳ,Điểm tiêu chí chung\nCB1,2026-Q1,28\nCB2,,20\nCB1,2026-Q2,10\n"
    )
    result = run(runner, files, "--format", "json", ruleset="q.kpi")
    assert result.exit_code == 0, result.output
    first, second = json.loads(result.stdout)
    assert (first["period"], second["period"]) == ("2026-Q1", "2026-Q2")
    assert scores(first) == {"CB1": 98.0, "CB2": 20.0} and scores(second) == {"CB1": 45.0, "CB2": 20.0}


def test_records_of_a_longer_period_than_the_rulesets_are_an_error(runner, files):
    files["nhiem-vu.csv"].write_text(TASKS.replace("T5,CB2,2026-02", "T5,CB2,2026-Q1"), encoding="utf-8")
    result = run(runner, files)
    assert result.exit_code == 1
    assert "2026-Q1" in result.output and "tháng" in result.output
