"""The unit's XLSX sheet (opened back with openpyxl) and the official's PDF sheet (fonts, text)."""

from __future__ import annotations

import io
import zlib

import openpyxl
from report_samples import person_sheet, unit_sheet

from app.services.assessments import reports_pdf, reports_xlsx


def _rows(data: bytes):
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return wb.active


def test_unit_xlsx_headers_numbers_decision_and_signatures():
    ws = _rows(reports_xlsx.results_bytes(unit_sheet()))
    assert ws["A1"].value == "UBND PHƯỜNG HẠC THÀNH"
    assert "THÁNG 01/2026" in ws["A4"].value
    heads = [c.value for c in ws[8]]
    assert heads[:5] == ["STT", "Mã cán bộ", "Họ và tên", "Chức vụ", "Đơn vị"]
    assert heads[5:8] == ["Số lượng", "Chất lượng", "Tiến độ"]
    first = {h: c for h, c in zip(heads, ws[9], strict=True)}
    assert first["Tổng điểm"].value == 97.42 and first["Tổng điểm"].number_format == "0.00"
    assert first["Tiến độ"].value == 97.5
    assert first["Xếp loại theo kết quả tính"].value == "Hoàn thành xuất sắc nhiệm vụ"
    assert first["Xếp loại do cấp có thẩm quyền quyết định"].value == "Hoàn thành tốt nhiệm vụ"
    assert first["Lý do điều chỉnh xếp loại"].value.startswith("Họp ngày 03/02/2026")
    assert first["Xếp loại cuối cùng"].value == "Hoàn thành tốt nhiệm vụ"
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert "THỦ TRƯỞNG ĐƠN VỊ" in values and "Trần Văn Đức" in values
    assert "Thanh Hóa, ngày 05 tháng 02 năm 2026" in values


def test_text_from_data_never_becomes_a_formula():
    ws = _rows(reports_xlsx.results_bytes(unit_sheet()))
    second = {h.value: c for h, c in zip(ws[8], ws[10], strict=True)}
    for header in ("Họ và tên", "Đơn vị"):
        cell = second[header]
        assert cell.data_type == "s" and not str(cell.value).startswith("="), cell.value
    assert second["Xếp loại cuối cùng"].value == "Không xếp loại"


def _text_of(pdf: bytes) -> bytes:
    """The decompressed content streams (fpdf2 deflates them)."""
    out = []
    for part in pdf.split(b"stream\n")[1:]:
        body = part.split(b"endstream")[0]
        try:
            out.append(zlib.decompress(body.strip()))
        except zlib.error:
            continue
    return b"".join(out)


def test_pdf_embeds_the_vendored_font_and_it_covers_vietnamese():
    from fontTools.ttLib import TTFont

    data = reports_pdf.person_pdf(person_sheet())
    assert data.startswith(b"%PDF") and b"DejaVu" in data
    assert b"/FontFile2" in data  # embedded, not referenced
    letters = "ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        cmap = TTFont(str(reports_pdf.FONTS / name)).getBestCmap()
        missing = [ch for ch in letters + letters.upper() if ord(ch) not in cmap]
        assert missing == [], (name, missing)
    assert (reports_pdf.FONTS / "LICENSE-DejaVu.txt").is_file()
    assert len(_text_of(data)) > 1000  # the page draws text


def test_several_sheets_one_page_each():
    two = reports_pdf.people_pdf([person_sheet(), person_sheet()])
    assert two.count(b"/Type /Page") - two.count(b"/Type /Pages") == 2
