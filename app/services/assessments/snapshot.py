"""The immutable copy of the exact inputs of one unit block: its people (with the version each one ran
under), their task columns and their period inputs, as canonical JSON (sorted keys, no spaces),
digested (SHA-256 of the JSON bytes) and zlib-compressed. Decoding gives back the same Dataset columns,
so an explanation re-derived years later reads exactly what the run read."""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import dataclass

import numpy as np

from dsl.records import PersonRecord

FORMAT = 1


@dataclass(slots=True)
class Block:
    people: list[dict]  # code, name, unit, unit_id, post, leader, group, manager, version, id
    kinds: dict[str, str]  # task field -> "number" | "date" | "bool" | "text"
    tasks: dict[str, list]  # "person": [code per task], field -> values (NaN as None)
    inputs: dict[str, dict[str, object]]  # code -> name -> stored value


def _kind(column: np.ndarray) -> str:
    if column.dtype == bool:
        return "bool"
    if column.dtype.kind == "f":
        return "number"
    return "text"


def _plain(column: np.ndarray, kind: str) -> list:
    if kind == "bool":
        return column.tolist()
    if kind in ("number", "date"):
        values = column.tolist()
        if np.isnan(column).any():
            return [None if v != v else v for v in values]
        return values
    return ["" if v is None else str(v) for v in column.tolist()]


def encode(people: list[dict], task_codes: np.ndarray, columns: dict[str, np.ndarray], dates: set[str],
           inputs: dict) -> tuple[str, bytes]:  # fmt: skip
    """(digest, compressed bytes) of one block."""
    kinds = {name: ("date" if name in dates else _kind(col)) for name, col in columns.items()}
    tasks = {name: _plain(col, kinds[name]) for name, col in columns.items()}
    tasks["person"] = task_codes.tolist()
    doc = {"format": FORMAT, "people": people, "kinds": kinds, "tasks": tasks, "inputs": inputs}
    raw = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(raw).hexdigest(), zlib.compress(raw, 1)


def decode(data: bytes) -> Block:
    doc = json.loads(zlib.decompress(data))
    return Block(doc["people"], doc["kinds"], doc["tasks"], doc["inputs"])


def columns_of(block: Block, codes: set[str] | None = None) -> tuple[list[str], dict[str, np.ndarray]]:
    """(person code per task, task columns as numpy) of the block, restricted to `codes`."""
    owners = block.tasks["person"]
    picked = list(range(len(owners))) if codes is None else [i for i, c in enumerate(owners) if c in codes]
    columns = {}
    for name, kind in block.kinds.items():
        values = block.tasks[name]
        chosen = [values[i] for i in picked]
        if kind in ("number", "date"):
            columns[name] = np.array([np.nan if v is None else v for v in chosen], dtype=float)
        elif kind == "bool":
            columns[name] = np.array(chosen, dtype=bool)
        else:
            col = np.empty(len(chosen), dtype=object)
            col[:] = chosen
            columns[name] = col
    return [owners[i] for i in picked], columns


def record_of(person: dict) -> PersonRecord:
    return PersonRecord(
        code=person["code"], name=person["name"], unit=person["unit"], position=person["post"],
        leader=person["leader"], duty_group=person["group"], manager=person["manager"],
    )  # fmt: skip
