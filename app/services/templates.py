"""Downloadable XLSX import templates: a data sheet with the headers and an example row, and a "Ghi chú"
sheet explaining each column (required or not, meaning, accepted values)."""

from __future__ import annotations

import io

TEMPLATE_KINDS = ("units", "people", "tasks", "inputs", "salaries")
FILE_NAMES = {
    "units": "don-vi.xlsx",
    "people": "nguoi.xlsx",
    "tasks": "nhiem-vu.xlsx",
    "inputs": "dau-vao.xlsx",
    "salaries": "tien-luong.xlsx",
}
_DATES = "ngày dạng dd/mm/yyyy hoặc yyyy-mm-dd"
_NUMBER = 'số; dấu thập phân "." hoặc "," (97.5 hoặc 97,5); không dùng dấu phân cách hàng nghìn'
_PERIOD = "tháng 2026-01, quý 2026-Q1 hoặc năm 2026 (cũng nhận 01/2026, Q1/2026)"

# (header, required, explanation, example)
COLUMNS: dict[str, list[tuple[str, bool, str, str]]] = {
    "units": [
        ("Mã đơn vị", True, "mã duy nhất của đơn vị; nhập lại cùng mã thì cập nhật", "HT-VP"),
        ("Tên đơn vị", True, "tên đầy đủ", "Văn phòng HĐND và UBND phường"),
        ("Loại", True, "tỉnh, thành phố, phường, xã, đặc khu, phòng hoặc sở", "phòng"),
        ("Đơn vị cấp trên", False, "mã đơn vị cấp trên (trong tệp hoặc đã có); để trống với tỉnh", "HT"),
    ],
    "people": [
        ("Mã cán bộ", True, "mã duy nhất của cán bộ, công chức; nhập lại cùng mã thì cập nhật", "HT0001"),
        ("Họ và tên", True, "họ, tên đệm và tên", "Nguyễn Thị Hà"),
        ("Đơn vị", True, "mã đơn vị đang công tác (đã nhập trước)", "HT-VP"),
        ("Chức vụ", False, "chức vụ lãnh đạo, quản lý hoặc chức danh", "Chuyên viên"),
        ("Lãnh đạo", False, "có/không: giữ chức vụ lãnh đạo, quản lý", "không"),
        (
            "Nhóm nhiệm vụ",
            False,
            "nhóm nhiệm vụ tương đồng (phạm vi hạn mức); chưa có thì được tạo",
            "Văn phòng",
        ),
        ("Người quản lý", False, "mã cán bộ của người quản lý trực tiếp (trong tệp hoặc đã có)", "HT0002"),
        (
            "Vị trí việc làm",
            False,
            "mã hoặc tên vị trí việc làm trong danh mục (để tra hệ số sản phẩm chuẩn)",
            "CV-VP",
        ),
        (
            "Phân loại",
            False,
            "cán bộ, công chức, viên chức hoặc người lao động (mặc định công chức)",
            "công chức",
        ),
        ("Ngày hiệu lực", False, f"{_DATES}: ngày chuyển đơn vị/vị trí; mặc định hôm nay", "01/01/2026"),
    ],
    "tasks": [
        (
            "Mã nhiệm vụ",
            True,
            "mã nhiệm vụ duy nhất trong hệ thống nguồn; nhập lại cùng mã thì cập nhật",
            "NV-2026-0001",
        ),
        ("Mã cán bộ", True, "mã cán bộ được giao (chủ trì)", "HT0001"),
        ("Kỳ", False, f"{_PERIOD}; để trống thì lấy tháng của hạn hoàn thành", "2026-01"),
        ("Tên nhiệm vụ", False, "nội dung nhiệm vụ, sản phẩm", "Báo cáo kinh tế - xã hội tháng 1"),
        ("Ngày giao", False, _DATES, "05/01/2026"),
        ("Hạn hoàn thành", False, _DATES, "20/01/2026"),
        ("Ngày hoàn thành", False, f"{_DATES}; để trống nếu chưa xong", "19/01/2026"),
        ("Trạng thái", True, "Chưa thực hiện, Đang thực hiện, Hoàn thành, Tạm dừng hoặc Hủy", "Hoàn thành"),
        ("Khối lượng giao", False, f"{_NUMBER}; mặc định 1", "1"),
        (
            "Khối lượng hoàn thành",
            False,
            f"{_NUMBER}; mặc định bằng khối lượng giao nếu Hoàn thành, ngược lại 0",
            "1",
        ),
        ("Hệ số quy đổi", False, f"{_NUMBER}; mặc định theo sản phẩm chuẩn, không có thì 1", "1,5"),
        (
            "Mã sản phẩm chuẩn",
            False,
            "mã sản phẩm chuẩn trong danh mục vị trí việc làm của cán bộ",
            "BC-THANG",
        ),
        ("Số lần sai sót lớn", False, "số nguyên; mặc định 0", "0"),
        ("Số lần chậm", False, "số nguyên; mặc định 1 nếu hoàn thành sau hạn, ngược lại 0", "0"),
        ("Miễn trừ", False, "có/không: không trừ điểm vì nguyên nhân khách quan đã được xác nhận", "không"),
        ("Lý do miễn trừ", False, "nguyên nhân khách quan", ""),
        ("Người xác nhận miễn trừ", False, "người có thẩm quyền xác nhận", ""),
        ("Minh chứng", False, "số văn bản, tệp hoặc đường dẫn", "Báo cáo số 12/BC-UBND"),
    ],
    "inputs": [
        ("Mã cán bộ", True, "mã cán bộ", "HT0001"),
        ("Kỳ", True, _PERIOD, "2026-01"),
        ("Điểm tiêu chí chung", False, f"{_NUMBER}; từ 0 đến 30; ô trống: xóa điểm đã nhập", "27,5"),
        ("Kỷ luật", False, "để trống, khiển trách, cảnh cáo, cách chức hoặc buộc thôi việc", ""),
    ],
    "salaries": [
        ("Mã cán bộ", True, "mã cán bộ", "HT0001"),
        ("Kỳ", True, "tháng, ví dụ 2026-01 (cũng nhận 01/2026)", "2026-01"),
        ("Tiền lương", True, f"{_NUMBER}; đồng/tháng, làm căn cứ tính thu nhập tăng thêm", "9360000"),
        ("Ghi chú", False, "ví dụ: giữ nhiều chức danh, lấy mức cao nhất", ""),
    ],
}
CATALOG_NOTE = "trường trong danh mục ({kind}); cột khác không có trong mẫu hay danh mục là lỗi"


def template_bytes(kind: str, extra_fields=()) -> bytes:
    """The XLSX template of `kind`; `extra_fields` (catalog FieldSpecs) are added as optional columns."""
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill

    from ..tabular.cells import safe_row

    if kind not in COLUMNS:
        raise ValueError(f"unknown template kind {kind!r}")
    columns = list(COLUMNS[kind])
    for spec in extra_fields:
        columns.append((spec.label, False, CATALOG_NOTE.format(kind=spec.kind), ""))
    wb = openpyxl.Workbook()
    data = wb.active
    data.title = "Dữ liệu"
    data.append(safe_row([c[0] for c in columns], data))
    data.append(safe_row([c[3] for c in columns], data))
    bold = Font(bold=True)
    for index, column in enumerate(columns, start=1):
        cell = data.cell(row=1, column=index)
        cell.font = bold
        if column[1]:
            cell.fill = PatternFill("solid", fgColor="FFF2CC")
        data.column_dimensions[cell.column_letter].width = max(14, len(column[0]) + 4)
        data.cell(row=2, column=index).number_format = "@"  # keep "01/2026", "1,5" as typed
    data.freeze_panes = "A2"
    notes = wb.create_sheet("Ghi chú")
    notes.append(["Cột", "Bắt buộc", "Ý nghĩa, giá trị hợp lệ", "Ví dụ"])
    for header, required, meaning, example in columns:  # labels come from the catalog: data
        notes.append(safe_row([header, "có" if required else "không", meaning, example], notes))
    notes.append([])
    notes.append(["Tiêu đề cột không phân biệt hoa thường, dấu, khoảng trắng và dấu gạch dưới."])
    notes.append(["Dòng 2 của trang Dữ liệu là ví dụ: xóa hoặc thay bằng dữ liệu thật trước khi nhập."])
    notes.append(
        ["Tệp lỗi ở bất kỳ dòng nào thì không dòng nào được nhập; danh sách lỗi nêu dòng, cột và lý do."]
    )
    for cell in notes[1]:
        cell.font = bold
    for letter, width in (("A", 26), ("B", 10), ("C", 90), ("D", 30)):
        notes.column_dimensions[letter].width = width
    for row in notes.iter_rows(min_row=2):
        row[2].alignment = Alignment(wrap_text=True) if len(row) > 2 else None
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def catalog_fields(kind: str) -> tuple:
    """Catalog fields that belong in the template of `kind` (needs an app context)."""
    from .catalog import input_specs, task_field_specs

    if kind == "tasks":
        return task_field_specs()
    if kind == "inputs":
        return input_specs()
    return ()
