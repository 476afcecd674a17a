"""A unit's results as an XLSX sheet laid out as units file them: the body and national motto, the title
with the period, Vietnamese headers, exact scores with the ruleset's decimals, the computed level beside
the decided one and its reason, a count per level, the date line and the signatures block."""

from __future__ import annotations

import io
from collections import Counter
from fractions import Fraction

from ...tabular.writers import round_float
from .report_data import UnitSheet, date_line, period_label

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
FIXED = ["STT", "Mã cán bộ", "Họ và tên", "Chức vụ", "Đơn vị"]
AFTER = ["Tổng điểm", "Xếp loại theo kết quả tính", "Xếp loại trước hạn mức", "Loại trừ, giới hạn",
         "Xếp loại do cấp có thẩm quyền quyết định", "Lý do điều chỉnh xếp loại", "Xếp loại cuối cùng"]  # fmt: skip
NOT_RATED = "Không xếp loại"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: object) -> object:
    """Text from data never becomes a formula: a cell value starting like one is written as text.
    (The one place this module writes data text through; replace with the shared writer's when it lands.)"""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def sheet_bytes(sheet: UnitSheet) -> bytes:
    out = io.BytesIO()
    build(sheet).save(out)
    return out.getvalue()


def build(sheet: UnitSheet):
    import openpyxl
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    h = sheet.header
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Kết quả"[:31]
    heads = [*FIXED, *(title or code for code, title in sheet.criteria), *AFTER]
    width = len(heads)
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
    merged(4, 1, width, f"BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG {period_label(h.period).upper()}",
           font=Font(bold=True, size=13))  # fmt: skip
    merged(5, 1, width, f"Đơn vị: {h.unit}", font=Font(italic=True))
    rules = "; ".join(h.rulesets)
    merged(6, 1, width, f"Bộ quy tắc áp dụng: {rules} · Lần tính: {h.revision} · Trạng thái: {h.status}",
           font=Font(italic=True))  # fmt: skip
    top = 8
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    for col, title in enumerate(heads, start=1):
        cell = ws.cell(row=top, column=col, value=title)
        cell.font, cell.alignment, cell.border = bold, center, box
    ws.row_dimensions[top].height = 45
    number_format = "0" if h.digits == 0 else "0." + "0" * h.digits
    codes = [code for code, _ in sheet.criteria]
    for n, line in enumerate(sheet.lines, start=1):
        values = [n, line.person, line.name, line.post, line.unit,
                  *(line.criteria.get(code) for code in codes), line.score,
                  line.level or NOT_RATED, line.level_before_quota or "", "; ".join(line.vetoes),
                  line.decided_level or "", line.decision_reason, line.final_level or NOT_RATED]  # fmt: skip
        row = top + n
        for col, value in enumerate(values, start=1):
            if isinstance(value, Fraction):
                cell = ws.cell(row=row, column=col, value=round_float(value, h.digits))
                cell.number_format = number_format
            else:
                cell = ws.cell(row=row, column=col, value=safe_text(value))
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.border = box
    row = top + len(sheet.lines) + 2
    counts = Counter(line.final_level or NOT_RATED for line in sheet.lines)
    ws.cell(row=row, column=2, value="Tổng hợp xếp loại cuối cùng:").font = bold
    for level, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        row += 1
        ws.cell(row=row, column=3, value=safe_text(level))
        ws.cell(row=row, column=4, value=count)
    row += 2
    merged(row, right_from, width, date_line(h), font=Font(italic=True))
    row += 1
    _signatures(ws, row, width, sheet.signers, merged)
    for col, title in enumerate(heads, start=1):
        longest = max([len(str(title)) // 2 + 2, *(len(str(ws.cell(row=r, column=col).value or ""))
                       for r in range(top + 1, top + 1 + len(sheet.lines)))])  # fmt: skip
        ws.column_dimensions[get_column_letter(col)].width = min(40, max(8, longest + 2))
    ws.freeze_panes = ws.cell(row=top + 1, column=4)
    ws.print_title_rows = f"{top}:{top}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    return wb


def _signatures(ws, row: int, width: int, signers: list[tuple[str, str]], merged) -> None:
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
