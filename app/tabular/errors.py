"""Errors found in input files: each names the file, the row (header = row 1), the column and the value."""

from __future__ import annotations

from dataclasses import dataclass


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
            head += f' (giá trị "{self.value}")'
        return f"{head}: {self.message}"

    def to_json(self) -> dict:
        value = (
            self.value
            if isinstance(self.value, (str, int, float, bool)) or self.value is None
            else str(self.value)
        )
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

    def render(self, limit: int | None = 500) -> str:
        shown = self.errors if limit is None else self.errors[:limit]
        lines = [e.render() for e in shown]
        if len(self.errors) > len(shown):
            lines.append(f"... và {len(self.errors) - len(shown)} lỗi khác")
        return "\n".join(lines)
