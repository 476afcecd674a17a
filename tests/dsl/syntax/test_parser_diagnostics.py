"""Parser: syntax diagnostics (codes and positions), limits, messages in words, exported tables."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_parser import HEAD, codes, ok, score_expr

from dsl.parser import FUNCTIONS, KEYWORDS, parse
from dsl.syntax.keywords import grammar_terminals

# ---------------------------------------------------------------- diagnostics


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("mỗi nhiệm vụ\n  a = 1\n", [("E0001", 2, 13)]),  # missing ':'
        ("tham số = 5\n", [("E0001", 2, 9)]),  # missing parameter name
        ("điểm = \n", [("E0001", 2, 7)]),  # missing expression
        ("điểm = 1 +\n", [("E0001", 2, 11)]),
        ("điểm = (1 + 2\n", [("E0001", 2, 8)]),  # the unclosed "(" is pointed at
        ("điểm = tổng(a\ntiêu chí a = 1\n", [("E0001", 2, 12)]),
        # one error for the unclosed bracket, none for the valid statements after it
        ('tiêu chí a "A" = (1 +\ntiêu chí b "B" = 3\nxếp loại:\n  "X" còn lại\n', [("E0001", 2, 18)]),
        ("điểm = 1 @ 2\n", [("E0001", 2, 10)]),
        ('điểm = "abc\n', [("E0001", 2, 8)]),
        ("điểm = 1\n  # c\n\n  x = 2\n", [("E0001", 5, 3)]),  # unexpected indentation
        ("mỗi nhiệm vụ:\n    a = 1\n  b = 2\n", [("E0001", 4, 3)]),  # dedent to no level
        ("tham số a = 31/02/2026\n", [("E0003", 2, 13)]),
        ("tham số a = 1.2.3\n", [("E0003", 2, 13)]),
        ("điểm = 1.\n", [("E0003", 2, 8)]),
        # numbers are bounded: 31 significant digits is too long, 30 (with zeros around) is fine
        ("tham số a = " + "9" * 31 + "\n", [("E0004", 2, 13)]),
        ("điểm = 1 + 0." + "0" * 28 + "1\n", []),
        ("điểm = 1 + 0." + "0" * 40 + "1\n", [("E0004", 2, 12)]),  # the decimals bound the exponent
        ("điểm = 1 + 000" + "1" * 30 + ".5000\n", [("E0004", 2, 12)]),
        ("điểm = 2 × " + "7" * 4300 + "%\n", [("E0004", 2, 12)]),
        ("tham số a = 00" + "1" * 30 + ".000\n", []),
        ('  tên "a"\n  tên "b"\n', [("E0904", 3, 3)]),
        ("điểm = 1\nđiểm = 2\n", [("E0105", 3, 1)]),
    ],
)
def test_diagnostic_codes_and_positions(body, expected):
    assert codes(HEAD + body) == expected


@pytest.mark.parametrize(
    "source",
    [
        'bộ quy tắc "X" phiên bản ' + "1" * 4300 + "\n",
        HEAD + "  làm tròn 1000000 chữ số\n",
        HEAD + 'kiểm thử "k":\n  nhiệm vụ ' + "9" * 40 + ' lần (trạng_thái "Hoàn thành")\n',
    ],
)
def test_integers_of_the_header_and_tests_are_bounded(source):
    """A version, a rounding or a repeat count with thousands of digits is E0004, not a crash or a
    computation without end."""
    ruleset, diags = parse(source)
    assert ruleset is None and [d.code for d in diags] == ["E0004"]


def test_several_statements_with_errors_are_all_reported():
    src = HEAD + 'xếp loại:\n  "A" nếu\n  "B" còn lại\ntiêu chí a "x" 1\nđiểm = = 2\ntham số ok = 1\n'
    assert codes(src) == [("E0001", 3, 10), ("E0001", 5, 16), ("E0001", 6, 8)]


def test_missing_or_misplaced_header():
    assert codes("tham số a = 1\n") == [("E0904", 2 - 1, 1)]
    assert codes("") == [("E0904", 1, 1)]
    assert codes("# chỉ có chú thích\n") == [("E0904", 1, 1)]
    ruleset, diags = parse("tham số a = 1\n" + HEAD)
    assert ruleset is not None and [(d.code, d.span.line) for d in diags] == [("E0904", 2)]
    assert codes(HEAD + HEAD) == [("E0904", 2, 1)]


def test_limits():
    assert codes(HEAD + "điểm = " + "(" * 65 + "1" + ")" * 65 + "\n")[0][0] == "E0002"
    assert codes(HEAD + "điểm = " + "(" * 60 + "1" + ")" * 60 + "\n") == []
    assert codes(HEAD + "điểm = " + "-" * 70 + "1\n") == [("E0002", 2, 13)]
    assert codes(HEAD + "điểm = " + "+".join(["1"] * 1000) + "\n")[0][0] == "E0002"
    assert codes(HEAD + "điểm = " + "+".join(["1"] * 150) + "\n") == []
    big = HEAD + "# " + "x" * 200_000 + "\n"
    assert codes(big) == [("E0002", 1, 1)]


def test_messages_say_what_was_expected_in_words():
    cases = {
        "mỗi nhiệm vụ\n  a = 1\n": "thiếu dấu ':'",
        "tham số = 5\n": "tên tham số",
        "điểm = \n": "một biểu thức",
        "điểm = (1 + 2\n": "thiếu dấu ')'",
        "tiêu chí = 1\n": "mã tiêu chí",
    }
    token_name = re.compile(r"\b(?:[A-Z]+_[A-Z_]+|NAME|TEXT|NUMBER|RPAR|LPAR|COLON|_NL|\$END)\b")
    for body, words in cases.items():
        _, diags = parse(HEAD + body)
        assert words in diags[0].message
        assert not token_name.search(diags[0].message)


def test_keywords_and_functions_exported():
    assert "tiêu chí" in KEYWORDS and "xếp loại trước hạn mức" in KEYWORDS and "kiểm thử" in KEYWORDS
    assert all(k == k.lower() for k in KEYWORDS)
    assert "tỷ_lệ" in FUNCTIONS and "trung_bình_có_trọng_số" in FUNCTIONS and len(FUNCTIONS) == 15


def test_grammar_keyword_terminals_match_the_table():
    grammar = (Path(__file__).parents[3] / "dsl" / "grammar.lark").read_text(encoding="utf-8")
    assert grammar.endswith(grammar_terminals())


def test_syntax_error_ruleset_is_none_and_file_is_set():
    ruleset, diags = parse(HEAD + "điểm = \n", "x.kpi")
    assert ruleset is None and diags[0].file == "x.kpi"


def test_if_expression_inside_arithmetic_needs_brackets():
    _, diags = parse(HEAD + "điểm = 1 + nếu a thì 1 ngược lại 2\n")
    assert [(d.code, d.span.line, d.span.column) for d in diags] == [("E0001", 2, 12)]
    assert "ngoặc" in diags[0].message
    assert score_expr("1 + (nếu a thì 1 ngược lại 2)").right.cond.name == "a"


def test_block_lines_use_the_block_lookahead():
    # `dat` is the ASCII alias of the keyword `đặt` at top level, but a name inside `mỗi nhiệm vụ:`
    rs = ok(HEAD + "mỗi nhiệm vụ:\n  giao = 1\n  dat = 2\n")
    assert [(d.name, d.per_task) for d in rs.definitions] == [("giao", True), ("dat", True)]


def test_bom_and_crlf():
    rs = ok("\ufeff" + (HEAD + 'điểm = 1  # c\n\nxếp loại:\n  "A" còn lại\n').replace("\n", "\r\n"))
    assert rs.levels.levels[0].name == "A" and rs.score.span.line == 2
