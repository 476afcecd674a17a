"""Golden diagnostics: names, scopes, types, functions, division."""

from checker_golden import BODY, HEADER, LEVELS, VALID, col_of, only, pos


def src(body: str) -> str:
    return HEADER + "\n" + body + "\n" + LEVELS


def test_valid_ruleset_has_no_diagnostics():
    assert only(VALID, *[f"E0{n:03d}" for n in range(1000)], "W0901", "W0902", "W0903") == []


def test_unknown_field_with_suggestion_ignoring_diacritics():
    s = src(BODY + "mỗi nhiệm vụ:\n  trễ = han_hoan_thanh\n")
    assert only(s, "E0102") == [("E0102", *col_of(s, "han_hoan_thanh"))]


def test_unknown_name_and_function():
    s = src(BODY + "x = mưc_trừ + 1\ny = tong_cong(1)\n")
    assert only(s, "E0101", "E0103") == [("E0101", *col_of(s, "mưc_trừ")), ("E0103", *col_of(s, "tong_cong"))]


def test_task_value_outside_aggregate_and_aggregate_inside_task_value():
    s = src(BODY + "x = giao + 1\nmỗi nhiệm vụ:\n  y = tổng(giao)\n")
    assert only(s, "E0106") == [
        ("E0106", *col_of(s, "giao + 1")),
        ("E0106", *pos(s, "y = tổng(giao)", "tổng")),
    ]


def test_person_value_inside_task_value_and_level_outside_outputs():
    s = src(
        BODY + 'mỗi nhiệm vụ:\n  y = a + 1\nz = nếu xếp_loại = "Hoàn thành tốt nhiệm vụ" thì 1 ngược lại 0\n'
    )
    assert only(s, "E0106") == [("E0106", *col_of(s, "a + 1")), ("E0106", *col_of(s, "xếp_loại ="))]


def test_level_readable_in_outputs_and_subordinate_scope():
    body = BODY + (
        'tiêu chí d "Đơn vị" theo điều 15 khi lãnh_đạo = '
        'nếu đếm(cấp dưới nếu xếp_loại = "Không hoàn thành nhiệm vụ") = 0 thì 100 ngược lại 50\n'
        'đầu ra hệ_số "Hệ số" = nếu xếp_loại = "Hoàn thành tốt nhiệm vụ" thì 0.3 ngược lại 0\n'
    )
    s = src(body)
    assert only(s, "E0106", "E0104", "E0102", "E0101", "E0201") == []


def test_subordinate_scope_rejects_task_fields_and_period_scope_needs_rollup():
    s = src(BODY + "x = đếm(cấp dưới nếu số_lần_chậm > 0)\ny = đếm(kỳ)\n")
    assert only(s, "E0106") == [("E0106", *col_of(s, "số_lần_chậm > 0")), ("E0106", *col_of(s, "đếm(kỳ)"))]


def test_unknown_level_and_scale_value():
    body = BODY + (
        'x = đếm(cấp dưới nếu xếp_loại = "Hoàn thành tot nhiệm vụ")\n'
        'loại trừ "Không hoàn thành nhiệm vụ" nếu kỷ_luật >= "khien trach"\n'
    )
    s = src(body)
    assert only(s, "E0104", "E0108") == [
        ("E0104", *col_of(s, '"Hoàn thành tot')),
        ("E0108", *col_of(s, '"khien trach"')),
    ]


def test_type_mismatches_and_conditions():
    body = BODY + (
        'x = điểm_tiêu_chí_chung + "a"\n'
        "y = nếu điểm_tiêu_chí_chung thì 1 ngược lại 2\n"
        'z = nếu lãnh_đạo thì 1 ngược lại "hai"\n'
        "w = ngày_giao_x\n"
    )
    s = src(body)
    got = only(s, "E0201", "E0202")
    assert ("E0201", *col_of(s, '"a"')) in got
    assert ("E0202", *col_of(s, "điểm_tiêu_chí_chung thì")) in got
    assert ("E0201", *col_of(s, "nếu lãnh_đạo thì 1")) in got
    assert len(got) == 3


def test_text_compared_with_task_status_choices():
    s = src(BODY + 'mỗi nhiệm vụ:\n  hủy_bỏ = trạng_thái = "Huy"\n')
    assert only(s, "E0108") == [("E0108", *col_of(s, '"Huy"'))]


def test_argument_counts():
    s = src(BODY + "x = giới_hạn(1, 2)\ny = tỷ_lệ(1)\n")
    assert only(s, "E0107") == [("E0107", *col_of(s, "giới_hạn")), ("E0107", *col_of(s, "tỷ_lệ(1)"))]


def test_division_needs_provably_nonzero_divisor():
    body = BODY + (
        "tham số hệ_số_chia = 4 cho phép 1 đến 10\n"
        "tham số có_thể_0 = 4 cho phép 0 đến 10\n"
        "x1 = tổng(giao) / 2\n"
        "x2 = tổng(giao) / hệ_số_chia\n"
        "x3 = tổng(giao) / lớn_nhất(1, tổng(đạt))\n"
        "x4 = tổng(giao) / tổng(đạt)\n"
        "x5 = tổng(giao) / có_thể_0\n"
        "x6 = chia(tổng(giao), tổng(đạt))\n"
        "x7 = chia(tổng(giao), tổng(đạt), 0)\n"
        "x8 = tỷ_lệ(tổng(giao), tổng(đạt))\n"
    )
    s = src(body)
    lines = [line for _code, line, _col in only(s, "E0301")]
    assert lines == [col_of(s, n)[0] for n in ("x4 =", "x5 =", "x6 =", "x8 =")]


def test_empty_aggregate_needs_default():
    s = src(BODY + "x = trung_bình(giao)\ny = trung_bình(giao, khi rỗng 0)\nz = lớn_nhất(cấp dưới, điểm)\n")
    assert only(s, "E0302") == [
        ("E0302", *col_of(s, "trung_bình(giao)")),
        ("E0302", *col_of(s, "lớn_nhất(cấp")),
    ]


def test_duplicates():
    body = BODY + 'tham số mức_trừ = 10%\ntiêu chí a "Lại a" theo điều 14 = 100\nkhối_lượng_giao = 1\n'
    s = src(body)
    assert [c[1] for c in only(s, "E0105")] == [
        col_of(s, "tham số mức_trừ = 10%")[0],
        col_of(s, 'tiêu chí a "Lại a"')[0],
        col_of(s, "khối_lượng_giao = 1")[0],
    ]


def test_cycle_names_the_path():
    s = src(BODY + "p = q + 1\nq = r + 1\nr = p + 1\n")
    result = only(s, "E0501")
    assert result == [("E0501", col_of(s, "p = q")[0], 1)]
    from checker_golden import run

    message = next(d.message for d in run(s).diagnostics if d.code == "E0501")
    assert "p → q → r → p" in message


def test_criterion_reading_score_is_a_cycle():
    s = src(BODY.replace("= tỷ_lệ(tổng(đạt), tổng(giao), 100)", "= điểm"))
    assert [c[0] for c in only(s, "E0501")] == ["E0501"]


def test_rounding_digits_must_be_a_whole_number():
    s = src(BODY + "x = làm_tròn(tổng(giao), 1.5)\ny = làm_tròn(tổng(giao), 2)\n")
    assert only(s, "E0201") == [("E0201", *col_of(s, "1.5"))]
