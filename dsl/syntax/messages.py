"""Syntax errors in words: lark's expected-terminal sets → Vietnamese messages (never token names)."""

from __future__ import annotations

from lark import Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from .keywords import KEYWORD_TERMINALS

_PUNCT = {
    "COLON": "dấu ':'",
    "COMMA": "dấu ','",
    "LPAR": "dấu '('",
    "RPAR": "dấu ')'",
    "EQ": "dấu '='",
    "CMP": "một phép so sánh",
    "PLUS": "dấu '+'",
    "MINUS": "dấu '-'",
    "TIMES": "dấu '×'",
    "DIV": "dấu '/'",
    "TEXT": "một chuỗi trong dấu ngoặc kép",
    "NUMBER": "một số",
    "PERCENT": "một tỷ lệ phần trăm",
    "DATE": "một ngày dạng dd/mm/yyyy",
    "NAME": "một tên",
    "_NL": "hết dòng",
    "_INDENT": "một khối thụt lề ở dòng sau",
    "_DEDENT": "giảm thụt lề",
    "$END": "hết tệp",
}
# what NAME means after a given token
_NAME_AFTER = {
    "THAM_SO": "tên tham số",
    "DAT": "tên tham số",
    "DAU_VAO": "tên đầu vào",
    "TRUONG_NHIEM_VU": "tên trường nhiệm vụ",
    "TIEU_CHI": "mã tiêu chí",
    "DAU_RA": "tên đầu ra",
    "CUNG_DIEM_THEO": "tên trường",
}
_TEXT_AFTER = {
    "BO_QUY_TAC": "mã bộ quy tắc trong dấu ngoặc kép",
    "AP_DUNG": "mã bộ quy tắc trong dấu ngoặc kép",
    "TEN": "tên trong dấu ngoặc kép",
    "CAN_CU": "tên văn bản trong dấu ngoặc kép",
    "KIEM_THU": "tên trường hợp kiểm thử trong dấu ngoặc kép",
    "CAN_BO": "mã cán bộ trong dấu ngoặc kép",
    "LOAI_TRU": "tên mức xếp loại trong dấu ngoặc kép",
    "TOI_DA": "tên mức xếp loại trong dấu ngoặc kép",
    "HAN_MUC": "tên mức xếp loại trong dấu ngoặc kép",
}
_EXPR_START = {"NUMBER", "PERCENT", "DATE", "TEXT", "NAME", "LPAR", "MINUS", "NEU", "KHONG", "DUNG", "SAI"}
_STATEMENT_START = {"THAM_SO", "TIEU_CHI", "DAU_VAO", "MOI_NHIEM_VU", "XEP_LOAI", "KIEM_THU", "HAN_MUC"}
_LAYOUT = {"_NL", "_INDENT", "_DEDENT"}
_OPERATORS = {"PLUS", "TIMES", "DIV", "CMP", "VA", "HOAC"}  # not MINUS: it also starts a literal
_LITERAL = {"NUMBER", "PERCENT", "DATE", "TEXT", "DUNG", "SAI"}


def _quote(phrase: str) -> str:
    return f"'{phrase}'"


def describe_token(tok: Token | None) -> str:
    if tok is None:
        return "đầu tệp"
    kind = tok.type
    if kind in KEYWORD_TERMINALS:
        return "từ khóa " + _quote(KEYWORD_TERMINALS[kind][0])
    if kind in ("_NL", "_DEDENT"):
        return "hết dòng"
    if kind == "_INDENT":
        return "một dòng thụt lề"
    if kind == "$END":
        return "hết tệp"
    text = str(tok)
    if len(text) > 30:
        text = text[:27] + "…"
    return _quote(text)


def _describe_expected(expected: set[str], prev: Token | None) -> list[str]:
    expected = {e for e in expected if e not in ("_NL",)} or set(expected)
    prev_kind = prev.type if prev is not None else None
    words: list[str] = []
    if {"XEP_LOAI", "LOAI_TRU", "KHONG_XEP_LOAI"} <= expected:
        return ["một khóa cần kiểm tra (mã tiêu chí, tên đầu ra, 'điểm', 'xếp loại', 'loại trừ'…)"]
    if len(expected & _STATEMENT_START) >= 3:
        return ["một câu lệnh (như 'tham số', 'tiêu chí', 'điểm =', 'xếp loại', 'kiểm thử')"]
    if {"NAME", "NUMBER", "LPAR"} <= expected:
        words.append("một biểu thức")
        expected = expected - _EXPR_START - {"DIEM", "KY", "NHIEM_VU", "CAP_DUOI", "KHI_RONG"}
    elif _LITERAL <= expected:
        words.append("một giá trị (số, tỷ lệ %, chuỗi, ngày, đúng/sai)")
        expected = expected - _LITERAL - {"MINUS", "CO"}
    for kind in sorted(expected, key=lambda k: (k not in _PUNCT, k)):
        if kind == "NAME" and prev_kind in _NAME_AFTER:
            words.append(_NAME_AFTER[prev_kind])
        elif kind == "TEXT" and prev_kind in _TEXT_AFTER:
            words.append(_TEXT_AFTER[prev_kind])
        elif kind in _PUNCT:
            words.append(_PUNCT[kind])
        elif kind in KEYWORD_TERMINALS:
            words.append("từ khóa " + _quote(KEYWORD_TERMINALS[kind][0]))
    return words


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    if len(words) > 4:
        return ", ".join(words[:4]) + ", …"
    return ", ".join(words[:-1]) + " hoặc " + words[-1]


def last_token(value_stack) -> Token | None:
    """The last token already parsed (from the LALR value stack)."""
    for item in reversed(value_stack or ()):
        node = item
        while isinstance(node, Tree):
            kids = [k for k in node.children if isinstance(k, (Tree, Token))]
            if not kids:
                break
            node = kids[-1]
        if isinstance(node, Token) and node.type not in _LAYOUT:
            return node
    return None


def expected_terminals(err: UnexpectedInput) -> set[str]:
    """The terminals the parser would really accept at the error. lark's `expected` is the LALR state's
    lookahead, which merges the contexts a rule is used in; `accepts` simulates the reductions."""
    if isinstance(err, UnexpectedToken) and getattr(err, "interactive_parser", None) is not None:
        try:
            accepted = set(err.accepts)
        except Exception:  # noqa: BLE001 - best effort: fall back to the state's lookahead
            accepted = set()
        if accepted:
            return accepted
    return set(getattr(err, "expected", ()) or ())


def unclosed_paren(err: UnexpectedInput, prev: Token | None) -> bool:
    """Whether the error is a ')' missing at the end of `prev`'s line (the parser read on past it)."""
    token = getattr(err, "token", None)
    expected = expected_terminals(err)
    return (
        "RPAR" in expected
        and prev is not None
        and token is not None
        and getattr(token, "line", None) is not None
        and prev.end_line is not None
        and token.line > prev.end_line
    )


def message(err: UnexpectedInput, prev: Token | None) -> str:
    """A Vietnamese message for a lark parse error."""
    later_line = unclosed_paren(err, prev)
    if isinstance(err, UnexpectedCharacters):
        ch = err.char
        if ch == '"':
            return "chuỗi chưa đóng: thiếu dấu '\"' ở cuối"
        return f"ký tự không hợp lệ {_quote(ch)}"
    expected = expected_terminals(err)
    if isinstance(err, UnexpectedEOF):
        got = "hết tệp"
    else:
        got = describe_token(err.token)
    found = err.token.type if isinstance(err, UnexpectedToken) else "$END"
    if found == "_INDENT":
        return "thụt lề không mong đợi (dòng này không nằm trong một khối)"
    token = getattr(err, "token", None)
    starts_line = prev is not None and token is not None and (token.line or 0) > (prev.end_line or 0)
    after = (
        f" sau {describe_token(prev)}"
        if prev is not None and (later_line or not starts_line or found in _LAYOUT)
        else ""
    )
    if "COLON" in expected and found in ("_NL", "$END"):
        return f"thiếu dấu ':'{after}"
    if expected == {"RPAR"} or ("RPAR" in expected and (found in ("_NL", "$END", "_DEDENT") or later_line)):
        return f"thiếu dấu ')'{after}"
    if expected == {"_INDENT"}:
        return f"mong đợi các dòng thụt vào (ví dụ 2 dấu cách) ngay dưới dòng{after}"
    if found in _EXPR_START | {"DIEM"} and _OPERATORS & expected and found != "NEU":
        return f"thiếu phép toán hoặc dấu ','{after}, trước {got}"
    words = _describe_expected(expected, prev)
    if found == "NEU" and "một biểu thức" in words:
        return f"biểu thức 'nếu … thì … ngược lại …'{after} phải đặt trong ngoặc ( )"
    if not words:
        return f"không mong đợi {got}"
    return f"mong đợi {_join(words)}{after}, nhưng gặp {got}"
