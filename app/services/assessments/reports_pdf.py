"""Phiếu đánh giá: one official's evaluation sheet as PDF (A4), with the vendored DejaVu Sans fonts
(app/static/fonts, Vietnamese coverage; nothing is fetched): criteria with their legal basis, the score,
the computed and the decided level with its reason, the self-assessment and comments, the explanation of
every number, the legal bases and the signatures block."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from dsl.engine.values import format_number

from .report_data import PersonSheet, date_line, period_label

FONTS = Path(__file__).resolve().parents[2] / "static" / "fonts"
FAMILY = "DejaVu"
NOT_RATED = "Không xếp loại"


def _number(x: Fraction | None, digits: int) -> str:
    """Vietnamese style through the one formatter (97,42; a criterion of 250/3 as 83,33 at 2 digits)."""
    if x is None:
        return "—"
    return format_number(x, digits)


def person_pdf(sheet: PersonSheet) -> bytes:
    return bytes(_document([sheet]).output())


def people_pdf(sheets: list[PersonSheet]) -> bytes:
    """Several sheets in one file, each starting on a new page."""
    return bytes(_document(sheets).output())


def _document(sheets: list[PersonSheet]):
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_margins(15, 12, 15)
    pdf.set_title("Phiếu đánh giá, xếp loại chất lượng")
    pdf.set_creator("KPI Công vụ")
    for sheet in sheets:
        pdf.add_page()
        _sheet(pdf, sheet)
    return pdf


def _sheet(pdf, sheet: PersonSheet) -> None:
    from fpdf.enums import XPos, YPos

    h, line = sheet.header, sheet.line
    w = pdf.epw
    nl = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}
    top = pdf.get_y()
    pdf.set_font(FAMILY, "B", 10)
    pdf.multi_cell(w * 0.42, 5, f"{h.body.upper()}\n{h.unit}", align="C", **nl)
    pdf.set_xy(pdf.l_margin + w * 0.42, top)
    pdf.multi_cell(
        w * 0.58, 5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc", align="C", **nl
    )
    pdf.ln(6)
    pdf.set_font(FAMILY, "B", 13)
    pdf.multi_cell(w, 7, "PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG", align="C", **nl)
    pdf.set_font(FAMILY, "", 11)
    pdf.multi_cell(w, 6, f"Kỳ đánh giá: {period_label(h.period)}", align="C", **nl)
    pdf.ln(3)
    _pairs(pdf, [
        ("Họ và tên", f"{line.name} (mã {line.person})"),
        ("Chức vụ", line.post or "—"),
        ("Đơn vị", line.unit),
        ("Bộ quy tắc", "; ".join(h.rulesets)),
        ("Lần tính", f"{h.revision} · trạng thái: {h.status}" if h.status else str(h.revision)),
    ], (22, 78))  # fmt: skip
    pdf.ln(2)
    _section(pdf, "I. KẾT QUẢ THEO TỪNG TIÊU CHÍ")
    pdf.set_font(FAMILY, "", 9)
    with pdf.table(col_widths=(8, 62, 20, 60), text_align=("CENTER", "LEFT", "RIGHT", "LEFT"),
                   line_height=5, first_row_as_headings=True) as table:  # fmt: skip
        table.row(["STT", "Tiêu chí", "Kết quả", "Căn cứ"])
        for n, c in enumerate(sheet.criteria, start=1):
            table.row([str(n), f"{c.title} ({c.code})" if c.title else c.code,
                       _number(c.value, h.digits), c.citation or "—"])  # fmt: skip
    pdf.ln(3)
    _section(pdf, "II. TỔNG ĐIỂM VÀ XẾP LOẠI")
    facts = [("Tổng điểm", _number(line.score, h.digits)),
             ("Xếp loại theo kết quả tính", line.level or NOT_RATED)]  # fmt: skip
    if line.level_before_quota and line.level_before_quota != line.level:
        facts.append(("Xếp loại trước hạn mức", line.level_before_quota))
    if line.vetoes:
        facts.append(("Loại trừ, giới hạn", "; ".join(line.vetoes)))
    if line.decided_level:
        facts.append(("Xếp loại do cấp có thẩm quyền quyết định", line.decided_level))
        facts.append(("Lý do", line.decision_reason))
    facts.append(("Xếp loại cuối cùng", line.final_level or NOT_RATED))
    if sheet.levels_citation:
        facts.append(("Căn cứ xếp loại", sheet.levels_citation))
    _pairs(pdf, facts, (45, 55))
    pdf.ln(2)
    _section(pdf, "III. TỰ ĐÁNH GIÁ VÀ Ý KIẾN")  # always there: the sections keep their numbers
    pdf.set_font(FAMILY, "", 10)
    if line.self_assessment:
        pdf.multi_cell(w, 5.5, f"Tự đánh giá: {line.self_assessment}", **nl)
    for comment in line.comments:
        pdf.multi_cell(w, 5.5, f"Ý kiến: {comment}", **nl)
    if not line.self_assessment and not line.comments:
        pdf.multi_cell(w, 5.5, "Không có tự đánh giá hoặc ý kiến.", **nl)
    pdf.ln(2)
    _section(pdf, "IV. GIẢI THÍCH CÁCH TÍNH")
    pdf.set_font(FAMILY, "", 8.5)
    for text in sheet.explanation:
        pdf.multi_cell(w, 4.5, text, align="L", **nl)
    if h.legal_bases:
        pdf.ln(2)
        _section(pdf, "V. CĂN CỨ PHÁP LÝ")
        pdf.set_font(FAMILY, "", 9)
        for basis in h.legal_bases:
            pdf.multi_cell(w, 5, f"- {basis}", **nl)
    pdf.ln(4)
    pdf.set_font(FAMILY, "", 10)
    pdf.cell(w, 6, date_line(h), align="R", **nl)
    _signatures(pdf, sheet.signers)


def _pairs(pdf, pairs: list[tuple[str, str]], widths: tuple[int, int]) -> None:
    """Label (bold) and value rows without borders; long values wrap within their column."""
    from fpdf.fonts import FontFace

    pdf.set_font(FAMILY, "", 10)
    bold = FontFace(emphasis="BOLD")
    with pdf.table(col_widths=widths, borders_layout="NONE", first_row_as_headings=False,
                   line_height=5.5, text_align="LEFT", padding=(0.6, 1, 0.6, 0)) as table:  # fmt: skip
        for label, value in pairs:
            row = table.row()
            row.cell(f"{label}:", style=bold)
            row.cell(value)


def _section(pdf, title: str) -> None:
    from fpdf.enums import XPos, YPos

    pdf.set_font(FAMILY, "B", 10.5)
    pdf.cell(pdf.epw, 7, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _signatures(pdf, signers: list[tuple[str, str]]) -> None:
    from fpdf.enums import XPos, YPos

    if not signers:
        return
    if pdf.get_y() > pdf.h - 55:
        pdf.add_page()
    w = pdf.epw / len(signers)
    y = pdf.get_y() + 2
    for i, (title, name) in enumerate(signers):
        x = pdf.l_margin + i * w
        pdf.set_xy(x, y)
        pdf.set_font(FAMILY, "B", 10)
        pdf.multi_cell(w, 5, title.upper(), align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.set_x(x)
        pdf.set_font(FAMILY, "", 9)
        pdf.cell(w, 5, "(Ký, ghi rõ họ tên)", align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.set_xy(x, y + 32)
        pdf.set_font(FAMILY, "B", 10)
        pdf.cell(w, 5, name or "", align="C")
