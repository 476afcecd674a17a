"""What changed between two revisions: per person, the result (score, level) and why (which input)."""

from __future__ import annotations

import hashlib

from .snapshot import Block
from .values import shown

_PERSON_WORDS = {"unit": "đơn vị", "post": "chức vụ", "leader": "lãnh đạo", "group": "nhóm nhiệm vụ",
                 "manager": "người quản lý", "version": "phiên bản bộ quy tắc"}  # fmt: skip
_KEY = ("version_id", "score_text", "level", "level_before_quota", "not_rated", "criteria", "vetoes", "outputs",
        "quota_note")  # fmt: skip


def result_key(row: dict) -> str:
    """SHA-256 of a result's computed columns and version (their repr: the dicts are built in sorted
    order, and repr of text, numbers, booleans and None is stable)."""
    return hashlib.sha256(repr(list(map(row.get, _KEY))).encode("utf-8")).hexdigest()


def _tasks_of(block: Block | None, code: str) -> dict[str, dict]:
    if block is None:
        return {}
    owners = block.tasks["person"]
    ids = block.tasks.get("mã_nhiệm_vụ") or (block.tasks.get("kỳ", []) if "nguồn" in block.kinds else [])
    out = {}
    for i, c in enumerate(owners):
        if c == code:
            out[ids[i] if ids else str(i)] = {n: block.tasks[n][i] for n in block.kinds}
    return out


def why(code: str, old: Block | None, new: Block | None, versions=None) -> list[str]:
    """Vietnamese reasons: which inputs, tasks or person data of `code` differ between the blocks.
    `versions`: version id -> "CODE phiên bản N" (a mapping; the ids are shown without it)."""
    reasons: list[str] = []
    old_p = next((p for p in (old.people if old else []) if p["code"] == code), None)
    new_p = next((p for p in (new.people if new else []) if p["code"] == code), None)
    if old_p is None or new_p is None:
        return ["cán bộ mới trong đợt đánh giá" if old_p is None else "cán bộ không còn trong đợt đánh giá"]
    for key, word in _PERSON_WORDS.items():
        if old_p.get(key) != new_p.get(key):
            before, after = old_p.get(key), new_p.get(key)
            if key == "version" and versions is not None:
                before, after = versions[before], versions[after]
            reasons.append(f"{word}: {before} → {after}")
    old_in, new_in = (old.inputs.get(code, {}) if old else {}), (new.inputs.get(code, {}) if new else {})
    for name in sorted(set(old_in) | set(new_in)):
        if old_in.get(name) != new_in.get(name):
            reasons.append(f"đầu vào {name}: {old_in.get(name, '(trống)')} → {new_in.get(name, '(trống)')}")
    old_t, new_t = _tasks_of(old, code), _tasks_of(new, code)
    # a roll-up's records are the sub-period results it read (keyed by their period), not tasks
    thing = (
        "kết quả kỳ"
        if "nguồn" in (new or old).kinds and "mã_nhiệm_vụ" not in (new or old).kinds
        else "nhiệm vụ"
    )
    for task in sorted(set(new_t) - set(old_t)):
        reasons.append(f"thêm {thing} {task}")
    for task in sorted(set(old_t) - set(new_t)):
        reasons.append(f"bỏ {thing} {task}")
    for task in sorted(set(old_t) & set(new_t)):
        fields = [n for n in new_t[task] if old_t[task].get(n) != new_t[task][n]]
        if fields:
            reasons.append(f"{thing} {task} sửa {', '.join(fields)}")
    return reasons or ["dữ liệu của cán bộ không đổi; kết quả của cấp dưới hoặc của nhóm (hạn mức) thay đổi"]


def describe(old: dict | None, new: dict | None) -> str:
    def show(row):
        if row is None:
            return "(không có)"
        level, before = row.get("level"), row.get("level_before_quota")
        moved = f" (trước hạn mức: {before})" if before and before != level else ""
        return f"{shown(row.get('score_text'))} điểm, {level or 'không xếp loại'}{moved}"

    return f"{show(old)} → {show(new)}"
