"""Comments of a source text (the parser drops them): where they are and which lines hold code."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Comment:
    line: int  # 1-based
    text: str  # from '#' to the end of the line, right-stripped
    own_line: bool  # nothing but spaces before it
    blank_after: bool = False  # an own-line comment followed by a blank line in the source


def scan(source: str) -> tuple[list[Comment], list[int]]:
    """(comments, sorted numbers of the lines that hold code)."""
    comments: list[Comment] = []
    code_lines: list[int] = []
    lines = source.split("\n")
    for number, line in enumerate(lines, start=1):
        cut = _comment_start(line)
        code = (line if cut is None else line[:cut]).replace("\ufeff", "")
        if code.strip():
            code_lines.append(number)
        if cut is not None:
            own = not code.strip()
            blank_after = own and number < len(lines) and not lines[number].replace("\ufeff", "").strip()
            comments.append(Comment(number, line[cut:].rstrip(), own, blank_after))
    return comments, code_lines


def _comment_start(line: str) -> int | None:
    quote: str | None = None
    escaped = False
    for i, ch in enumerate(line):
        if quote is not None:
            if escaped:
                escaped = False
            elif ch == "\\" and quote == '"':
                escaped = True
            elif ch == quote:
                quote = None
        elif ch == '"':
            quote = '"'
        elif ch == "“":
            quote = "”"
        elif ch == "#":
            return i
    return None
