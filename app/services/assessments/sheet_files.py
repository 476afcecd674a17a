"""Every official's evaluation sheet of an assessment in one PDF file, built in the background for the
web admin (the thread and the progress row are `web_runs.start_sheets`'s, the machinery of the runs):
the sheets are read within the requesting user's scope (`exports.person_sheets`), rendered by
`reports_pdf.people_pdf` and written to a file of the instance folder that only the same user may
download, while the job is known (`progress`, whose rows mark these jobs by their owner: `SHEETS`)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from ..errors import ServiceError
from .progress import SHEETS

KEEP_HOURS = 24  # files older than this are removed when another is built

__all__ = ["KEEP_HOURS", "SHEETS", "build", "file_of", "owner_of", "user_of"]


def owner_of(username: str, host: str) -> str:
    """The owner of a sheets job's progress row: marks it as such and names who may download it."""
    return f"{SHEETS}{username}@{host}"


def user_of(job) -> str | None:
    """The username a sheets job was built for (None: the row is not a sheets job)."""
    owner = getattr(job, "owner", "") or ""
    if not owner.startswith(SHEETS):
        return None
    return owner[len(SHEETS) :].rpartition("@")[0]


def file_of(folder: str | os.PathLike, job_id: int) -> Path:
    return Path(folder) / f"phieu-{int(job_id)}.pdf"


def _forget_old(folder: Path) -> None:
    limit = time.time() - KEEP_HOURS * 3600
    for item in folder.glob("phieu-*.pdf*"):
        if item.stat().st_mtime < limit:
            item.unlink(missing_ok=True)


def build(assessment, *, user, scope, folder: str | os.PathLike, job_id: int, progress=None) -> int:
    """Write the PDF of every sheet the user reads in `assessment` to `file_of(folder, job_id)`; the
    number of sheets. `progress(done, total)` per person, then once more with the file written."""
    from . import exports, reports_pdf

    if not assessment.current_revision:
        raise ServiceError(f"{assessment.label} chưa có kết quả: hãy chạy đánh giá trước")
    sheets = exports.person_sheets(assessment, scope=scope, user=user, progress=progress)
    if not sheets:
        raise ServiceError(f"{assessment.label}: không có kết quả nào trong phạm vi của người dùng")
    data = reports_pdf.people_pdf(sheets)
    target = file_of(folder, job_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    _forget_old(target.parent)
    partial = target.with_suffix(".pdf.tmp")
    partial.write_bytes(data)
    partial.replace(target)  # a download never sees half a file
    return len(sheets)
