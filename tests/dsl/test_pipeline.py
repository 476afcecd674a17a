"""check_source / check_file: the single validation path, and that it never raises."""

import hashlib
import re
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent / "checker"))

from checker_golden import RICH, VALID  # noqa: E402

from dsl.pipeline import CheckResult, check_file, check_source  # noqa: E402
from dsl.text import canon  # noqa: E402


def test_rich_sample_is_clean():
    result = check_source(RICH, "rich.kpi")
    assert result.diagnostics == [], [d.render(RICH) for d in result.diagnostics]


def test_valid_source_result():
    result = check_source(VALID, "x.kpi")
    assert isinstance(result, CheckResult) and result.ok
    assert result.ruleset is not None and result.source_ruleset is not None
    assert result.sha256 == hashlib.sha256(canon(VALID).encode()).hexdigest()


def test_sha256_is_of_the_canonical_text():
    nfd = VALID.replace("hoàn", "hoa\u0300n")
    assert check_source(nfd).sha256 == check_source(VALID).sha256


def test_diagnostics_sorted_with_file_set():
    bad = VALID.replace("tổng(giao), 100)", "tổng(gia), 100)") + "\nx = khong_co + 1\n"
    result = check_source(bad, "y.kpi")
    assert not result.ok
    keys = [(d.span.line, d.span.column) for d in result.diagnostics]
    assert keys == sorted(keys) and all(d.file == "y.kpi" for d in result.diagnostics)


def test_unparsable_source():
    result = check_source("đây không phải bộ quy tắc (((", "z.kpi")
    assert result.ruleset is None and not result.ok
    assert all(d.file == "z.kpi" for d in result.diagnostics)


def test_check_file_bom_undecodable_missing(tmp_path: Path):
    good = tmp_path / "a.kpi"
    good.write_bytes("\ufeff".encode() + VALID.encode())
    assert check_file(good).ok
    bad = tmp_path / "b.kpi"
    bad.write_bytes(b'bo quy tac "X" phien ban 1\n\xff\xfe\n')
    result = check_file(bad)
    assert [(d.code, d.span.line, d.span.column) for d in result.diagnostics] == [("E0005", 2, 1)]
    assert result.ruleset is None
    # the column counts the characters of the line before the bad byte
    accented = tmp_path / "c.kpi"
    accented.write_bytes('bộ quy tắc "X" phiên bản 1\n  tên "Ph'.encode() + b'\xe1t"\n')
    diag = check_file(accented).diagnostics[0]
    assert (diag.code, diag.span.line, diag.span.column) == ("E0005", 2, 10)
    assert "UTF-8" in diag.message
    missing = check_file(tmp_path / "none.kpi")
    assert [d.code for d in missing.diagnostics] == ["E0001"] and not missing.ok


def test_long_operator_chain_does_not_overflow():
    chain = " + ".join(["1"] * 3000)
    source = VALID + f"\nx = {chain}\n"
    result = check_source(source)
    line = source.splitlines().index(f"x = {chain}") + 1
    assert [(d.code, d.span.line, d.span.column) for d in result.diagnostics] == [("E0002", line, 5)]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_arbitrary_text_never_raises(text):
    result = check_source(text)
    assert isinstance(result.diagnostics, list)


_TOKENS = [
    "điểm",
    "xếp_loại",
    "tổng(",
    "đếm(cấp dưới",
    "nếu",
    "thì",
    "ngược lại",
    ")",
    "(",
    ",",
    "=",
    "/",
    "0",
    "25%",
    '"x"',
    "\n",
    "  ",
    "tiêu chí",
    "khi rỗng",
    "và",
    "không",
    "kỳ",
    "01/01/2026",
    "#",
    ":",
]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.integers(0, len(RICH)),
            st.integers(0, 12),
            st.sampled_from(_TOKENS),
        ),
        max_size=4,
    )
)
def test_mutated_valid_ruleset_never_raises(edits):
    text = VALID if len(edits) % 2 else RICH
    for pos, cut, token in edits:
        pos = min(pos, len(text))
        text = text[:pos] + token + text[pos + cut :]
    result = check_source(text)
    assert isinstance(result.diagnostics, list)
    if result.ruleset is not None:
        assert result.sha256


_WORDS = sorted(set(re.findall(r"\w+|[<>=]+|\d+%?", RICH)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from(_WORDS), st.integers(0, 5)), max_size=5))
def test_word_swaps_in_a_rich_ruleset_never_raise(swaps):
    """Swapping words keeps most of the text parsable, so these reach the checker's every stage."""
    text = RICH
    for old, new, nth in swaps:
        positions = [m.start() for m in re.finditer(re.escape(old), text)]
        if positions:
            at = positions[nth % len(positions)]
            text = text[:at] + new + text[at + len(old) :]
    result = check_source(text)
    assert all(d.file == "<nguồn>" for d in result.diagnostics)
