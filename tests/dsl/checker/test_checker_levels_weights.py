"""Golden diagnostics: levels, weights, parameters, header, quotas and vetoes."""

from checker_golden import BODY, HEADER, LEVELS, col_of, line_of, only, pos, run


def with_levels(levels: str, body: str = BODY) -> str:
    return HEADER + "\n" + body + "\n" + levels


def test_no_levels():
    s = HEADER + "\n" + BODY
    assert only(s, "E0407") == [("E0407", 1, 1)]


def test_missing_final_rest_and_unreachable_after_rest():
    s = with_levels('xếp loại:\n  "A" nếu điểm >= 90\n  "B" còn lại\n  "C" nếu điểm >= 50\n')
    assert only(s, "E0403", "E0404") == [
        ("E0403", *col_of(s, '"C" nếu')),
        ("E0404", *col_of(s, '"C" nếu')),
    ]


def test_unreachable_level_hidden_by_earlier_ones():
    s = with_levels(
        'xếp loại:\n  "A" nếu điểm >= 70\n  "B" nếu điểm >= 90\n  "C" nếu điểm > 100 và điểm < 0\n  "D" còn lại\n'
    )
    assert only(s, "E0404", "E0405", "E0406") == [
        ("E0404", *col_of(s, '"B" nếu')),
        ("E0404", *col_of(s, '"C" nếu')),
    ]


def test_two_sided_overlap():
    s = with_levels('xếp loại:\n  "A" nếu điểm >= 90\n  "B" nếu 70 <= điểm <= 90\n  "C" còn lại\n')
    assert only(s, "E0404", "E0405", "E0406") == [("E0405", *col_of(s, '"B" nếu'))]


def test_gap_between_ranged_levels():
    s = with_levels(
        'xếp loại:\n  "A" nếu điểm >= 90\n  "B" nếu 70 <= điểm < 80\n  "C" nếu 50 <= điểm < 70\n  "D" còn lại\n'
    )
    assert only(s, "E0404", "E0405", "E0406") == [("E0406", *col_of(s, '"A" nếu'))]


def test_thresholds_from_parameters_and_non_score_conditions():
    body = BODY + "tham số ngưỡng_tốt = 70\n"
    levels = (
        "xếp loại:\n"
        '  "A" nếu điểm >= 90 và lãnh_đạo\n'
        '  "B" nếu điểm >= ngưỡng_tốt\n'
        '  "C" nếu 50 <= điểm < ngưỡng_tốt\n'
        '  "D" nếu điểm >= 95\n'
        '  "E" còn lại\n'
    )
    s = with_levels(levels, body)
    # "A" is partial (và lãnh_đạo), so "D" (>= 95) is still hidden by B (>= 70): unreachable
    assert only(s, "E0404", "E0405", "E0406") == [("E0404", *col_of(s, '"D" nếu'))]


def test_weights_all_or_none_and_sum_per_applicability_group():
    body = BODY.replace("theo điều 14 =", "theo điều 14 trọng số 40% =") + (
        'tiêu chí b "B" theo điều 14 trọng số 60% = 100\n'
        'tiêu chí c "C" theo điều 15 khi lãnh_đạo trọng số 10% = 100\n'
        'tiêu chí e "E" theo điều 15 = 100\n'
    )
    s = with_levels(LEVELS, body)
    assert only(s, "E0401", "E0402") == [("E0402", *col_of(s, "tiêu chí e"))]
    body2 = body.replace('tiêu chí e "E" theo điều 15 = 100\n', "")
    s2 = with_levels(LEVELS, body2)
    # the leaders' group a+b+c = 110%; the others' a+b = 100%
    assert only(s2, "E0401", "E0402") == [("E0401", *col_of(s2, "40%"))]


def test_weight_gap_between_khi_conditions_names_a_witness():
    """`khi số_hồ_sơ > 4` and `khi số_hồ_sơ < 4`: nobody is both (no 200% group), and at 4 nothing
    applies: one E0401 that says so with the value."""
    body = BODY.replace("điểm = điểm_tiêu_chí_chung + a × 70%\n", "").replace(
        'tiêu chí a "Số lượng" theo điều 14 =',
        'tiêu chí a "Số lượng" theo điều 14 khi số_hồ_sơ > 4 trọng số 100% =',
    ) + (
        'đầu vào số_hồ_sơ "Số hồ sơ": số từ 0 đến 100 mặc định 0\n'
        'tiêu chí b "B" theo điều 14 khi số_hồ_sơ < 4 trọng số 100% = 100\n'
    )
    s = with_levels(LEVELS, body)
    got = [d for d in run(s).diagnostics if d.code == "E0401"]
    assert [(d.span.line, d.span.column) for d in got] == [col_of(s, "số_hồ_sơ > 4")]
    assert "không có trường hợp nào khi số_hồ_sơ = 4" in got[0].message
    # a chain and a parameter: 2 <= x <= ngưỡng and x > ngưỡng leave 0 <= x < 2 (declared from 0)
    chain = (
        s.replace("khi số_hồ_sơ > 4", "khi 2 <= số_hồ_sơ <= ngưỡng").replace(
            "khi số_hồ_sơ < 4", "khi số_hồ_sơ > ngưỡng"
        )
        + "tham số ngưỡng = 10\n"
    )
    got = [d for d in run(chain).diagnostics if d.code == "E0401"]
    assert len(got) == 1 and "khi số_hồ_sơ = 0" in got[0].message
    # from 0 (the input's lowest value) up: every declared value is covered
    covered = chain.replace("khi 2 <= số_hồ_sơ", "khi 0 <= số_hồ_sơ")
    assert [d.message for d in run(covered).diagnostics if d.code == "E0401"] == []


def test_weight_gap_witness_of_a_count_is_within_its_range():
    body = BODY.replace("điểm = điểm_tiêu_chí_chung + a × 70%\n", "").replace(
        'tiêu chí a "Số lượng" theo điều 14 =',
        'tiêu chí a "Số lượng" theo điều 14 khi đếm(nhiệm vụ nếu số_lần_chậm > 0) > 0 trọng số 100% =',
    )
    got = [d.message for d in run(with_levels(LEVELS, body)).diagnostics if d.code == "E0401"]
    assert len(got) == 1 and "khi đếm(nhiệm vụ nếu số_lần_chậm > 0) = 0:" in got[0], got


def test_no_score_needs_weights():
    body = BODY.replace("điểm = điểm_tiêu_chí_chung + a × 70%\n", "")
    s = with_levels(LEVELS, body)
    assert only(s, "E0402") == [("E0402", *col_of(s, "tiêu chí a"))]


def test_parameter_bounds():
    body = BODY + (
        "tham số p1 = 60% cho phép 0% đến 50%\n"
        "tham số p2 = 5 cho phép 10 đến 1\n"
        'tham số p3 = 5 cho phép "a" đến 10\n'
    )
    s = with_levels(LEVELS, body)
    assert only(s, "E0701") == [
        ("E0701", *col_of(s, "60%")),
        ("E0701", *col_of(s, "10 đến 1")),
        ("E0701", *col_of(s, '"a" đến')),
    ]


def test_header_problems():
    s = 'bộ quy tắc "X" phiên bản 1\n  hiệu lực từ 01/02/2026 đến 01/01/2026\n\n' + BODY + "\n" + LEVELS
    # no legal basis; no title and no period (the date is there); effective-to before from
    assert only(s, "E0904", "W0901", "W0903") == [
        ("W0901", 1, 1),
        ("W0903", 1, 1),
        ("W0903", 1, 1),
        ("E0904", *col_of(s, "hiệu lực")),
    ]


def test_criterion_without_citation_warns():
    s = with_levels(LEVELS, BODY.replace("theo điều 14 ", ""))
    assert only(s, "W0902") == [("W0902", *col_of(s, "tiêu chí a"))]


def test_quota_and_veto_levels():
    body = BODY + (
        'loại trừ "Không hoàn thành" nếu kỷ_luật >= "khiển trách"\n'
        'hạn mức "Không hoàn thành nhiệm vụ" không quá 20% tổng số\n'
        'hạn mức "Hoàn thành xuất sắc nhiệm vụ" không quá 20% số "Hoàn thành tốt"\n'
    )
    s = with_levels(LEVELS, body)
    got = only(s, "E0104")
    assert got == [
        ("E0104", line_of(s, "loại trừ"), 1),
        ("E0104", line_of(s, 'hạn mức "Không'), 1),
        ("E0104", line_of(s, 'số "Hoàn thành tốt"'), 1),
    ]


def test_input_and_field_declarations():
    body = BODY + (
        "đầu vào x1: số từ 10 đến 0\n"
        "đầu vào x2: số từ 0 đến 10 mặc định 20\n"
        'đầu vào x3: thang "a", "b" mặc định "c"\n'
        "đầu vào x4: đúng sai mặc định 1\n"
        'trường nhiệm vụ x5 "X5": số mặc định "không"\n'
    )
    s = with_levels(LEVELS, body)
    assert only(s, "E0701", "E0108", "E0201") == [
        ("E0701", *col_of(s, "10 đến 0")),
        ("E0701", *pos(s, "mặc định 20", "20")),
        ("E0108", *pos(s, 'mặc định "c"', '"c"')),
        ("E0201", *pos(s, "đúng sai mặc định 1", "1")),
        ("E0201", *pos(s, 'mặc định "không"', '"không"')),
    ]


def _levels(*lines: str) -> str:
    return "xếp loại theo điều 20:\n" + "".join(f"  {line}\n" for line in lines)


def test_levels_understand_hoac_gaps_overlaps_and_unreachable():
    """`hoặc` (and `không`) of score comparisons are unions (complements) of intervals, not "anything"."""
    gap = with_levels(
        _levels('"A" nếu điểm >= 90 hoặc điểm < 10', '"B" nếu 50 <= điểm < 90', '"C" còn lại'), BODY
    )
    got = [d for d in run(gap).diagnostics if d.code in ("E0404", "E0405", "E0406")]
    assert [(d.code, d.span.line) for d in got] == [("E0406", line_of(gap, '"B" nếu'))]
    assert "[10; 50)" in got[0].message
    overlap = with_levels(
        _levels('"A" nếu điểm >= 90 hoặc điểm < 10', '"B" nếu 5 <= điểm < 90', '"C" còn lại'), BODY
    )
    assert only(overlap, "E0404", "E0405", "E0406") == [("E0405", *col_of(overlap, '"B" nếu'))]
    hidden = with_levels(
        _levels('"A" nếu điểm >= 50 hoặc không (điểm >= 50)', '"B" nếu điểm >= 70', '"C" còn lại'), BODY
    )
    assert only(hidden, "E0404", "E0405", "E0406") == [("E0404", *col_of(hidden, '"B" nếu'))]
    fine = with_levels(
        _levels('"A" nếu điểm >= 90 hoặc không (điểm >= 10)', '"B" nếu 10 <= điểm < 90', '"C" còn lại'), BODY
    )
    assert only(fine, "E0404", "E0405", "E0406") == []
