"""The standard fields every ruleset may use: task fields, person fields and standard period inputs.

The database's field catalog (app/) extends these with fields declared by administrators; a ruleset
extends them with `trường nhiệm vụ` and `đầu vào`. Types: "số", "văn bản", "đúng sai", "ngày", "thang".
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str  # identifier used in rulesets
    label: str  # Vietnamese column header of the templates
    kind: str  # "số", "văn bản", "đúng sai", "ngày", "thang"
    required: bool = False
    aliases: tuple[str, ...] = ()  # further accepted headers
    scale: tuple[str, ...] = ()
    low: str | None = None
    high: str | None = None
    default: object = None  # a plain value; derived defaults are documented and applied by loaders
    choices: tuple[str, ...] = field(default=())  # accepted text values (canonical spelling)


TASK_STATUSES = ("Chưa thực hiện", "Đang thực hiện", "Hoàn thành", "Tạm dừng", "Hủy")
DISCIPLINE_SCALE = ("", "khiển trách", "cảnh cáo", "cách chức", "buộc thôi việc")

TASK_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("mã_nhiệm_vụ", "Mã nhiệm vụ", "văn bản", required=True, aliases=("Mã sản phẩm", "ID")),
    FieldSpec("mã_cán_bộ", "Mã cán bộ", "văn bản", required=True, aliases=("Mã công chức", "Mã người")),
    FieldSpec("kỳ", "Kỳ", "văn bản", aliases=("Kỳ đánh giá",)),
    FieldSpec("tên_nhiệm_vụ", "Tên nhiệm vụ", "văn bản", aliases=("Nhiệm vụ", "Tên sản phẩm")),
    FieldSpec("ngày_giao", "Ngày giao", "ngày"),
    FieldSpec("hạn_hoàn_thành", "Hạn hoàn thành", "ngày", aliases=("Hạn", "Thời hạn")),
    FieldSpec("ngày_hoàn_thành", "Ngày hoàn thành", "ngày"),
    FieldSpec("trạng_thái", "Trạng thái", "văn bản", required=True, choices=TASK_STATUSES),
    FieldSpec("khối_lượng_giao", "Khối lượng giao", "số", default=1, low="0"),
    # default: = khối_lượng_giao when Hoàn thành, else 0
    FieldSpec("khối_lượng_hoàn_thành", "Khối lượng hoàn thành", "số", low="0"),
    FieldSpec("hệ_số_quy_đổi", "Hệ số quy đổi", "số", default=1, low="0"),
    FieldSpec(
        "số_lần_sai_sót_lớn", "Số lần sai sót lớn", "số", default=0, low="0", aliases=("Số lần sai sót",)
    ),
    # default: 1 when completed after the deadline, else 0
    FieldSpec("số_lần_chậm", "Số lần chậm", "số", low="0"),
    FieldSpec("miễn_trừ", "Miễn trừ", "đúng sai", default=False),
    FieldSpec("minh_chứng", "Minh chứng", "văn bản", default=""),
)

PERSON_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("mã_cán_bộ", "Mã cán bộ", "văn bản", required=True, aliases=("Mã công chức",)),
    FieldSpec("họ_và_tên", "Họ và tên", "văn bản", required=True, aliases=("Họ tên",)),
    FieldSpec("đơn_vị", "Đơn vị", "văn bản", required=True, aliases=("Mã đơn vị",)),
    FieldSpec("chức_vụ", "Chức vụ", "văn bản", default=""),
    FieldSpec("lãnh_đạo", "Lãnh đạo", "đúng sai", default=False),
    FieldSpec("nhóm_nhiệm_vụ", "Nhóm nhiệm vụ", "văn bản", default=""),
    FieldSpec("người_quản_lý", "Người quản lý", "văn bản", default="", aliases=("Mã người quản lý",)),
)

STANDARD_INPUTS: tuple[FieldSpec, ...] = (
    FieldSpec("điểm_tiêu_chí_chung", "Điểm tiêu chí chung", "số", low="0", high="30"),
    FieldSpec("kỷ_luật", "Kỷ luật", "thang", scale=DISCIPLINE_SCALE, default=""),
)

# Fields of a sub-period result record (roll-up rulesets, scope `kỳ`), beside the criteria codes.
PERIOD_RESULT_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("mã_cán_bộ", "Mã cán bộ", "văn bản", required=True),
    FieldSpec("kỳ", "Kỳ", "văn bản", required=True),
    FieldSpec("điểm", "Điểm", "số"),
    FieldSpec("xếp_loại", "Xếp loại", "văn bản"),
)

# Names that every ruleset can read at person level besides its own definitions.
SCORE_NAME = "điểm"
LEVEL_NAME = "xếp_loại"
ADDED_CRITERIA_NAME = "điểm_bổ_sung"


def by_name(specs: tuple[FieldSpec, ...]) -> dict[str, FieldSpec]:
    return {s.name: s for s in specs}
