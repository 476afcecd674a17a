"""Reading a large CSV on two cores: this process reads the first half, a forked child the second.

Only when it cannot change what is read: a CSV file (not bytes) of at least `MIN_BYTES`, `os.fork`
available and no other thread running (a web server keeps to one process). The file is cut at the end
of a line near `SHARE` of its size; this process parses the head (bytes read once), the child the rest
from that offset with copies of the same sinks, numbering its records from 0, and pickles its results
into an anonymous file (memfd); they are renumbered after the head's records. The caller falls back to
reading the file in one process if the child fails, either half hits a file-level error (undecodable
text, a broken CSV), or the cut may lie inside a quoted field that spans lines (`ends_in_quotes`): the
outcome, messages included, is then exactly that of one process.
"""

from __future__ import annotations

import os
import pickle
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

MIN_BYTES = 16 << 20  # below this, forking costs more than it saves
SHARE = 0.55  # of the file read here: the child also packs its columns up, and this process unpacks them


@dataclass(frozen=True, slots=True)
class Split:
    head: bytes  # the first half, whole lines: read here
    offset: int  # byte offset of the second half (= len(head)): read by the child
    quoted: bool  # the head holds quote characters: check that it does not end inside a quoted field


def plan(source: object, min_bytes: int | None = None) -> Split | None:
    """Where to split `source`, or None when it must be read in one process."""
    if isinstance(source, bytes) or not hasattr(os, "fork") or threading.active_count() != 1:
        return None
    try:
        path = Path(source)  # type: ignore[arg-type]
        if path.suffix.lower() not in (".csv", ".txt", ".tsv", ""):
            return None
        size = path.stat().st_size
        if size < (MIN_BYTES if min_bytes is None else min_bytes):
            return None
        with open(path, "rb") as fh:
            fh.seek(int(size * SHARE))
            rest = fh.readline()
            if not rest.endswith(b"\n"):
                return None
            fh.seek(0)
            head = fh.read(int(size * SHARE) + len(rest))
    except (OSError, TypeError, ValueError):
        return None
    return Split(head, len(head), b'"' in head)


def ends_in_quotes(last: object) -> bool:
    """Whether the head's last raw record may have been cut inside a quoted field: its last value
    then ends with the line break that was read into it (an honest such value falls back too)."""
    return bool(last) and isinstance(last[-1], str) and last[-1].endswith(("\n", "\r"))  # type: ignore[index]


@dataclass(slots=True)
class Child:
    pid: int
    fd: int  # an anonymous file the child writes its pickled result to (shared offset)


def _scratch() -> int:
    if hasattr(os, "memfd_create"):
        return os.memfd_create("kpi-half", 0)
    import tempfile

    with tempfile.TemporaryFile() as fh:  # unlinked already; keep a duplicate of its descriptor
        return os.dup(fh.fileno())


def fork(work: Callable[[], object]) -> Child | None:
    """Run `work()` in a forked child; `collect` returns what it returned (None if it failed)."""
    try:
        fd = _scratch()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(fd)
        return None
    if pid == 0:  # the child: never returns into the caller's code
        code = 1
        try:
            with os.fdopen(fd, "wb", closefd=False) as out:
                pickle.dump(work(), out, protocol=pickle.HIGHEST_PROTOCOL)
            code = 0
        except BaseException:  # noqa: BLE001, S110 (the parent sees the failure and reads alone)
            pass
        finally:
            os._exit(code)
    return Child(pid, fd)


def collect(child: Child) -> object | None:
    """The child's result, or None if it failed; waits for it to end."""
    try:
        _, status = os.waitpid(child.pid, 0)
        if status != 0:
            return None
        os.lseek(child.fd, 0, os.SEEK_SET)
        with os.fdopen(child.fd, "rb", closefd=False) as fh:
            return pickle.load(fh)  # noqa: S301 (our own forked child)
    except Exception:  # noqa: BLE001
        return None
    finally:
        os.close(child.fd)


def abandon(child: Child) -> None:
    """Stop a child whose result is not needed."""
    try:
        os.kill(child.pid, signal.SIGKILL)
    except OSError:
        pass
    os.waitpid(child.pid, 0)
    os.close(child.fd)
