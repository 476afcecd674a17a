"""A leader's direct subordinates as the engine reads them in a provisional evaluation: their stored
provisional results (`provisional_rows.subordinates`) turned into engine states (`engine.external_state`,
with the record `load.record_of` gives), cached by the row's whole content.

A leader is re-evaluated again and again while their subordinates' stored rows mostly stay the same
(the leader's own writes; one subordinate's changed level): rebuilding 59 records and states and
parsing their criteria each time cost about 1 ms of a 5 ms budget. The key is every column read
(person, unit code, duty group, stored id, problem, score, level, criteria as stored text) and the
manager's code, so a changed row is a new key and a stale state is never served; the states are only
read by the engine (a subordinate given as `external` is never evaluated, classified or quota-adjusted),
so one state can serve every leader and every process thread. Bounded: cleared past `LIMIT` entries.
"""

from __future__ import annotations

import json
from fractions import Fraction

from . import engine, load
from . import provisional_rows as rows_

LIMIT = 20_000
_STATES: dict[tuple, object] = {}
_EXACT: dict[str, Fraction] = {}  # exact text ("97.5", "2923/30") -> Fraction, each text parsed once


def states(subs, code_of: dict) -> list:
    """The engine states of `subs` (rows of `rows_.subordinates`, every one with a stored result), in
    their order."""
    out = []
    for r in subs:
        key = (*r, code_of.get(r.manager_id, ""))
        state = _STATES.get(key)
        if state is None:
            state = _state(r, code_of)
            if len(_STATES) >= LIMIT:
                _STATES.clear()
            _STATES[key] = state
        out.append(state)
    return out


def _state(r, code_of: dict):
    record = load.record_of(rows_.member(r, code_of, None))
    criteria = {k: exact(v) for k, v in (json.loads(r.criteria) if r.criteria else {}).items()}
    return engine.external_state(record, exact(str(r.score)), r.level, criteria)


def clear() -> None:
    """Forget every state (a benchmark of the uncached path; tests)."""
    _STATES.clear()
    _EXACT.clear()


def exact(text: str) -> Fraction:
    value = _EXACT.get(text)
    if value is None:
        if len(_EXACT) >= LIMIT:
            _EXACT.clear()
        value = _EXACT[text] = Fraction(text)
    return value
