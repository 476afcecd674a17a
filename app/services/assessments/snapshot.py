"""The immutable copy of the exact inputs of one unit block: its people (with the version each one ran
under), their task columns and their period inputs. Layout: "KPS2", the length of a canonical JSON
header (sorted keys, no spaces: people, inputs, column kinds, text columns), the header, then the number
and boolean columns as little-endian float64 / uint8 bytes in name order (floats written as JSON text
cost ten times more). Digest: SHA-256 of those bytes; stored zlib-compressed. Decoding gives back the
same Dataset columns, so an explanation re-derived years later reads exactly what the run read."""

from __future__ import annotations

import hashlib
import json
import struct
import zlib
from dataclasses import dataclass

import numpy as np

from dsl.records import PersonRecord

MAGIC = b"KPS2"


@dataclass(slots=True)
class Block:
    people: list[dict]  # code, name, unit, unit_id, post, leader, group, manager, version, id
    kinds: dict[str, str]  # task field -> "number" | "date" | "bool" | "text"
    tasks: dict[str, list]  # "person": [code per task], field -> values (NaN as None)
    inputs: dict[str, dict[str, object]]  # code -> name -> stored value
    rollup: bool = False  # set by the reader: the records are a roll-up's sub-period results


def _kind(column: np.ndarray) -> str:
    if column.dtype == bool:
        return "bool"
    if column.dtype.kind == "f":
        return "number"
    return "text"


def encode(people: list[dict], task_codes: np.ndarray, columns: dict[str, np.ndarray], dates: set[str],
           inputs: dict) -> tuple[str, bytes]:  # fmt: skip
    """(digest, compressed bytes) of one block."""
    kinds = {name: ("date" if name in dates else _kind(col)) for name, col in columns.items()}
    texts = {name: [v if type(v) is str else ("" if v is None else str(v)) for v in col.tolist()]
             for name, col in columns.items() if kinds[name] == "text"}  # fmt: skip
    texts["person"] = task_codes.tolist()
    head = {"people": people, "kinds": kinds, "texts": texts, "inputs": inputs, "n": len(task_codes)}
    header = json.dumps(head, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    parts = [MAGIC, struct.pack("<Q", len(header)), header]
    for name in sorted(kinds):
        if kinds[name] == "bool":
            parts.append(np.ascontiguousarray(columns[name], dtype=np.uint8).tobytes())
        elif kinds[name] != "text":
            parts.append(np.ascontiguousarray(columns[name], dtype="<f8").tobytes())
    raw = b"".join(parts)
    return hashlib.sha256(raw).hexdigest(), zlib.compress(raw, 1)


def decode(data: bytes) -> Block:
    raw = zlib.decompress(data)
    if raw[:4] != MAGIC:
        raise ValueError("bản lưu dữ liệu đầu vào không đúng định dạng")
    size = struct.unpack("<Q", raw[4:12])[0]
    head = json.loads(raw[12 : 12 + size])
    n, at = head["n"], 12 + size
    tasks: dict[str, list] = dict(head["texts"])
    for name in sorted(head["kinds"]):
        kind = head["kinds"][name]
        if kind == "bool":
            tasks[name] = np.frombuffer(raw, dtype=np.uint8, count=n, offset=at).astype(bool).tolist()
            at += n
        elif kind != "text":
            values = np.frombuffer(raw, dtype="<f8", count=n, offset=at)
            tasks[name] = [None if v != v else v for v in values.tolist()]
            at += 8 * n
    return Block(head["people"], head["kinds"], tasks, head["inputs"])


def people_of(data: bytes) -> list[dict]:
    """The people of a stored block (as the run read them: unit, post, leader, group…) without
    decompressing its task columns: only the header is inflated."""
    inflate = zlib.decompressobj()
    raw = inflate.decompress(data, 12)
    if len(raw) < 12 or raw[:4] != MAGIC:
        raise ValueError("bản lưu dữ liệu đầu vào không đúng định dạng")
    need = 12 + struct.unpack("<Q", raw[4:12])[0]
    while len(raw) < need:
        more = inflate.decompress(inflate.unconsumed_tail, need - len(raw))
        if not more:
            raise ValueError("bản lưu dữ liệu đầu vào bị cắt cụt")
        raw += more
    return json.loads(raw[12:need])["people"]


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
