"""The indentation postlexer: turns newline tokens into _NL/_INDENT/_DEDENT, ignoring newlines in ( ).

Unlike lark's stock `Indenter` it places every newline/indent/dedent token at the end of the last real
token (so a statement's span ends where its text ends, and "missing ':'" points after the line), and it
reports a bad dedent or an unmatched ')' as a `LayoutError` with a position instead of asserting."""

from __future__ import annotations

from collections.abc import Iterator

from lark import Token
from lark.lark import PostLex

TAB_LEN = 4


class LayoutError(Exception):
    def __init__(self, message: str, line: int, column: int):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def _at(kind: str, value: str, anchor: Token | None) -> Token:
    if anchor is None:
        return Token(kind, value, 0, 1, 1, 1, 1, 0)
    end = anchor.end_pos if anchor.end_pos is not None else 0
    return Token(
        kind, value, end, anchor.end_line, anchor.end_column, anchor.end_line, anchor.end_column, end
    )


class Indenter(PostLex):
    """Python-like blocks. Stateless between calls: each `process` keeps its own stack, so one cached
    parser serves several threads."""

    always_accept = ("_NL",)

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        paren_level = 0
        levels = [0]
        last: Token | None = None
        for token in stream:
            if token.type == "_NL":
                if paren_level == 0:
                    yield from _newline(token, last, levels)
                continue
            yield token
            last = token
            if token.type == "LPAR":
                paren_level += 1
            elif token.type == "RPAR" and paren_level > 0:
                paren_level -= 1
        while len(levels) > 1:
            levels.pop()
            yield _at("_DEDENT", "", last)


def _newline(token: Token, last: Token | None, levels: list[int]) -> Iterator[Token]:
    yield _at("_NL", "\n", last)
    indent_str = token.rsplit("\n", 1)[1]
    indent = indent_str.count(" ") + indent_str.count("\t") * TAB_LEN
    if indent > levels[-1]:
        levels.append(indent)
        yield _at("_INDENT", indent_str, last)
        return
    while indent < levels[-1]:
        levels.pop()
        yield _at("_DEDENT", indent_str, last)
    if indent != levels[-1]:
        line = token.end_line if token.end_line is not None else 1
        raise LayoutError(
            f"thụt lề không khớp với dòng nào phía trên (thụt {indent} khoảng trắng, mong đợi {levels[-1]})",
            line,
            len(indent_str) + 1,
        )
