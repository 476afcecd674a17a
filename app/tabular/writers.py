"""Writers of evaluation results: an aligned text table, JSON (the design's contract), CSV and XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from dsl.results import PersonResult, RunResult

from .cells import safe_cell, safe_row

NOT_RATED = "Không xếp loại"


@dataclass(frozen=True, slots=True)
class Layout:
    """What the columns are: criteria codes and outputs (name, title) in ruleset order, and rounding."""

    criteria: Sequence[str]
    outputs: Sequence[tuple[str, str]] = ()
    digits: int = 2
    mode: str = "nửa lên"


def layout_of(ruleset) -> Layout:
    """How results of `ruleset` (a dsl Ruleset) are written: its criteria, outputs and rounding."""
    rounding = ruleset.header.rounding
    return Layout(
        criteria=[c.code for c in ruleset.criteria],
        outputs=[(o.name, o.title or o.name) for o in ruleset.outputs],
        digits=rounding.digits,
        mode=rounding.mode,
    )


def round_scaled(x: Fraction | int | float, digits: int, mode: str = "nửa lên") -> int:
    """x × 10^digits rounded to an integer by the ruleset's mode ("nửa lên", "lên", "xuống"), exactly."""
    if isinstance(x, float):
        x = Fraction(repr(x))
    if isinstance(x, int):
        return x * 10**digits
    n, d = x.numerator * 10**digits, x.denominator
    if mode == "lên":
        return -((-n) // d)
    if mode == "xuống":
        return n // d
    q = (2 * abs(n) + d) // (2 * d)  # half-up, away from zero
    return q if n >= 0 else -q


def round_decimal(x: Fraction | int | float, digits: int, mode: str = "nửa lên") -> Decimal:
    """Exact rounding of a number to `digits` decimals by the ruleset's mode ("nửa lên", "lên", "xuống")."""
    return Decimal(round_scaled(x, digits, mode)).scaleb(-digits)


def round_float(x: Fraction | int | float, digits: int, mode: str = "nửa lên") -> float:
    """The rounded value as the float whose repr is its decimal (97.42 -> 97.42)."""
    return round_scaled(x, digits, mode) / 10**digits


def _number(x: object, layout: Layout) -> object:
    """A JSON-ready value: numbers rounded as the ruleset says; dates ISO; others as they are."""
    if isinstance(x, bool) or x is None or isinstance(x, str):
        return x
    if isinstance(x, (Fraction, int, float)):
        if layout.digits == 0:
            return round_scaled(x, 0, layout.mode)
        return round_float(x, layout.digits, layout.mode)
    if isinstance(x, (dt.date, dt.datetime)):
        return x.isoformat()
    return str(x)


def _text(x: object, layout: Layout) -> str:
    if x is None:
        return ""
    if isinstance(x, bool):
        return "có" if x else "không"
    if isinstance(x, (Fraction, int, float)):
        return str(round_decimal(x, layout.digits, layout.mode))
    if isinstance(x, dt.date):
        return x.strftime("%d/%m/%Y")
    return str(x)


def text_number(layout: Layout):
    """A fast `_text` for one layout: Fractions rounded half-up with integer arithmetic (the common case);
    anything else goes through `_text`."""
    digits, mode = layout.digits, layout.mode
    scale = 10**digits
    if mode in ("lên", "xuống") or digits <= 0:
        return lambda x, _layout=None: _text(x, layout)

    def text(x: object, _layout=None) -> str:
        if type(x) is not Fraction:
            return _text(x, layout)
        n, d = x.numerator * scale, x.denominator
        q = (2 * n + d) // (2 * d) if n >= 0 else -((d - 2 * n) // (2 * d))
        whole, frac = divmod(abs(q), scale)
        return f"{'-' if q < 0 else ''}{whole}.{frac:0{digits}d}"

    return text


def level_text(r: PersonResult) -> str:
    return NOT_RATED if r.not_rated or r.level is None else r.level


def json_number(layout: Layout):
    """A fast `_number` for one layout: Fractions (nearly every value) rounded with integer arithmetic."""
    digits, mode = layout.digits, layout.mode
    scale = 10**digits
    if mode not in ("lên", "xuống") and digits > 0:

        def number(x: object) -> object:
            if type(x) is Fraction:
                n, d = x.numerator * scale, x.denominator
                if d == 1:
                    return n / scale
                q = (2 * n + d) // (2 * d) if n >= 0 else -((d - 2 * n) // (2 * d))
                return q / scale
            return _number(x, layout)

        return number
    return lambda x: _number(x, layout)


def to_json(run: RunResult, layout: Layout, *, explain: bool = False) -> dict:
    number = json_number(layout)
    codes = list(layout.criteria)
    results = []
    for r in run.results:
        crit = r.criteria
        criteria = {code: number(crit[code]) for code in codes if code in crit}
        if len(criteria) != len(crit):  # criteria the layout does not know (added by adoption)
            for code, value in crit.items():
                criteria.setdefault(code, number(value))
        item = {
            "person": r.person,
            "unit": r.unit,
            "criteria": criteria,
            "score": number(r.score),
            "level": r.level,
            "level_before_quota": r.level_before_quota,
            "vetoes": list(r.vetoes),
            "outputs": {name: number(value) for name, value in r.outputs.items()},
        }
        if explain:
            item["explanation"] = list(r.explanation)
        results.append(item)
    return {
        "ruleset": {"code": run.code, "version": run.version, "sha256": run.sha256},
        "period": run.period,
        "results": results,
    }


def dumps_json(run: RunResult, layout: Layout, *, explain: bool = False) -> str:
    """The JSON document, one result per line (readable, and written by the C encoder: fast)."""
    data = to_json(run, layout, explain=explain)
    head = json.dumps(data["ruleset"], ensure_ascii=False)
    period = json.dumps(data["period"], ensure_ascii=False)
    lines = ",\n  ".join(json.dumps(r, ensure_ascii=False) for r in data["results"])
    body = f"[\n  {lines}\n]" if lines else "[]"
    return f'{{"ruleset": {head},\n "period": {period},\n "results": {body}}}\n'


def dumps_json_periods(runs: Sequence[RunResult], layout: Layout, *, explain: bool = False) -> str:
    """One run: `dumps_json`. Several periods: a JSON list of such documents, one per period in order
    (each exactly the single-period document, so that a consumer never mistakes them for one period)."""
    if len(runs) == 1:
        return dumps_json(runs[0], layout, explain=explain)
    docs = ",\n".join(dumps_json(run, layout, explain=explain).rstrip("\n") for run in runs)
    return f"[{docs}]\n"


def headers(layout: Layout, *, with_period: bool = False) -> list[str]:
    """Column headers; files (CSV/XLSX) carry the period so that monthly results can feed a roll-up."""
    return [
        "Mã cán bộ", "Đơn vị", *(["Kỳ"] if with_period else []), *layout.criteria, "Điểm", "Xếp loại", "Trước hạn mức", "Loại trừ",
        *(title or name for name, title in layout.outputs),
    ]  # fmt: skip


def rows(
    run: RunResult,
    layout: Layout,
    *,
    typed: bool = False,
    compact: bool = False,
    with_period: bool = False,
    cell=None,
) -> list[list[object]]:
    """One row per person; `typed`: numbers as Decimal (for XLSX), else text. `compact`: the level
    before quota only when it differs from the final level. `cell` (for files: `cells.safe_cell`) is
    applied to every text that comes from data, never to the text formatted from a number."""
    convert = _typed if typed else text_number(layout)
    if cell is not None:
        number = convert

        def convert(x: object, layout: Layout) -> object:
            return cell(x) if type(x) is str else number(x, layout)

    else:
        cell = _same
    # Equal numbers are often one object (the vectorised engine shares them) and every object stays
    # alive during this call: format each object once.
    seen: dict[int, object] = {}

    def value(x: object) -> object:
        got = seen.get(id(x), seen)
        if got is seen:
            got = seen[id(x)] = convert(x, layout)
        return got

    out = []
    for r in run.results:
        before = r.level_before_quota or ""
        if compact and before == (r.level or ""):
            before = ""
        out.append([
            cell(r.person), cell(r.unit), *([cell(run.period or "")] if with_period else []), *(value(r.criteria.get(code)) for code in layout.criteria),
            value(r.score), cell(level_text(r)), cell(before), cell("; ".join(r.vetoes)),
            *(value(r.outputs.get(name)) for name, _ in layout.outputs),
        ])  # fmt: skip
    return out


def _same(x: object) -> object:
    return x


def _typed(x: object, layout: Layout) -> object:
    if isinstance(x, (Fraction, int, float)) and not isinstance(x, bool):
        return round_float(x, layout.digits, layout.mode)
    if x is None:
        return None
    return _text(x, layout)


_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def vietnamese_number(cell: object) -> object:
    """ "1500000.00" -> "1.500.000,00" for people reading the table; other cells unchanged."""
    if not isinstance(cell, str) or not _PLAIN_NUMBER.fullmatch(cell):
        return cell
    whole, _, frac = cell.partition(".")
    sign = "-" if whole.startswith("-") else ""
    grouped = f"{int(whole.lstrip('-')):,}".replace(",", ".")
    return sign + grouped + ("," + frac if frac else "")


def format_table(run: RunResult, layout: Layout, *, explain: bool = False) -> str:
    head = headers(layout)
    body = [[vietnamese_number(c) for c in row] for row in rows(run, layout, compact=True)]
    numeric = {i for i in range(2, 2 + len(layout.criteria) + 1)}
    widths = [max([len(h)] + [len(str(row[i])) for row in body]) for i, h in enumerate(head)]

    def line(cells: Sequence[object]) -> str:
        parts = [
            str(c).rjust(w) if i in numeric else str(c).ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    out = [line(head), "  ".join("-" * w for w in widths)]
    out.extend(line(row) for row in body)
    period = f", kỳ {run.period}" if run.period else ""
    out.append(f"\n{len(run.results)} cán bộ · bộ quy tắc {run.code} phiên bản {run.version}{period}")
    if explain:
        for r in run.results:
            out.append(f"\n{r.person}:")
            out.extend(f"  {text}" for text in r.explanation)
    return "\n".join(out) + "\n"


def format_tables(runs: Sequence[RunResult], layout: Layout, *, explain: bool = False) -> str:
    """One run: `format_table`. Several periods: one table per period, each under its period."""
    if len(runs) == 1:
        return format_table(runs[0], layout, explain=explain)
    return "\n".join(f"Kỳ {run.period}\n\n" + format_table(run, layout, explain=explain) for run in runs)


def _runs(run: RunResult | Sequence[RunResult]) -> Sequence[RunResult]:
    return [run] if isinstance(run, RunResult) else run


def write_csv(run: RunResult | Sequence[RunResult], layout: Layout, stream: io.TextIOBase) -> None:
    """CSV of one run or of several periods' runs (the `Kỳ` column tells them apart); text from data goes
    through `cells.safe_cell` (never a formula). Lines end in CRLF (RFC 4180): the csv module then
    quotes a field holding a lone CR, which "\\n" would not."""
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(safe_row(headers(layout, with_period=True)))
    for one in _runs(run):
        writer.writerows(rows(one, layout, with_period=True, cell=safe_cell))


def write_xlsx(run: RunResult | Sequence[RunResult], layout: Layout, target) -> None:
    """An XLSX file (streamed, write-only): bold frozen header row, numbers with the ruleset's decimals;
    several periods' runs are rows of one sheet, told apart by the `Kỳ` column; text from data goes
    through `cells.safe_cell` (typed as string, never an `<f>` formula)."""
    import openpyxl  # lazy
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Kết quả")
    ws.freeze_panes = "A2"
    head = headers(layout, with_period=True)
    safe = lambda v: safe_cell(v, ws)  # noqa: E731
    body = [row for one in _runs(run) for row in rows(one, layout, typed=True, with_period=True, cell=safe)]
    for i, title in enumerate(head):
        sample = [len(str(_shown(row[i]))) for row in body[:2000]]
        ws.column_dimensions[get_column_letter(i + 1)].width = min(60, max([len(title), *sample]) + 2)
    bold = Font(bold=True)
    cells = []
    for title in head:
        cell = WriteOnlyCell(ws, value=title)
        cell.data_type = "s"  # a title from the ruleset is text, never a formula (see cells.safe_cell)
        cell.font = bold
        cells.append(cell)
    ws.append(cells)
    # grouped thousands; Excel shows the separators of the reader's locale (1.500.000,00 in Vietnamese)
    fmt = "#,##0" if layout.digits == 0 else "#,##0." + "0" * layout.digits
    for row in body:
        out = []
        for value in row:
            if isinstance(value, float):
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = fmt
                out.append(cell)
            else:
                out.append(value)
        ws.append(out)
    wb.save(target)


def _shown(value: object) -> object:
    """A cell's value as written (a sanitised cell holds it in `.value`)."""
    return "" if value is None else getattr(value, "value", value)
