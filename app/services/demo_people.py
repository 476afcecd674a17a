"""The demo's organisation: Tỉnh Thanh Hóa, phường Hạc Thành and phường Đông Sơn with their departments,
job positions with standard products, and ~60 people per ward with Vietnamese names (deterministic)."""

from __future__ import annotations

import random
from decimal import Decimal

PROVINCE = ("TH", "Tỉnh Thanh Hóa")
WARDS = (("HT", "Phường Hạc Thành"), ("DS", "Phường Đông Sơn"))
# (suffix, name, duty group, position of the staff, staff count)
DEPARTMENTS = (
    ("VP", "Văn phòng HĐND và UBND", "Tổng hợp", "CV-TH", 13),
    ("KT", "Phòng Kinh tế, Hạ tầng và Đô thị", "Chuyên môn", "CV-DC", 12),
    ("VHXH", "Phòng Văn hóa - Xã hội", "Chuyên môn", "CV-VH", 12),
    ("HCC", "Trung tâm Phục vụ hành chính công", "Một cửa", "CV-HCC", 12),
)
# position code -> (name, [(product code, name, coefficient)])
POSITIONS = {
    "LD": ("Lãnh đạo, quản lý", [("CD", "Văn bản chỉ đạo, điều hành", "1"), ("HOP", "Chủ trì cuộc họp, hội nghị", "0.5"),
                                ("KT-DV", "Kiểm tra, đôn đốc đơn vị", "1.5")]),
    "CV-TH": ("Chuyên viên tổng hợp", [("BC", "Báo cáo định kỳ", "1"), ("BC-CD", "Báo cáo chuyên đề", "2.5"),
                                       ("VB", "Văn bản hành chính", "1"), ("KH", "Kế hoạch", "2")]),
    "CV-DC": ("Chuyên viên địa chính - xây dựng", [("HS-DD", "Hồ sơ đất đai", "1.5"), ("KT-HT", "Kiểm tra hiện trường", "1"),
                                                   ("BC", "Báo cáo định kỳ", "1")]),
    "CV-VH": ("Chuyên viên văn hóa - xã hội", [("HS-CS", "Hồ sơ chính sách xã hội", "1"), ("SK", "Tổ chức sự kiện", "3"),
                                              ("BC", "Báo cáo định kỳ", "1")]),
    "CV-HCC": ("Chuyên viên một cửa", [("HS-TTHC", "Giải quyết thủ tục hành chính (lô hồ sơ)", "1"),
                                       ("TL", "Trả lời phản ánh, kiến nghị", "0.5")]),
}  # fmt: skip

SURNAMES = ("Nguyễn Nguyễn Nguyễn Trần Trần Lê Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý "
            "Trịnh Mai Đinh Lương Tạ").split()  # fmt: skip
MIDDLE = {"nam": "Văn Đức Hữu Minh Quang Xuân Ngọc Thanh Công Đình".split(),
          "nữ": "Thị Thị Thu Ngọc Thanh Minh Hồng Phương Thúy Kim".split()}  # fmt: skip
GIVEN = {"nam": "An Bình Cường Dũng Hải Hùng Khánh Long Nam Phong Quân Sơn Thắng Tuấn Việt Hiếu Trung Lâm".split(),
         "nữ": "Anh Hà Hằng Hoa Hương Lan Linh Mai Ngọc Nhung Phương Thảo Trang Vân Yến Huyền Dung Giang".split()}  # fmt: skip


def units_rows() -> list[dict]:
    rows = [{"Mã đơn vị": PROVINCE[0], "Tên đơn vị": PROVINCE[1], "Loại": "tỉnh", "Đơn vị cấp trên": ""}]
    for code, name in WARDS:
        rows.append({"Mã đơn vị": code, "Tên đơn vị": name, "Loại": "phường", "Đơn vị cấp trên": PROVINCE[0]})
        for suffix, dept, *_ in DEPARTMENTS:
            rows.append(
                {
                    "Mã đơn vị": f"{code}-{suffix}",
                    "Tên đơn vị": dept,
                    "Loại": "phòng",
                    "Đơn vị cấp trên": code,
                }
            )
    return rows


def ensure_positions(db) -> int:
    """Create the job positions and their products when missing; returns how many were created."""
    from ..models import Position, StandardProduct

    created = 0
    for code, (name, products) in POSITIONS.items():
        if db.session.scalar(db.select(Position.id).where(Position.code == code)) is not None:
            continue
        position = Position(code=code, name=name)
        for p_code, p_name, coefficient in products:
            position.products.append(
                StandardProduct(code=p_code, name=p_name, coefficient=Decimal(coefficient))
            )
        db.session.add(position)
        created += 1
    return created


def _name(rnd: random.Random, used: set[str]) -> tuple[str, str]:
    while True:
        sex = rnd.choice(("nam", "nữ"))
        name = f"{rnd.choice(SURNAMES)} {rnd.choice(MIDDLE[sex])} {rnd.choice(GIVEN[sex])}"
        if name not in used:
            used.add(name)
            return name, sex


def people_rows(ward: str, seed: int) -> list[dict]:
    """60 people of a ward: a chairman, two vice-chairmen, and per department a head, a deputy and staff."""
    rnd, used, rows = random.Random(seed), set(), []
    counter = iter(range(1, 1000))

    def add(unit, post, leader, group, manager, position):
        code = f"{ward}{next(counter):04d}"
        rows.append({"Mã cán bộ": code, "Họ và tên": _name(rnd, used)[0], "Đơn vị": unit, "Chức vụ": post,
                     "Lãnh đạo": "có" if leader else "không", "Nhóm nhiệm vụ": group, "Người quản lý": manager,
                     "Vị trí việc làm": position, "Phân loại": "công chức", "Ngày hiệu lực": "01/01/2026"})  # fmt: skip
        return code

    chairman = add(ward, "Chủ tịch UBND phường", True, "Lãnh đạo", "", "LD")
    vices = [add(ward, "Phó Chủ tịch UBND phường", True, "Lãnh đạo", chairman, "LD") for _ in range(2)]
    for index, (suffix, _, group, position, staff) in enumerate(DEPARTMENTS):
        unit = f"{ward}-{suffix}"
        head = add(unit, "Trưởng phòng" if suffix != "HCC" else "Giám đốc", True, "Lãnh đạo phòng",
                   vices[index % 2], "LD")  # fmt: skip
        deputy = add(unit, "Phó Trưởng phòng" if suffix != "HCC" else "Phó Giám đốc", True, "Lãnh đạo phòng",
                     head, "LD")  # fmt: skip
        for n in range(staff):
            add(unit, "Chuyên viên", False, group, deputy if n % 3 == 2 else head, position)
    return rows
