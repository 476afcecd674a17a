"""`kpi eval`: run a ruleset on people/tasks/inputs files and write the results."""

from __future__ import annotations

import contextlib
import gc
import sys
from pathlib import Path

import click

from .common import (
    RulesetSearch,
    SourceCache,
    check_output_path,
    checked_ruleset,
    echo_out,
    rulesets_option,
    write_output,
)
from .main import CliError, help_option

_FORMATS = ("table", "json", "csv", "xlsx")


def parse_param_options(options: tuple[str, ...], ruleset) -> dict[str, object]:
    """`NAME=VALUE` options typed by each parameter's declared literal (app.services.param_values)."""
    from app.services.errors import ServiceError
    from app.services.param_values import parse_params

    try:
        return parse_params(options, ruleset)
    except ServiceError as exc:
        raise CliError("\n".join(exc.details), 1) from None


def _output_format(fmt: str | None, output: str | None) -> str:
    if fmt:
        return fmt
    suffix = Path(output).suffix.lower().lstrip(".") if output else ""
    return suffix if suffix in _FORMATS else "table"


@click.command("eval")
@help_option
@click.argument("ruleset")
@click.option("--people", "people", required=True, help="Tệp cán bộ (nguoi.csv/.xlsx/.json).")
@click.option("--tasks", "tasks", help="Tệp nhiệm vụ (nhiem-vu.csv/.xlsx/.json).")
@click.option("--inputs", "inputs", help="Tệp đầu vào theo kỳ (dau-vao.csv).")
@click.option("--results", "results", help="Kết quả các kỳ con (bộ quy tắc tổng hợp).")
@click.option("--period", help="Kỳ đánh giá: 2026-01, 2026-Q1, 2026.")
@click.option(
    "--param",
    "param_options",
    multiple=True,
    help="Đặt tham số: TÊN=GIÁ_TRỊ (lặp lại được); chỉ tham số có 'cho phép', trong khoảng cho phép.",
)
@click.option("--format", "fmt", type=click.Choice(_FORMATS), help="Dạng kết quả (mặc định: bảng).")
@click.option("--output", "output", help="Ghi kết quả vào tệp.")
@click.option("--explain", is_flag=True, help="Kèm giải thích từng bước tính.")
@rulesets_option
def eval_command(
    ruleset, people, tasks, inputs, results, period, param_options, fmt, output, explain, rulesets_dirs
) -> None:
    """Chấm điểm và xếp loại theo bộ quy tắc RULESET."""
    fmt = _output_format(fmt, output)
    if fmt == "xlsx" and not output:
        raise CliError("dạng xlsx cần --output TỆP.xlsx", 2)
    if tasks is None and results is None:
        raise CliError("cần --tasks (hoặc --results cho bộ quy tắc tổng hợp)", 2)
    for path in (people, tasks, inputs, results):
        if path is not None and not Path(path).is_file():
            why = (
                "không phải tệp thông thường (thư mục, thiết bị, FIFO…)"
                if Path(path).exists()
                else "không tìm thấy tệp"
            )
            raise CliError(f"{path}: {why}", 2)
    if output:
        check_output_path(output)  # before the work, not after it
    if period is not None:
        from app.tabular.values import parse_period

        try:
            period = parse_period(period)
        except ValueError as exc:
            raise CliError(f"--period: {exc}", 2) from None

    sources = SourceCache()
    checked = checked_ruleset(ruleset, sources, RulesetSearch.of(rulesets_dirs, (ruleset,)))
    effective = checked.ruleset
    kind = effective.header.period
    if period is not None:
        _check_period_kind(period, kind, effective.header.code)
    params = parse_param_options(param_options, effective)

    from dsl import run as dsl_run

    program = dsl_run.compile(checked)
    if params:
        problems = program.check_params(params)
        if problems:
            raise CliError("\n".join(problems), 1)
    with paused_gc():
        runs = _load_and_evaluate(program, effective, people, tasks, inputs, results, period, params, explain)
    _write(runs, effective, fmt, output, explain)


def _load_and_evaluate(program, effective, people, tasks, inputs, results, period, params, explain):
    """One run per period of the data (never one period's tasks with another's inputs)."""
    from app.tabular import TableErrors, load_datasets
    from dsl import run as dsl_run
    from dsl.errors import DslError, EvalError

    try:
        datasets = load_datasets(
            people,
            tasks,
            inputs,
            period=period,
            period_kind=effective.header.period,
            extra_task_fields=effective.fields,
            extra_inputs=effective.inputs,
            results_path=results,
            criteria=[c.code for c in effective.criteria],
            task_fields={f.name for f in program.needed_fields} | {"mã_nhiệm_vụ", "mã_cán_bộ", "kỳ"},
        )
    except TableErrors as exc:
        raise CliError(exc.render(), 1) from None
    runs = []
    for dataset in datasets:
        where = f" (kỳ {dataset.period})" if len(datasets) > 1 else ""
        try:
            runs.append(dsl_run.evaluate(program, dataset, params=params, explain=explain))
        except EvalError as exc:
            who = f" (cán bộ {exc.person})" if exc.person else ""
            message = exc.message.replace("; ", "\n  ") if len(exc.message) > 200 else exc.message
            raise CliError(f"lỗi khi tính{where} [{exc.code}]: {message}{who}", 1) from None
        except DslError as exc:
            raise CliError(f"lỗi khi tính{where}: {exc}", 1) from None
    return runs


def _check_period_kind(period: str, kind: str | None, code: str) -> None:
    """A --period of another kind than the ruleset's `kỳ` (a quarter for a monthly ruleset) is refused
    once, instead of one missing-input error per person."""
    from app.tabular.periods import describe, fits

    if fits(period, kind):
        return
    example = {"tháng": "2026-01", "quý": "2026-Q1", "năm": "2026"}.get(kind, "")
    raise CliError(
        f"--period {period} là {describe(period)}, nhưng bộ quy tắc {code} chấm theo {kind}: "
        f"chọn một kỳ {kind}, ví dụ --period {example}",
        2,
    )


@contextlib.contextmanager
def paused_gc():
    """The cyclic GC paused for one command: loading builds millions of short-lived row lists and
    evaluation tens of thousands of result objects, no cycles, and the collector would only walk
    the dataset's object columns over and over (about 40% of a 1M-row load). The command's process
    ends soon after, so this is the CLI's business, not the libraries'."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def layout_of(ruleset):
    """How results of `ruleset` are written (app.tabular.writers.layout_of)."""
    from app.tabular import writers

    return writers.layout_of(ruleset)


def _write(runs, ruleset, fmt: str, output: str | None, explain: bool) -> None:
    from app.tabular import writers

    layout = layout_of(ruleset)
    if fmt == "xlsx":
        import io

        buffer = io.BytesIO()  # built in memory: a failing file never leaves openpyxl half-written
        writers.write_xlsx(runs, layout, buffer)
        write_output(output, buffer.getvalue())
    else:
        if fmt == "json":
            text = writers.dumps_json_periods(runs, layout, explain=explain)
        elif fmt == "csv":
            import io

            buffer = io.StringIO()
            writers.write_csv(runs, layout, buffer)
            text = buffer.getvalue()
        else:
            text = writers.format_tables(runs, layout, explain=explain)
        if output:
            write_output(output, text.encode("utf-8-sig" if fmt == "csv" else "utf-8"))
        else:
            echo_out(text)
    if output:
        count = sum(len(run.results) for run in runs)
        periods = f" của {len(runs)} kỳ ({', '.join(run.period for run in runs)})" if len(runs) > 1 else ""
        click.echo(f"Đã ghi {count} kết quả{periods} vào {output}", err=True)
    sys.stdout.flush()
