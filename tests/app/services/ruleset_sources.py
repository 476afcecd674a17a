"""Small ruleset sources for the service tests (a module with a unique name: imported by the tests)."""

from __future__ import annotations

import textwrap

LEVELS = """\
xếp loại theo điều 20:
  "Hoàn thành xuất sắc nhiệm vụ" nếu điểm >= 90
  "Hoàn thành tốt nhiệm vụ" nếu điểm >= 70
  "Hoàn thành nhiệm vụ" nếu điểm >= 50
  "Không hoàn thành nhiệm vụ" còn lại
"""


def ruleset_source(code="TH-2026", version=1, *, start="01/01/2026", body="", subject=None, test="") -> str:
    subject_line = f'  đối tượng "{subject}"\n' if subject else ""
    head = textwrap.dedent(f"""\
        bộ quy tắc "{code}" phiên bản {version}
          tên "Bộ tiêu chí {code}"
          căn cứ "Nghị định 335/2025/NĐ-CP" điều 12, 14, 20
          hiệu lực từ {start}
          kỳ tháng
        """)
    main = textwrap.dedent("""\
        tham số mức_trừ = 25% cho phép 0% đến 50%
        tham số tỷ_trọng = 70% khóa

        mỗi nhiệm vụ:
          giao = khối_lượng_giao × hệ_số_quy_đổi
          đạt = nhỏ_nhất(khối_lượng_hoàn_thành, khối_lượng_giao) × hệ_số_quy_đổi

        tiêu chí a "Số lượng" theo điều 14 = tỷ_lệ(tổng(đạt), tổng(giao), 100)

        điểm = điểm_tiêu_chí_chung + a × tỷ_trọng
        """)
    return head + subject_line + "\n" + main + body + "\n" + LEVELS + test


PASSING_TEST = """
kiểm thử "đủ việc":
  nhiệm vụ 2 lần (khối_lượng_giao 1, khối_lượng_hoàn_thành 1, trạng_thái "Hoàn thành")
  đầu vào (điểm_tiêu_chí_chung 28)
  mong đợi a 100, điểm 98, xếp loại "Hoàn thành xuất sắc nhiệm vụ"
"""

FAILING_TEST = PASSING_TEST.replace("điểm 98", "điểm 50").replace('"đủ việc"', '"sai kỳ vọng"')
