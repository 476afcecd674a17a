"""Sheets laid out as units file them (XLSX): the body and the national motto, the title with the
period, Vietnamese headers in a bordered table, exact numbers with fixed decimals, a summary, the date
line and the signatures block. `results_bytes` writes a unit's results (the computed level beside the
decided one and its reason); `income.sheet_bytes` writes the quarterly payment sheet with `filed`."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from ...tabular.cells import CSV_ESCAPE, formula_like
from ...tabular.writers import round_float
from .report_data import SheetHeader, UnitSheet, date_line, period_label

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
FIXED = ["STT", "Mã cán bộ", "Họ và tên", "Chức vụ", "Đơn vị"]
AFTER = ["Tổng điểm", "Xếp loại theo kết quả tính", "Xếp loại trước hạn mức", "Loại trừ, giới hạn",
         "Xếp loại do cấp có thẩm quyền quyết định", "Lý do điều chỉnh xếp loại", "Xếp loại cuối cùng"]  # fmt: skip
NOT_RATED = "Không xếp loại"


def safe_text(value: object) -> object:
    """Text from data never becomes a formula (the rule of `app.tabular.cells`): formula-like text gets
    the leading "'" of a CSV cell."""
    if isinstance(value, str) and formula_like(value):
        return CSV_ESCAPE + value
    return value


@dataclass(slots=True)
class Filed:
    """A filed table: heading, title lines, column headers, rows (numbers as Fraction/Decimal/int), the
    number format of numeric columns by index, summary rows and signers."""

    header: SheetHeader
    title: str
    notes: list[str]
    heads: list[str]
    rows: list[list[object]]
    formats: dict[int, str] = field(default_factory=dict)  # column index -> number format
    summary: list[tuple[str, object]] = field(default_factory=list)
    signers: list[tuple[str, str]] = field(default_factory=list)
    sheet_name: str = "Kết quả"


def results_bytes(sheet: UnitSheet) -> bytes:
    h = sheet.header
    heads = [*FIXED, *(title or code for code, title in sheet.criteria), *AFTER]
    digits = "0" if h.digits == 0 else "0." + "0" * h.digits
    first_number = len(FIXED)
    formats = {i: digits for i in range(first_number, first_number + len(sheet.criteria) + 1)}
    codes = [code for code, _ in sheet.criteria]
    rows = [
        [n, line.person, line.name, line.post, line.unit, *(line.criteria.get(code) for code in codes), line.score,
         line.level or NOT_RATED, line.level_before_quota or "", "; ".join(line.vetoes), line.decided_level or "",
         line.decision_reason, line.final_level or NOT_RATED]
        for n, line in enumerate(sheet.lines, start=1)
    ]  # fmt: skip
    counts = Counter(line.final_level or NOT_RATED for line in sheet.lines)
    summary = [("Tổng hợp xếp loại cuối cùng:", None)]
    summary += [(level, count) for level, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    notes = [f"Đơn vị: {h.unit}",
             f"Bộ quy tắc áp dụng: {'; '.join(h.rulesets)} · Lần tính: {h.revision} · Trạng thái: {h.status}"]  # fmt: skip
    title = f"BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG {period_label(h.period).upper()}"
    return to_bytes(Filed(h, title, notes, heads, rows, formats, summary, sheet.signers))


def to_bytes(filed: Filed) -> bytes:
    out = io.BytesIO()
    build(filed).save(out)
    return out.getvalue()


def build(filed: Filed):
    import openpyxl
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    h = filed.header
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = filed.sheet_name[:31]
    width = len(filed.heads)
    bold, center = Font(bold=True), Alignment(horizontal="center", vertical="center", wrap_text=True)
    left_span, right_from = max(3, width // 3), max(4, width - 4)

    def merged(row: int, first: int, last: int, text: str, *, font=bold) -> None:
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=max(first, last))
        cell = ws.cell(row=row, column=first, value=safe_text(text))
        cell.font, cell.alignment = font, center

    merged(1, 1, left_span, h.body.upper())
    merged(1, right_from, width, MOTTO[0])
    merged(2, 1, left_span, h.unit)
    merged(2, right_from, width, MOTTO[1])
    merged(4, 1, width, filed.title, font=Font(bold=True, size=13))
    for i, note in enumerate(filed.notes):
        merged(5 + i, 1, width, note, font=Font(italic=True))
    top = 6 + len(filed.notes)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    for col, title in enumerate(filed.heads, start=1):
        cell = ws.cell(row=top, column=col, value=title)
        cell.font, cell.alignment, cell.border = bold, center, box
    ws.row_dimensions[top].height = 45
    for n, values in enumerate(filed.rows, start=1):
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=top + n, column=col)
            fmt = filed.formats.get(col - 1)
            if isinstance(value, Fraction | Decimal) or (fmt and isinstance(value, int)):
                digits = len(fmt.split(".")[1]) if fmt and "." in fmt else 0
                cell.value = round_float(Fraction(value), digits)
                cell.number_format = fmt or "0.00"
            else:
                cell.value = safe_text(value)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.border = box
    row = top + len(filed.rows) + 2
    for label, value in filed.summary:
        ws.cell(row=row, column=2, value=safe_text(label)).font = bold if value is None else Font()
        if value is not None:
            cell = ws.cell(
                row=row,
                column=4,
                value=round_float(Fraction(value), 0) if isinstance(value, Fraction | Decimal) else value,
            )
            cell.number_format = "#,##0"
        row += 1
    row += 1
    merged(row, right_from, width, date_line(h), font=Font(italic=True))
    _signatures(row + 1, width, filed.signers, merged)
    for col, title in enumerate(filed.heads, start=1):
        longest = max([len(str(title)) // 2 + 2, *(len(str(ws.cell(row=r, column=col).value or ""))
                       for r in range(top + 1, top + 1 + len(filed.rows)))])  # fmt: skip
        ws.column_dimensions[get_column_letter(col)].width = min(40, max(8, longest + 2))
    ws.freeze_panes = ws.cell(row=top + 1, column=4)
    ws.print_title_rows = f"{top}:{top}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    return wb


def _signatures(row: int, width: int, signers: list[tuple[str, str]], merged) -> None:
    """Each signer gets a block: title (bold), "(Ký, ghi rõ họ tên)", four blank rows, the name."""
    from openpyxl.styles import Font

    if not signers:
        return
    span = max(1, width // len(signers))
    for i, (title, name) in enumerate(signers):
        first = 1 + i * span
        last = width if i == len(signers) - 1 else first + span - 1
        merged(row, first, last, title.upper())
        merged(row + 1, first, last, "(Ký, ghi rõ họ tên)", font=Font(italic=True))
        merged(row + 6, first, last, name or "")
