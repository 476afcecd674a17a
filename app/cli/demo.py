"""`kpi sample` (write sample data files) and `kpi demo-run` (sample data + `kpi eval`, in one go)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import click

from .main import CliError, help_option

DEFAULT_RULESET = "rulesets/quoc-gia/nd-335-2025.kpi"


def _sample_shape(ruleset_path: str | None) -> dict:
    """generate()'s keyword arguments that fit a ruleset: its extra numeric inputs, and the range of its
    general-criteria score (Hà Nội's is 0–20, not 0–30)."""
    extra = _extra_inputs_of(ruleset_path)
    general_max = 30
    if ruleset_path:
        from .common import check_path

        result = check_path(ruleset_path)
        for decl in result.ruleset.inputs if result.ruleset is not None else ():
            if decl.name == "điểm_tiêu_chí_chung" and getattr(decl.type.high, "value", None) is not None:
                general_max = int(decl.type.high.value)
    return {"extra_inputs": extra, "general_max": general_max}


def _extra_inputs_of(ruleset_path: str | None):
    """Sample columns for the numeric inputs a ruleset declares beyond the standard ones."""
    if not ruleset_path:
        return ()
    from app.sample import ExtraInput
    from dsl.fields import STANDARD_INPUTS

    from .common import check_path

    result = check_path(ruleset_path)
    if result.ruleset is None:
        return ()
    standard = {s.name for s in STANDARD_INPUTS}
    out = []
    for decl in result.ruleset.inputs:
        if decl.name in standard or decl.type.kind != "số":
            continue
        low = getattr(decl.type.low, "value", 0) or 0
        high = getattr(decl.type.high, "value", 100) or 100
        label = decl.title or decl.name.replace("_", " ")
        # a required input (no default) gets a value for everyone; an optional one for leaders only
        out.append(ExtraInput(label, int(low), int(high), leaders_only=decl.default is not None))
    return tuple(out)


@click.command("sample")
@help_option
@click.option("--people", default=60, show_default=True, type=click.IntRange(1, 1_000_000), help="Số cán bộ.")
@click.option(
    "--tasks-per-person",
    default=20,
    show_default=True,
    type=click.IntRange(1, 1000),
    help="Số nhiệm vụ bình quân.",
)
@click.option(
    "--seed",
    default=1,
    show_default=True,
    type=int,
    help="Hạt giống ngẫu nhiên (cùng hạt giống, cùng dữ liệu).",
)
@click.option("--period", default="2026-01", show_default=True, help="Tháng của dữ liệu (yyyy-mm).")
@click.option("--ruleset", help="Thêm cột cho các đầu vào số mà bộ quy tắc này khai báo.")
@click.option("--out", "out_dir", required=True, help="Thư mục ghi các tệp CSV.")
def sample(people, tasks_per_person, seed, period, ruleset, out_dir) -> None:
    """Tạo dữ liệu mẫu: don-vi.csv, nguoi.csv, nhiem-vu.csv, dau-vao.csv."""
    from app.sample import generate
    from app.tabular.values import parse_period

    try:
        month = parse_period(period)
    except ValueError as exc:
        raise CliError(f"--period: {exc}", 2) from None
    if month is None or len(month) != 7 or "Q" in month:
        raise CliError("--period: cần một tháng, ví dụ 2026-01", 2)
    try:
        files = generate(out_dir, people, tasks_per_person, seed, month, **_sample_shape(ruleset))
    except OSError as exc:
        raise CliError(f"{out_dir}: không ghi được ({exc.strerror or exc})", 2) from None
    for path in files.values():
        click.echo(str(path))


@click.command("demo-run")
@help_option
@click.option("--ruleset", default=DEFAULT_RULESET, show_default=True, help="Bộ quy tắc để chạy.")
@click.option("--people", default=30, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--seed", default=1, show_default=True, type=int)
@click.pass_context
def demo_run(ctx: click.Context, ruleset: str, people: int, seed: int) -> None:
    """Tạo dữ liệu mẫu vào một thư mục tạm và chấm điểm bằng bộ quy tắc quốc gia."""
    from app.sample import generate

    from .evaluate import eval_command

    path = Path(ruleset)
    if not path.is_file():
        here = Path(__file__).resolve().parents[2] / ruleset
        if not here.is_file():
            raise CliError(f"{ruleset}: không tìm thấy bộ quy tắc (chạy lệnh từ thư mục dự án)", 2)
        path = here
    with tempfile.TemporaryDirectory(prefix="kpi-demo-") as tmp:
        files = generate(tmp, people, 20, seed, "2026-01", **_sample_shape(str(path)))
        click.echo(f"Dữ liệu mẫu: {people} cán bộ, kỳ 2026-01 ({tmp})", err=True)
        ctx.invoke(
            eval_command, ruleset=str(path), people=str(files["people"]), tasks=str(files["tasks"]),
            inputs=str(files["inputs"]), results=None, period="2026-01", param_options=(), fmt="table",
            output=None, explain=False,
        )  # fmt: skip
