"""Golden diagnostics: test cases written inside a ruleset (E0801 and friends)."""

from checker_golden import VALID, col_of, only, pos


def test_valid_test_case():
    s = VALID + (
        '\nkiểm thử "Ví dụ 1":\n'
        '  nhiệm vụ 9 lần (khối_lượng_giao 1, trạng_thái "Hoàn thành")\n'
        '  nhiệm vụ (khối_lượng_giao 1, trạng_thái "Hoàn thành", số_lần_chậm 1)\n'
        "  đầu vào (điểm_tiêu_chí_chung 28)\n"
        '  mong đợi a 100, điểm 97.42, xếp loại "Hoàn thành xuất sắc nhiệm vụ"\n'
    )
    assert only(s, "E0801", "E0104", "E0105", "E0101") == []


def test_unknown_attribute_and_key_and_wrong_value_type():
    s = VALID + (
        '\nkiểm thử "Sai":\n'
        '  nhiệm vụ (khoi_luong_giao 1, trạng_thái "Hoàn thành", số_lần_chậm "một")\n'
        "  đầu vào (điểm_tiêu_chí_chung 28)\n"
        '  mong đợi b 100, điểm "cao", xếp loại "Hoàn thành tốt"\n'
    )
    got = only(s, "E0801", "E0104")
    assert got == [
        ("E0801", *col_of(s, "khoi_luong_giao")),
        ("E0801", *col_of(s, '"một"')),
        ("E0801", *col_of(s, "b 100")),
        ("E0801", *col_of(s, '"cao"')),
        ("E0104", *col_of(s, '"Hoàn thành tốt"')),
    ]


def test_expectation_for_unknown_person_and_duplicate_case_names():
    s = VALID + (
        '\nkiểm thử "Hai người":\n'
        '  cán bộ "LD" (lãnh_đạo đúng, điểm_tiêu_chí_chung 27)\n'
        '    nhiệm vụ (trạng_thái "Hoàn thành")\n'
        '  cán bộ "NV1" (người_quản_lý "LD", điểm_tiêu_chí_chung 10)\n'
        '  mong đợi "NV2" điểm 10\n'
        '\nkiểm thử "Hai người":\n'
        "  đầu vào (điểm_tiêu_chí_chung 28)\n"
        "  mong đợi điểm 28\n"
    )
    got = only(s, "E0801", "E0105")
    assert got[0] == ("E0801", *pos(s, 'mong đợi "NV2" điểm 10', "điểm 10"))
    assert got[1][0] == "E0105" and len(got) == 2


def test_overrides_in_cases_and_period_records_outside_rollup():
    s = VALID + (
        '\nkiểm thử "Đặt":\n'
        "  đặt mức_trừ = 10%\n"
        "  đặt muc_tru_khac = 10%\n"
        '  đặt mức_trừ = "nhiều"\n'
        '  kết quả kỳ (kỳ "2026-01", điểm 92)\n'
        "  mong đợi điểm 0\n"
    )
    got = only(s, "E0801", "E0101")
    assert got == [
        ("E0101", *col_of(s, "đặt muc_tru_khac")),
        ("E0801", *col_of(s, '"nhiều"')),
        ("E0801", *col_of(s, "kết quả kỳ")),
    ]


def test_test_case_records_are_bounded():
    s = VALID + (
        '\nkiểm thử "Quá lớn":\n'
        '  nhiệm vụ 999999999 lần (trạng_thái "Hoàn thành")\n'
        "  đầu vào (điểm_tiêu_chí_chung 28)\n"
        "  mong đợi điểm 98\n"
    )
    assert only(s, "E0801") == [("E0801", *col_of(s, 'kiểm thử "Quá lớn"'))]
