"""The keywords and built-in function names of the language, in their canonical Vietnamese spelling
(the functions are declared in dsl.builtins).

`KEYWORD_TERMINALS` maps each grammar terminal to its canonical phrase; the regexes in dsl/grammar.lark
are generated from it (`grammar_regex`) and a test checks that the grammar file agrees."""

from __future__ import annotations

from ..builtins import BUILTINS, FUNCTIONS
from ..text import fold

__all__ = ["FUNCTIONS", "KEYWORDS", "KEYWORD_TERMINALS", "canonical_function", "grammar_terminals"]

# terminal -> (canonical phrase, lexer priority); a longer phrase sharing a prefix gets priority 3
KEYWORD_TERMINALS: dict[str, tuple[str, int]] = {
    "BO_QUY_TAC": ("bộ quy tắc", 2),
    "PHIEN_BAN": ("phiên bản", 2),
    "TEN": ("tên", 2),
    "CAN_CU": ("căn cứ", 2),
    "DIEU": ("điều", 2),
    "KHOAN": ("khoản", 2),
    "DIEM": ("điểm", 2),
    "HIEU_LUC": ("hiệu lực", 2),
    "TU": ("từ", 2),
    "DEN": ("đến", 2),
    "KY": ("kỳ", 2),
    "THANG": ("tháng", 2),
    "QUY": ("quý", 2),
    "NAM": ("năm", 2),
    "DOI_TUONG": ("đối tượng", 2),
    "LAM_TRON": ("làm tròn", 2),
    "CHU_SO": ("chữ số", 2),
    "NUA_LEN": ("nửa lên", 3),
    "LEN": ("lên", 2),
    "XUONG": ("xuống", 2),
    "GAN_NHAT": ("gần nhất", 2),
    "AP_DUNG": ("áp dụng", 2),
    "TONG_HOP": ("tổng hợp", 2),
    "THAM_SO": ("tham số", 2),
    "CHO_PHEP_THEM": ("cho phép thêm tiêu chí", 3),
    "CHO_PHEP": ("cho phép", 2),
    "KHOA": ("khóa", 2),
    "DAU_VAO": ("đầu vào", 2),
    "DAU_RA": ("đầu ra", 2),
    "TRUONG_NHIEM_VU": ("trường nhiệm vụ", 2),
    "MOI_NHIEM_VU": ("mỗi nhiệm vụ", 2),
    "NHIEM_VU": ("nhiệm vụ", 2),
    "CAP_DUOI": ("cấp dưới", 2),
    "SO": ("số", 2),
    "VAN_BAN": ("văn bản", 2),
    "DUNG_SAI": ("đúng sai", 3),
    "NGAY": ("ngày", 2),
    "THANG_DO": ("thang", 2),
    "MAC_DINH": ("mặc định", 2),
    "TIEU_CHI": ("tiêu chí", 2),
    "THEO": ("theo", 2),
    "KHI_RONG": ("khi rỗng", 3),
    "KHI": ("khi", 2),
    "TRONG_SO": ("trọng số", 2),
    "XEP_LOAI_TRUOC": ("xếp loại trước hạn mức", 3),
    "XEP_LOAI": ("xếp loại", 2),
    "CON_LAI": ("còn lại", 2),
    "NEU": ("nếu", 2),
    "THI": ("thì", 2),
    "NGUOC_LAI": ("ngược lại", 2),
    "VA": ("và", 2),
    "HOAC": ("hoặc", 2),
    "KHONG_XEP_LOAI": ("không xếp loại", 3),
    "KHONG_QUA": ("không quá", 3),
    "KHONG": ("không", 2),
    "DUNG": ("đúng", 2),
    "SAI": ("sai", 2),
    "CO": ("có", 2),
    "LOAI_TRU": ("loại trừ", 2),
    "TOI_DA": ("tối đa", 2),
    "HAN_MUC": ("hạn mức", 2),
    "TONG_SO": ("tổng số", 2),
    "TRO_LEN": ("trở lên", 2),
    "TRO_XUONG": ("trở xuống", 2),
    "TRONG_CUNG": ("trong cùng", 2),
    "DON_VI": ("đơn vị", 2),
    "NHOM_NHIEM_VU": ("nhóm nhiệm vụ", 2),
    "HA_DIEM_THAP_TRUOC": ("hạ điểm thấp trước", 2),
    "CUNG_DIEM_THEO": ("cùng điểm theo", 2),
    "DAT": ("đặt", 2),
    "KIEM_THU": ("kiểm thử", 2),
    "CAN_BO": ("cán bộ", 2),
    "LAN": ("lần", 2),
    "KET_QUA_KY": ("kết quả kỳ", 2),
    "MONG_DOI": ("mong đợi", 2),
}

KEYWORDS: tuple[str, ...] = tuple(sorted({phrase for phrase, _ in KEYWORD_TERMINALS.values()}))

_FUNCTION_BY_FOLD: dict[str, str] = {
    fold(spelling): name for name, b in BUILTINS.items() for spelling in (name, *b.aliases)
}


def canonical_function(written: str) -> str:
    """The canonical name of a known function written in any accent/case style, else `written`."""
    return _FUNCTION_BY_FOLD.get(fold(written), written)


def _word_regex(word: str) -> str:
    folded = fold(word)
    return word if folded == word else f"(?:{word}|{folded})"


def grammar_regex(phrase: str) -> str:
    """The lark terminal regex of a keyword phrase: each word accented or folded, any spaces between."""
    return r"[ \t]+".join(_word_regex(w) for w in phrase.split()) + r"(?!\w)"


def grammar_terminals() -> str:
    """The keyword section of dsl/grammar.lark."""
    lines = []
    for name, (phrase, priority) in KEYWORD_TERMINALS.items():
        lines.append(f"{name}.{priority}: /{grammar_regex(phrase)}/i")
    return "\n".join(lines) + "\n"
