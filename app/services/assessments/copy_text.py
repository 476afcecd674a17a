"""Result rows as PostgreSQL COPY text, built with string joins (no adaptation per value by the driver).

The JSON columns are written as `json.dumps(value, ensure_ascii=False)` writes them (the same text), but
a dict or list of strings is joined from memoised string literals: criteria, vetoes and most outputs
repeat the same names and values across 50,000 people."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

_SPECIAL = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
NULL = "\\N"


class _Literals(dict):
    """str -> its JSON literal ("…" with escapes), each distinct string encoded once."""

    def __missing__(self, text: str) -> str:
        literal = self[text] = json.dumps(text, ensure_ascii=False)
        return literal


class CopyText:
    """Formats values for `COPY … FROM STDIN` (text format)."""

    def __init__(self) -> None:
        self.literals = _Literals()

    def json(self, value) -> str:
        """The JSON text of `value`, equal to `json.dumps(value, ensure_ascii=False)`."""
        lit = self.literals
        if type(value) is dict:
            parts = []
            for k, v in value.items():
                if type(k) is not str or type(v) is not str:
                    return json.dumps(value, ensure_ascii=False)
                parts.append(lit[k] + ": " + lit[v])
            return "{" + ", ".join(parts) + "}"
        if type(value) is list and all(type(v) is str for v in value):
            return "[" + ", ".join([lit[v] for v in value]) + "]"
        return json.dumps(value, ensure_ascii=False)

    def column(self, values: list) -> list[str]:
        """The fields of one column; text is escaped only when the column holds a character to escape."""
        if all(type(v) is str for v in values):
            joined = "".join(values)
            if "\\" in joined or "\t" in joined or "\n" in joined or "\r" in joined:
                return [v.translate(_SPECIAL) for v in values]
            return values
        return [self.field(v) for v in values]

    @staticmethod
    def field(value) -> str:
        """One field: NULL as \\N, booleans t/f, text with backslash, tab and line breaks escaped."""
        if value is None:
            return NULL
        kind = type(value)
        if kind is str:
            return value.translate(_SPECIAL) if ("\\" in value or "\t" in value or "\n" in value or "\r" in value) else value  # fmt: skip
        if kind is bool:
            return "t" if value else "f"
        if kind is int or kind is Decimal:
            return str(value)
        if isinstance(value, dt.datetime | dt.date):
            return value.isoformat()
        return str(value).translate(_SPECIAL)
