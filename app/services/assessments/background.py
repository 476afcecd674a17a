"""The block snapshots of a large run encoded on the second core while this process evaluates.

The snapshots depend only on what was loaded (people, task columns, inputs), not on the results, so as
soon as the load is done a forked child (`app.tabular.halves.fork`, the one fork helper) encodes them
(`store.blocks`: canonical JSON, SHA-256, zlib) while this process evaluates and builds the result rows;
`encoded` collects them. The bytes are those `store.blocks` gives in this process; if the child cannot
be started or fails, this process encodes them itself. Only for runs of at least `MIN_TASKS` tasks (the
fork costs a few milliseconds), when `os.fork` exists and no other thread runs (a web server)."""

from __future__ import annotations

import os
import threading

from ...tabular import halves
from . import store
from .compute import Computed

MIN_TASKS = 200_000


def start(c: Computed) -> None:
    """Begin encoding `c`'s blocks in a child process (when worth it)."""
    if len(c.owner) < MIN_TASKS or not hasattr(os, "fork") or threading.active_count() != 1:
        return
    c.background = halves.fork(lambda: store.blocks(c))


def encoded(c: Computed) -> dict[int, tuple[str, bytes]]:
    """`store.blocks(c)`: from the child when one was started and succeeded."""
    child, c.background = c.background, None
    if child is not None:
        got = halves.collect(child)
        if got is not None:
            return got
    return store.blocks(c)


def stop(c: Computed) -> None:
    """End a child whose snapshots are no longer needed (the run failed or was cancelled)."""
    child, c.background = c.background, None
    if child is not None:
        halves.abandon(child)
