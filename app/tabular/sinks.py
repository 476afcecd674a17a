"""Column sinks: convert a streamed column chunk by chunk, parsing each distinct raw value once.

A sink keeps a dict raw value -> converted value whose `__missing__` parses; converting a chunk is one
C-level `map` of dict lookups. Values that fail to parse are remembered; the rows holding them are
located per chunk only once some value has failed, so a clean file pays nothing for error reporting.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from .errors import RowError
from .values import is_canonical

_NAN = float("nan")
_MAX_TABLE = 200_000  # a column with more distinct values is converted without the table


class _Table(dict):
    """raw -> converted; a miss parses, and a failure is recorded in `bad` (raw -> message)."""

    __slots__ = ("parse", "bad", "failed")

    def __init__(self, parse: Callable[[object], object], failed: object):
        super().__init__()
        self.parse = parse
        self.bad: dict[object, str] = {}
        self.failed = failed

    def __missing__(self, raw: object) -> object:
        try:
            value = self.parse(raw)
        except ValueError as exc:
            self.bad[raw] = str(exc)
            value = self.failed
        except TypeError:  # an unhashable or odd value from a typed source
            self.bad[raw] = "giá trị không hợp lệ"
            value = self.failed
        self[raw] = value
        return value


class Sink:
    """One column: `feed(rows, values)` per chunk, `result()` at the end.

    `kind`: "float" (numpy float64, `failed` NaN), "bool" (numpy bool) or "object" (numpy object).
    `parse(raw)` returns the converted value or raises ValueError with a Vietnamese message.
    """

    def __init__(
        self,
        filename: str,
        header: str,
        parse: Callable[[object], object],
        kind: str = "object",
        plain_text: bool = False,
        required: bool = False,
    ):
        # plain_text: parse = canon text ("" -> "" unless `required`): whole chunks may skip parsing
        self.plain_text = plain_text
        self.required = required
        self.filename = filename
        self.header = header
        self.kind = kind
        self.table = _Table(parse, _NAN if kind == "float" else None)
        self.parts: list[object] = []
        self.errors: list[RowError] = []
        self.bad_rows: set[int] = set()
        self._direct = False

    def feed(self, rows: Sequence[int], values: Sequence[object]) -> None:
        table = self.table
        converted = self._plain_chunk(values) if self.plain_text else None
        if converted is not None:
            self.parts.append(converted)
        elif self.kind in ("float", "bool"):
            dtype = np.float64 if self.kind == "float" else bool
            self.parts.append(np.fromiter(map(table.__getitem__, values), dtype=dtype, count=len(values)))
        elif self._direct:
            self.parts.append(self._convert_direct(values))
        else:
            self.parts.append(list(map(table.__getitem__, values)))
            self._direct = len(table) > _MAX_TABLE
        if table.bad:
            bad = table.bad
            for i in [i for i, v in enumerate(values) if v in bad]:
                self.bad_rows.add(rows[i])
                self.errors.append(RowError(self.filename, rows[i], self.header, values[i], bad[values[i]]))

    def _plain_chunk(self, values: Sequence[object]) -> list[str] | None:
        """A chunk of text that is already canonical (checked once for the whole chunk), stripped."""
        try:
            joined = "\x00".join(values)
        except TypeError:  # not all str (typed cells)
            return None
        if not is_canonical(joined):
            return None
        stripped = list(map(str.strip, values))
        if self.required and "" in stripped:
            return None
        return stripped

    def _convert_direct(self, values: Sequence[object]) -> list[object]:
        """For mostly distinct columns (codes, titles): parse without growing the table."""
        parse, bad, out = self.table.parse, self.table.bad, []
        append = out.append
        for raw in values:
            try:
                append(parse(raw))
            except ValueError as exc:
                bad[raw] = str(exc)
                append(None)
        return out

    def absorb(self, values: np.ndarray, errors: list[RowError], bad_rows: set[int]) -> None:
        """Append the converted rest of the column (another process's `result()`) and its errors."""
        self.parts.append(values)
        self.errors.extend(errors)
        self.bad_rows |= bad_rows

    def result(self) -> np.ndarray:
        if self.kind in ("float", "bool"):
            dtype = np.float64 if self.kind == "float" else bool
            return np.concatenate(self.parts) if self.parts else np.zeros(0, dtype=dtype)
        total = sum(len(p) for p in self.parts)
        out = np.empty(total, dtype=object)
        start = 0
        for part in self.parts:
            out[start : start + len(part)] = part
            start += len(part)
        self.parts = []
        return out
