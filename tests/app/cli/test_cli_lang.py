"""`kpi check/test/eval/fmt/diff` on a small ruleset written for these tests."""

import json
import re
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from app.cli.main import cli

RULESET = """\
bộ quy tắc "TEST-CLI" phiên bản 1
  tên "Bộ quy tắc kiểm thử CLI"
  căn cứ "Nghị định 335/2025/NĐ-CP" điều 12, 14, 20
  hiệu lực từ 01/01/2026
  kỳ tháng
  làm tròn 2 chữ số

tham số mức_trừ = 25% cho phép 0% đến 50% "Mức trừ mỗi lần chậm"

mỗi nhiệm vụ:
  giao = khối_lượng_giao × hệ_số_quy_đổi
  đạt = nhỏ_nhất(khối_lượng_hoàn_thành, khối_lượng_giao) × hệ_số_quy_đổi
  đạt_tiến_độ = đạt × lớn_nhất(0, 1 - mức_trừ × số_lần_chậm)

tiêu chí a "Số lượng" theo điều 14 = tỷ_lệ(tổng(đạt), tổng(giao), 0)
tiêu chí c "Tiến độ" theo điều 14 = tỷ_lệ(tổng(đạt_tiến_độ), tổng(giao), 0)

điểm = điểm_tiêu_chí_chung + trung_bình(a, c) × 70%

xếp loại theo điều 20:
  "Tốt" nếu điểm >= 70
  "Không tốt" còn lại

đầu ra thưởng "Thưởng" = nếu xếp_loại = "Tốt" thì 1 ngược lại 0

kiểm thử "chậm một lần":
  nhiệm vụ 3 lần (trạng_thái "Hoàn thành")
  nhiệm vụ (trạng_thái "Hoàn thành", số_lần_chậm 1)
  đầu vào (điểm_tiêu_chí_chung 28)
  mong đợi a 100, c 93.75, điểm 95.81, xếp loại "Tốt"
"""

BAD = RULESET.replace("tổng(đạt_tiến_độ)", "tổng(dat_tien_do)")
BAD_LINE = 16

PEOPLE = "Mã cán bộ;Họ và tên;Đơn vị\nCB1;Nguyễn Văn A;P1\nCB2;Trần Thị B;P1\n"
TASKS = (
    "Mã nhiệm vụ,Mã cán bộ,Kỳ,Trạng thái,Hạn hoàn thành,Ngày hoàn thành,Khối lượng giao,Hệ số quy đổi\n"
    "T1,CB1,2026-01,Hoàn thành,10/01/2026,09/01/2026,1,1\n"
    "T2,CB1,2026-01,Hoàn thành,10/01/2026,09/01/2026,1,1\n"
    "T3,CB1,2026-01,Hoàn thành,10/01/2026,09/01/2026,1,1\n"
    "T4,CB1,2026-01,Hoàn thành,10/01/2026,12/01/2026,1,1\n"  # late once
    'T5,CB2,2026-01,Đang thực hiện,10/01/2026,,"2,5",1\n'
)
INPUTS = "Mã cán bộ,Kỳ,Điểm tiêu chí chung\nCB1,2026-01,28\nCB2,2026-01,20\n"


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def files(tmp_path):
    paths = {}
    for name, text in (
        ("r.kpi", RULESET),
        ("nguoi.csv", PEOPLE),
        ("nhiem-vu.csv", TASKS),
        ("dau-vao.csv", INPUTS),
    ):
        paths[name] = tmp_path / name
        paths[name].write_text(text, encoding="utf-8")
    return paths


def eval_args(files, *extra):
    return [
        "eval", str(files["r.kpi"]), "--people", str(files["nguoi.csv"]), "--tasks", str(files["nhiem-vu.csv"]),
        "--inputs", str(files["dau-vao.csv"]), *extra,
    ]  # fmt: skip


def test_check_ok(runner, files):
    result = runner.invoke(cli, ["check", str(files["r.kpi"])])
    assert result.exit_code == 0, result.output


def test_check_reports_errors_like_a_compiler(runner, tmp_path):
    bad = tmp_path / "bad.kpi"
    bad.write_text(BAD, encoding="utf-8")
    result = runner.invoke(cli, ["check", str(bad)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    heads = [line for line in lines if re.match(rf"^{re.escape(str(bad))}:\d+:\d+: lỗi\[E\d{{4}}\]: ", line)]
    assert heads and "[E0102]" in heads[0]  # unknown name, with a suggestion
    line_no, col = map(int, heads[0].split(":")[1:3])
    assert (line_no, col) == (BAD_LINE, BAD.splitlines()[BAD_LINE - 1].index("dat_tien_do") + 1)
    index = lines.index(heads[0])
    assert lines[index + 1].startswith("   16 | tiêu chí c")
    assert lines[index + 2].lstrip(" |").startswith("^")
    assert lines[index + 2].index("^") == lines[index + 1].index("dat_tien_do")


def test_check_json(runner, tmp_path):
    bad = tmp_path / "bad.kpi"
    bad.write_text(BAD, encoding="utf-8")
    result = runner.invoke(cli, ["check", "--format", "json", str(bad)])
    assert result.exit_code == 1
    items = json.loads(result.stdout)
    assert items and set(items[0]) == {
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "severity",
        "code",
        "message",
    }
    assert any(i["code"] == "E0102" and i["line"] == BAD_LINE and i["severity"] == "error" for i in items)


@pytest.mark.parametrize("content", [b"\x00\x01garbage\xff\xfe", "}}} ))) nếu nếu\n\tx".encode(), b""])
def test_check_garbage_never_tracebacks(runner, tmp_path, content):
    path = tmp_path / "g.kpi"
    path.write_bytes(content)
    result = runner.invoke(cli, ["check", str(path)])
    assert result.exit_code in (1, 2)
    assert "Traceback" not in result.output
    assert not result.exception or isinstance(result.exception, SystemExit)


def test_test_command(runner, files, tmp_path):
    result = runner.invoke(cli, ["test", str(files["r.kpi"])])
    assert result.exit_code == 0 and "✓ chậm một lần" in result.output
    failing = tmp_path / "f.kpi"
    failing.write_text(RULESET.replace("điểm 95.81", "điểm 95.8"), encoding="utf-8")
    result = runner.invoke(cli, ["test", str(failing)])
    assert result.exit_code == 1 and "✗ chậm một lần" in result.output


def test_eval_json_shape_and_numbers(runner, files):
    result = runner.invoke(cli, eval_args(files, "--format", "json"))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"ruleset", "period", "results"}
    assert data["ruleset"]["code"] == "TEST-CLI" and data["ruleset"]["version"] == 1
    assert len(data["ruleset"]["sha256"]) == 64
    assert data["period"] == "2026-01"
    first, second = data["results"]
    assert first == {
        "person": "CB1", "unit": "P1", "criteria": {"a": 100.0, "c": 93.75}, "score": 95.81, "level": "Tốt",
        "level_before_quota": "Tốt", "vetoes": [], "outputs": {"thưởng": 1.0},
    }  # fmt: skip
    assert second["criteria"] == {"a": 0.0, "c": 0.0} and second["level"] == "Không tốt"
    assert "explanation" not in first
    explained = json.loads(runner.invoke(cli, eval_args(files, "--format", "json", "--explain")).stdout)
    assert explained["results"][0]["explanation"]


def test_eval_table_csv_xlsx(runner, files, tmp_path):
    result = runner.invoke(cli, eval_args(files))
    assert result.exit_code == 0
    head = result.stdout.splitlines()[0]
    for word in ("Mã cán bộ", "Đơn vị", "Điểm", "Xếp loại", "Trước hạn mức", "Loại trừ", "Thưởng"):
        assert word in head
    out = tmp_path / "kq.csv"
    assert runner.invoke(cli, eval_args(files, "--output", str(out))).exit_code == 0
    text = out.read_text(encoding="utf-8-sig").splitlines()
    assert text[0].startswith("Mã cán bộ,Đơn vị,Kỳ,a,c,Điểm") and text[1].startswith(
        "CB1,P1,2026-01,100.00,93.75,95.81,Tốt"
    )
    xlsx = tmp_path / "kq.xlsx"
    assert runner.invoke(cli, eval_args(files, "--format", "xlsx", "--output", str(xlsx))).exit_code == 0
    ws = openpyxl.load_workbook(xlsx).active
    assert ws["F2"].value == 95.81 and ws["A1"].font.bold and ws.freeze_panes == "A2"


def test_eval_params(runner, files):
    result = runner.invoke(cli, eval_args(files, "--format", "json", "--param", "mức_trừ=50%"))
    assert result.exit_code == 0
    assert json.loads(result.stdout)["results"][0]["criteria"]["c"] == 87.5
    same = runner.invoke(cli, eval_args(files, "--format", "json", "--param", "muc_tru=0,5"))
    assert same.exit_code == 1 and "mức_trừ" in same.output  # unknown name: suggestion
    for bad in ("mức_trừ=60%", "mức_trừ=1.234", "mức_trừ", "không_có=1"):
        result = runner.invoke(cli, eval_args(files, "--param", bad))
        assert result.exit_code == 1, bad
        assert "Traceback" not in result.output


def test_eval_bad_data_names_file_row_and_column(runner, files):
    files["nhiem-vu.csv"].write_text(
        TASKS.replace("T2,CB1,2026-01,Hoàn thành,10/01/2026", "T2,CB1,2026-01,Xong,31/02/2026"),
        encoding="utf-8",
    )
    result = runner.invoke(cli, eval_args(files))
    assert result.exit_code == 1
    assert 'dòng 3, cột "Trạng thái"' in result.output
    assert 'dòng 3, cột "Hạn hoàn thành"' in result.output


def test_eval_ruleset_with_errors(runner, files):
    files["r.kpi"].write_text(BAD, encoding="utf-8")
    result = runner.invoke(cli, eval_args(files))
    assert result.exit_code == 1 and "lỗi[E0102]" in result.output


def test_fmt(runner, files, tmp_path):
    messy = tmp_path / "m.kpi"
    messy.write_text(RULESET.replace("tham số mức_trừ = 25%", "tham số   mức_trừ =   25%"), encoding="utf-8")
    assert runner.invoke(cli, ["fmt", "--check", str(messy)]).exit_code == 1
    printed = runner.invoke(cli, ["fmt", str(messy)])
    assert printed.exit_code == 0 and "tham số mức_trừ = 25%" in printed.stdout
    assert runner.invoke(cli, ["fmt", "--write", str(messy)]).exit_code == 0
    assert runner.invoke(cli, ["fmt", "--check", str(messy)]).exit_code == 0


def test_diff(runner, files, tmp_path):
    new = tmp_path / "new.kpi"
    new.write_text(
        RULESET.replace("phiên bản 1", "phiên bản 2").replace("= 25% cho phép", "= 20% cho phép"),
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["diff", str(files["r.kpi"]), str(new)])
    assert result.exit_code == 1  # different, as diff(1) says
    assert "~ Phiên bản: 1 → 2" in result.stdout
    assert "mức_trừ" in result.stdout and "25% → 20%" in result.stdout
    data = json.loads(runner.invoke(cli, ["diff", "--format", "json", str(files["r.kpi"]), str(new)]).stdout)
    assert {(c["area"], c["key"]) for c in data} == {("đầu tệp", "phiên bản"), ("tham số", "mức_trừ")}
    same = runner.invoke(cli, ["diff", str(files["r.kpi"]), str(files["r.kpi"])])
    assert same.exit_code == 0 and "Không có thay đổi" in same.stdout


def test_demo_run(runner):
    result = runner.invoke(cli, ["demo-run", "--people", "12"])
    assert result.exit_code == 0, result.output
    assert "Xếp loại" in result.stdout and "CB00012" in result.stdout


@pytest.mark.parametrize("ruleset", ["ha-noi/hn-3814-thang.kpi", "khanh-hoa/kh-2025.kpi"])
def test_demo_run_fits_sample_data_to_local_rulesets(runner, ruleset):
    """Hà Nội's general score is 0–20 and Khánh Hòa requires a further input: the sample fits both."""
    root = Path(__file__).resolve().parents[3]
    result = runner.invoke(cli, ["demo-run", "--people", "12", "--ruleset", str(root / "rulesets" / ruleset)])
    assert result.exit_code == 0, result.output
    assert "CB00012" in result.stdout


def test_check_and_test_a_directory(runner, files, tmp_path):
    assert runner.invoke(cli, ["check", str(tmp_path)]).exit_code == 0
    result = runner.invoke(cli, ["test", str(tmp_path)])
    assert result.exit_code == 0 and "1 ca đạt" in result.output
    empty = tmp_path / "empty"
    empty.mkdir()
    assert runner.invoke(cli, ["check", str(empty)]).exit_code == 2


def test_eval_roll_up_with_results(runner, tmp_path):
    year = Path(__file__).resolve().parents[3] / "rulesets/quoc-gia/nd-335-2025-nam.kpi"
    people = tmp_path / "nguoi.csv"
    people.write_text(PEOPLE, encoding="utf-8")
    months = [92, 88.5, 90.5, 91, 86, 89, 93]  # domain.md example 4: mean 90.00
    lines = ["Mã cán bộ,Kỳ,Điểm,Xếp loại"]
    for i, score in enumerate(months, start=1):
        level = "Hoàn thành xuất sắc nhiệm vụ" if score >= 90 else "Hoàn thành tốt nhiệm vụ"
        lines.append(f"CB1,2026-{i:02d},{score},{level}")
        lines.append(f"CB2,2026-{i:02d},70,Hoàn thành tốt nhiệm vụ")
    results = tmp_path / "ket-qua.csv"
    results.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = [
        "eval",
        str(year),
        "--people",
        str(people),
        "--results",
        str(results),
        "--period",
        "2026",
        "--format",
        "json",
    ]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["period"] == "2026"
    first = data["results"][0]
    assert first["person"] == "CB1" and first["score"] == 90.0
    assert first["level_before_quota"] == "Hoàn thành xuất sắc nhiệm vụ"


def test_check_and_test_report_a_file_that_is_not_utf8_and_go_on(runner, files, tmp_path):
    latin = tmp_path / "latin1.kpi"
    latin.write_bytes(RULESET.replace("Bộ quy tắc kiểm thử CLI", "Phat").encode() + b"# ph\xe1t\n")
    bad_line = RULESET.count("\n") + 1
    result = runner.invoke(cli, ["check", "--format", "json", str(latin), str(files["r.kpi"])])
    assert result.exit_code == 1, result.output
    items = json.loads(result.stdout)
    assert [(d["code"], d["line"], d["column"], d["file"]) for d in items] == [
        ("E0005", bad_line, 5, str(latin))
    ]
    text = runner.invoke(cli, ["check", str(latin), str(files["r.kpi"])])
    assert text.exit_code == 1 and f"{latin}:{bad_line}:5: lỗi[E0005]" in text.stdout
    assert "Traceback" not in text.output and "2 tệp" in text.stderr
    tested = runner.invoke(cli, ["test", str(latin), str(files["r.kpi"])])
    assert tested.exit_code == 1
    assert "[E0005]" in tested.stderr and "✓ chậm một lần" in tested.stdout


def test_check_a_4300_digit_number_is_a_diagnostic(runner, tmp_path):
    """issue 10: a 4,300-digit literal was an internal error; it is E0004 with exit 1, no traceback."""
    huge = tmp_path / "huge.kpi"
    huge.write_text(RULESET.replace("× 70%", "× 70% + " + "9" * 4300), encoding="utf-8")
    result = runner.invoke(cli, ["check", "--format", "json", str(huge)])
    assert result.exit_code == 1, result.output
    assert [d["code"] for d in json.loads(result.stdout)] == ["E0004"]
    text = runner.invoke(cli, ["check", str(huge)])
    assert text.exit_code == 1 and "lỗi[E0004]" in text.stdout
    assert "Traceback" not in text.output and "nội bộ" not in text.output
