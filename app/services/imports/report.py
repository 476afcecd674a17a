"""The outcome of an import (or of its preview): counts, keys of what changes, and every error."""

from __future__ import annotations

from dataclasses import dataclass, field

from ...tabular import RowError, TableErrors

KIND_LABELS = {
    "units": "đơn vị",
    "people": "cán bộ",
    "tasks": "nhiệm vụ",
    "inputs": "đầu vào theo kỳ",
    "salaries": "tiền lương",
}


@dataclass
class ImportReport:
    kind: str  # "units", "people", "tasks", "inputs"
    filename: str
    dry_run: bool = False
    rows: int = 0
    created: list[str] = field(default_factory=list)  # keys (codes, external ids) that are / would be created
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # side effects ("tạo nhóm nhiệm vụ …")
    applied: bool = False  # the changes were written (the caller commits them)
    forbidden: bool = False  # some row lies outside the caller's unit scope

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict:
        return {
            "rows": self.rows,
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": self.unchanged,
            "errors": len(self.errors),
        }

    def summary(self) -> str:
        """One Vietnamese sentence: what was (or would be) done."""
        what = KIND_LABELS.get(self.kind, self.kind)
        if self.errors:
            return (
                f"{self.filename}: {len(self.errors)} lỗi; không nhập gì (cơ sở dữ liệu giữ nguyên). "
                "Sửa các lỗi dưới đây rồi nhập lại."
            )
        if not self.created and not self.updated:
            return f"{self.filename}: {self.rows} dòng {what}, không thay đổi."
        verb = "sẽ tạo" if self.dry_run else "đã tạo"
        verb2 = "sẽ cập nhật" if self.dry_run else "đã cập nhật"
        head = "Xem trước (chưa ghi gì)" if self.dry_run else "Đã nhập"
        return (
            f"{head} {self.filename}: {self.rows} dòng {what}: {verb} {len(self.created)}, "
            f"{verb2} {len(self.updated)}, không thay đổi {self.unchanged}."
        )

    def render(self, limit: int = 20) -> str:
        """The summary, notes, some keys of what changes, or the error list (every error)."""
        lines = [self.summary()]
        if self.errors:
            lines.append(TableErrors(self.errors).render())
            return "\n".join(lines)
        lines += [f"  - {n}" for n in self.notes]
        for label, keys in (("tạo mới", self.created), ("cập nhật", self.updated)):
            if keys:
                shown = ", ".join(keys[:limit]) + (f", … (+{len(keys) - limit})" if len(keys) > limit else "")
                lines.append(f"  {label}: {shown}")
        return "\n".join(lines)

    def to_json(self, limit: int | None = None) -> dict:
        return {
            "kind": self.kind,
            "file": self.filename,
            "dry_run": self.dry_run,
            "applied": self.applied,
            "counts": self.counts(),
            "created": self.created[:limit] if limit else self.created,
            "updated": self.updated[:limit] if limit else self.updated,
            "notes": self.notes,
            "message": self.summary(),
            "errors": [e.to_json() for e in self.errors],
        }
