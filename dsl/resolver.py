"""Finding an adopted ruleset's source by (code, version): the protocol and a directory scanner."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Protocol

from .text import canon, fold

# `bộ quy tắc "CODE" phiên bản N` (or `bo quy tac ... phien ban N`), matched on the folded text: the one
# home of the header's pattern (header_of, with_version; the app finds versions and bundles with them)
_HEADER = re.compile(r'^\s*bo\s+quy\s+tac\s+"([^"\n]*)"\s+phien\s+ban\s+(\d+)', re.MULTILINE)
_HEAD_CHARS = 4096  # the header is the first statement: read only the beginning of each file


class Resolver(Protocol):
    def find(self, code: str, version: int) -> tuple[str, str] | None:
        """(source text, filename) of ruleset `code` version `version`, or None."""
        ...


def read_source(path: str | Path) -> str:
    """A ruleset file as text: UTF-8 with or without BOM. Raises OSError / UnicodeDecodeError."""
    data = Path(path).read_bytes()
    text = data.decode("utf-8-sig")
    return text


def header_of(text: str) -> tuple[str, int] | None:
    """(code, version) from the header line of a ruleset source, by a cheap regex."""
    head = canon(text[:_HEAD_CHARS].lstrip("\ufeff"))
    m = _HEADER.search(fold(head))
    if not m:
        return None
    # the code as written (folding strips diacritics): take it from the same line of the canon text
    line_no = fold(head).count("\n", 0, m.start(1))
    lines = head.split("\n")
    quoted = re.search(r'"([^"\n]*)"', lines[line_no]) if line_no < len(lines) else None
    return (quoted.group(1) if quoted else m.group(1)), int(m.group(2))


def with_version(text: str, number: int) -> str | None:
    """The canon() source with the version number of its header replaced by `number` (the rest
    unchanged), or None when it has no readable header."""
    source = canon(text.lstrip("\ufeff"))
    head = source[:_HEAD_CHARS]
    folded = fold(head)
    m = _HEADER.search(folded)
    if m is None or len(folded) != len(head):  # positions of the folded text are those of the source
        return None
    return source[: m.start(2)] + str(int(number)) + source[m.end(2) :]


class FileResolver:
    """Scans `root` recursively for *.kpi files and finds them by the (code, version) of their header.
    The scan happens on the first lookup; unreadable files are skipped."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self._index: dict[tuple[str, int], Path] | None = None

    def _scan(self) -> dict[tuple[str, int], Path]:
        index: dict[tuple[str, int], Path] = {}
        if not self.root.is_dir():
            return index
        paths = []
        for dirpath, _dirs, files in os.walk(self.root):
            paths.extend(Path(dirpath) / f for f in files if f.endswith(".kpi"))
        for path in sorted(paths):
            try:
                with open(path, "rb") as fh:
                    head = fh.read(_HEAD_CHARS * 4).decode("utf-8-sig", errors="replace")
            except OSError:
                continue
            found = header_of(head)
            if found is not None:
                index.setdefault((fold(canon(found[0])), found[1]), path)
        return index

    def find(self, code: str, version: int) -> tuple[str, str] | None:
        if self._index is None:
            self._index = self._scan()
        path = self._index.get((fold(canon(code)), int(version)))
        if path is None:
            return None
        try:
            return read_source(path), str(path)
        except (OSError, UnicodeDecodeError):
            return None


def default_resolver_for(path: str | Path) -> FileResolver:
    """A FileResolver rooted at the nearest ancestor directory named `rulesets` of `path`, else
    `./rulesets` if it exists, else the file's own directory."""
    file = Path(path).resolve()
    for parent in file.parents:
        if parent.name == "rulesets":
            return FileResolver(parent)
    local = Path.cwd() / "rulesets"
    if local.is_dir():
        return FileResolver(local)
    return FileResolver(file.parent)
