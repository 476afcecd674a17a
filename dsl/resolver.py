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


class AmbiguousRuleset(ValueError):
    """Two or more files declare the same (code, version): which one is meant is not guessed."""

    def __init__(self, code: str, version: int, paths: list[Path]):
        self.paths = paths
        names = ", ".join(str(p) for p in paths)
        super().__init__(
            f'có {len(paths)} tệp cùng khai báo bộ quy tắc "{code}" phiên bản {version}: {names}; '
            "xóa hoặc đổi phiên bản của tệp thừa, hoặc chỉ tìm trong một thư mục (--rulesets)"
        )


class FileResolver:
    """Finds rulesets by the (code, version) of their header among the *.kpi files under `roots`
    (recursively) and the candidate `files` (e.g. those named on the command line). The scan happens
    on the first lookup; unreadable files are skipped. Two files with the same (code, version) make a
    lookup of that key raise AmbiguousRuleset naming both: never "the first by file name"."""

    def __init__(self, *roots: str | Path, files: tuple[str | Path, ...] | list = ()):
        self.roots = [Path(r) for r in roots]
        self.files = [Path(f) for f in files]
        self._index: dict[tuple[str, int], list[Path]] | None = None

    @property
    def root(self) -> Path | None:
        return self.roots[0] if self.roots else None

    def _candidates(self) -> list[Path]:
        seen: dict[Path, Path] = {}
        for root in self.roots:
            if not root.is_dir():
                continue
            for dirpath, _dirs, files in os.walk(root):
                for f in files:
                    if f.endswith(".kpi"):
                        path = Path(dirpath) / f
                        seen.setdefault(path.resolve(), path)
        for path in self.files:
            if path.is_file():
                seen.setdefault(path.resolve(), path)
        return sorted(seen.values())

    def _scan(self) -> dict[tuple[str, int], list[Path]]:
        index: dict[tuple[str, int], list[Path]] = {}
        for path in self._candidates():
            try:
                with open(path, "rb") as fh:
                    head = fh.read(_HEAD_CHARS * 4).decode("utf-8-sig", errors="replace")
            except OSError:
                continue
            found = header_of(head)
            if found is not None:
                index.setdefault((fold(canon(found[0])), found[1]), []).append(path)
        return index

    def find(self, code: str, version: int) -> tuple[str, str] | None:
        if self._index is None:
            self._index = self._scan()
        paths = self._index.get((fold(canon(code)), int(version)))
        if not paths:
            return None
        if len(paths) > 1:
            raise AmbiguousRuleset(code, int(version), paths)
        try:
            return read_source(paths[0]), str(paths[0])
        except (OSError, UnicodeDecodeError):
            return None

    def searched(self) -> str:
        """Where the lookup looked, for E0601 ("đã tìm trong …")."""
        places = [f"thư mục {r}" + ("" if r.is_dir() else " (không tồn tại)") for r in self.roots]
        if self.files:
            places.append("các tệp " + ", ".join(str(f) for f in self.files))
        where = "; ".join(places) if places else "không có nơi nào"
        return (
            f"đã tìm trong: {where}; thêm thư mục bằng --rulesets THƯ_MỤC "
            "hoặc biến môi trường KPI_RULESETS_DIR"
        )


def default_resolver_for(
    path: str | Path, dirs: tuple[str | Path, ...] | list = (), files: tuple[str | Path, ...] | list = ()
) -> FileResolver:
    """A FileResolver for the ruleset file `path`: the folders `dirs` (the caller's --rulesets and
    KPI_RULESETS_DIR), the nearest ancestor directory named `rulesets` of `path` (else the file's own
    directory), and the candidate `files`. The working folder plays no part: the same command finds
    the same rulesets wherever it runs."""
    file = Path(path).resolve()
    home = next((parent for parent in file.parents if parent.name == "rulesets"), file.parent)
    roots = [Path(d) for d in dirs]
    if all(home != r.resolve() for r in roots):
        roots.append(home)
    return FileResolver(*roots, files=files)
