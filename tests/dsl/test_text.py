import unicodedata

import pytest

from dsl.text import canon, fold, header_key, identifier_of, suggest


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("hoà", "hòa"),
        ("huỷ", "hủy"),
        ("Khánh Hoà", "Khánh Hòa"),
        ("Thanh Hoá", "Thanh Hóa"),
        ("khoẻ", "khỏe"),
        ("thuỷ_lợi", "thủy_lợi"),
        ("hoà_giải", "hòa_giải"),
        ("hoàn thành", "hoàn thành"),  # the mark of "oan" stays on the second vowel
        ("quý", "quý"),  # "qu" is a consonant
        (unicodedata.normalize("NFD", "Hủy"), "Hủy"),
    ],
)
def test_canon_one_tone_style(written, expected):
    assert canon(written) == expected
    assert len(canon(written)) == len(unicodedata.normalize("NFC", written))


def test_fold_and_header_key():
    assert fold("Đơn vị") == "don vi"
    assert header_key("Hạn hoàn thành") == header_key("han_hoan_thanh") == header_key("HAN HOAN THANH")
    assert header_key("\ufeffMã cán bộ") == header_key("ma_can_bo")


def test_identifier_and_suggestion():
    assert identifier_of("Số lần sai sót lớn") == "số_lần_sai_sót_lớn"
    assert suggest("han_hoan_thanh", ["hạn_hoàn_thành", "ngày_giao"]) == "hạn_hoàn_thành"
    assert suggest("zzz", ["hạn_hoàn_thành"]) is None
