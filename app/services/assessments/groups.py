"""Evaluation groups: the people of one pinned version (and, for jobs, one part), ordered so that a group
whose leaders manage people of another group comes after it (leaders read their subordinates' stored
results across versions)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import ServiceError
from .members import Member


@dataclass(slots=True)
class Group:
    key: tuple  # (version id, part)
    version_id: int
    members: list[Member]
    external: list[Member] = field(default_factory=list)  # subordinates evaluated in other groups

    @property
    def codes(self) -> set[str]:
        return {m.code for m in self.members}


def plan(members: list[Member], part_of=None, done=()) -> list[Group]:
    """Groups by (version, part), in dependency order. `done`: people evaluated elsewhere (their leaders
    here read them as external subordinates). ServiceError when two groups manage each other's people."""
    by_key: dict[tuple, list[Member]] = {}
    for m in members:
        key = (m.version_id, part_of(m) if part_of else 0)
        by_key.setdefault(key, []).append(m)
    key_of = {m.code: (m.version_id, part_of(m) if part_of else 0) for m in members}
    by_code = {m.code: m for m in members}
    groups = {k: Group(k, k[0], v) for k, v in by_key.items()}
    needs: dict[tuple, set[tuple]] = {k: set() for k in groups}
    for m in members:
        if m.manager_code and m.manager_code in key_of:
            lead, own = key_of[m.manager_code], key_of[m.code]
            if lead != own:
                groups[lead].external.append(by_code[m.code])
                needs[lead].add(own)
    for m in done:
        if m.manager_code in key_of:
            groups[key_of[m.manager_code]].external.append(m)
    order: list[Group] = []
    done: set[tuple] = set()
    pending = sorted(groups, key=str)
    while pending:
        ready = [k for k in pending if needs[k] <= done]
        if not ready:
            raise ServiceError(
                "không sắp được thứ tự tính: lãnh đạo của các nhóm sau quản lý cán bộ của nhau",
                [", ".join(sorted(m.code for m in groups[k].members)[:5]) for k in pending],
            )
        for k in ready:
            order.append(groups[k])
            done.add(k)
        pending = [k for k in pending if k not in done]
    return order
