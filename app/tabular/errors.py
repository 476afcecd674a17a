"""Errors found in input files: each names the file, the row (header = row 1), the column and the value."""

from __future__ import annotations

from dataclasses import dataclass

SHOWN = 80  # characters of a value a message shows


def shorten(value: object, limit: int = SHOWN) -> str:
    """The one way a value enters a message: its text cut to `limit` characters with "…" (a value may
    be megabytes long; stringifying it whole would flood a terminal, a log or a JSON response)."""
    if isinstance(value, str):
        text = value
    elif isinstance(value, (bytes, bytearray)):
        text = bytes(value[: limit * 4]).decode("utf-8", "replace")
    elif isinstance(value, (list, tuple, dict, set)):
        text = f"<{type(value).__name__}, {len(value)} phần tử>"
    else:
        try:
            text = str(value)
        except ValueError:  # an int past Python's 4,300-digit conversion limit
            text = f"<số có hơn {limit} chữ số>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True, slots=True)
class RowError:
    file: str
    row: int | None  # as the user sees it: the header is row 1; None: the whole file
    column: str | None  # the column header as written in the file
    value: object
    message: str  # Vietnamese

    def render(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"dòng {self.row}")
        if self.column is not None:
            where.append(f'cột "{self.column}"')
        head = ", ".join(where)
        if self.value is not None and self.value != "":
            head += f' (giá trị "{shorten(self.value)}")'
        return f"{head}: {self.message}"

    def to_json(self) -> dict:
        value = self.value
        plain = (
            value is None or isinstance(value, (float, bool)) or (type(value) is int and abs(value) < 2**63)
        )
        if not plain:
            value = shorten(value)
        return {
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "value": value,
            "message": self.message,
        }


class TableErrors(Exception):
    """Every problem found in one or more input files (raised once, after reading everything)."""

    def __init__(self, errors: list[RowError]):
        self.errors = list(errors)
        super().__init__(f"{len(self.errors)} lỗi trong tệp dữ liệu")

    def render(self, limit: int | None = 500, per_problem: int = 10) -> str:
        """All errors, one a line; beyond `per_problem` rows with the same problem (same file, column
        and message) the rest are counted with their row numbers; at most `limit` lines."""
        groups: dict[tuple, list[RowError]] = {}
        for e in self.errors:
            groups.setdefault((e.file, e.column, e.message), []).append(e)
        lines: list[str] = []
        for group in groups.values():
            lines.extend(e.render() for e in group[:per_problem])
            rest = group[per_problem:]
            if rest:
                rows = [str(e.row) for e in rest if e.row is not None]
                shown = ", ".join(rows[:30]) + (", …" if len(rows) > 30 else "")
                lines.append(f"  … và {len(rest)} dòng khác có cùng lỗi (dòng {shown})")
        if limit is not None and len(lines) > limit:
            lines = lines[:limit] + [f"… và {len(lines) - limit} dòng thông báo nữa"]
        return "\n".join(lines)
