"""An assessment split per unit block over RQ workers (`REDIS_URL`; `kpi worker` runs one).

The parent resolves and pins as usual, then cuts the blocks (the root's child units) into parts of about
`KPI_PART_PEOPLE` people (default 5,000). Each part is one RQ job: a worker loads that part's tasks and
inputs, evaluates it, encodes its block snapshots and returns them with the results (read-only: workers
never write). People of the root unit itself (leaders above the wards, who read the wards' results) are
evaluated by the parent afterwards. The parent stores everything in its one transaction, so it commits
only when every part succeeded; a failed or cancelled part fails the run and keeps the previous results.
Parts whose people are managed across parts (other than by the root's people) run in the parent."""

from __future__ import annotations

import os
import time

from ..errors import ServiceError
from . import compute as compute_
from . import engine, pinning, runner, store
from .members import members_of
from .periods import parse
from .progress import Cancelled

QUEUE = os.environ.get("KPI_QUEUE", "kpi-assessments")
_APP = None


def _redis():
    from redis import Redis

    return Redis.from_url(os.environ["REDIS_URL"])


def queue():
    from rq import Queue

    return Queue(QUEUE, connection=_redis())


def parts_of(members, root_id: int, size: int) -> list[list]:
    """Blocks grouped into parts of about `size` people (the root block left to the parent)."""
    by_block: dict[int, list] = {}
    for m in members:
        if m.block_id != root_id:
            by_block.setdefault(m.block_id, []).append(m)
    parts, current = [], []
    for block_id in sorted(by_block):
        current += by_block[block_id]
        if len(current) >= size:
            parts.append(current)
            current = []
    if current:
        parts.append(current)
    return parts


def _crossing(parts, root_id: int) -> bool:
    part_of = {m.code: i for i, part in enumerate(parts) for m in part}
    return any(
        m.manager_code in part_of and part_of[m.manager_code] != i
        for i, part in enumerate(parts)
        for m in part
    )


def run_distributed(unit_code, period_text, *, scope, user=None, dry_run=False, reason="", progress=None,
                    cancelled=None) -> runner.RunReport:  # fmt: skip
    unit = runner.unit_by_code(unit_code)
    scope.require_unit(unit.id, write=True)
    period = parse(period_text)
    assessment = runner.find(unit, period.code)
    runner.refuse_rollup(assessment)
    if assessment is not None and assessment.status == runner.LOCKED and not reason.strip():
        raise ServiceError(f"{assessment.label} đã khóa; chạy lại cần tạo lần chạy mới có lý do (--reason)")
    started = time.perf_counter()
    members = members_of(unit, period.first)
    versions, uncovered = pinning.assign(members, period, assessment.pins if assessment else [])
    covered = [m for m in members if m.version_id is not None]
    programs = {vid: engine.program_of(v) for vid, v in versions.items()}
    parts = parts_of(covered, unit.id, int(os.environ.get("KPI_PART_PEOPLE", "5000")))
    if len(parts) < 2 or _crossing(parts, unit.id):
        return runner.run(unit_code, period_text, scope=scope, user=user, dry_run=dry_run, reason=reason,
                          progress=progress, cancelled=cancelled)  # fmt: skip
    resolve_time = time.perf_counter() - started
    q = queue()
    jobs = [q.enqueue(compute_part, part, sorted(versions), period.code, job_timeout=3600, result_ttl=600)
            for part in parts]  # fmt: skip
    results, encoded, done, timings = {}, {}, 0, {"resolve": resolve_time, "workers": 0.0}
    pending = list(zip(jobs, parts, strict=True))
    waited = time.perf_counter()
    while pending:
        if cancelled is not None and cancelled():
            for job, _ in pending:
                job.cancel()
            raise Cancelled()
        still = []
        for job, part in pending:
            status = job.get_status(refresh=True)
            if status == "finished":
                part_results, part_blocks, _ = job.return_value()
                results.update(part_results)
                encoded.update(part_blocks)
                done += len(part)
                if progress is not None:
                    progress(done, len(covered))
            elif status in ("failed", "stopped", "canceled"):
                for other, _ in pending:
                    other.cancel()
                raise ServiceError(f"một phần của đợt đánh giá bị lỗi ở máy xử lý (job {job.id})",
                                   [str(job.latest_result().exc_string or "")[-500:]])  # fmt: skip
            else:
                still.append((job, part))
        pending = still
        if pending:
            time.sleep(0.05)
    timings["workers"] = time.perf_counter() - waited
    in_parts = {m.code for part in parts for m in part}
    rest = [m for m in covered if m.code not in in_parts]
    in_parts_members = [m for part in parts for m in part]
    computed = (
        compute_.compute(rest, programs, period, done=(in_parts_members, results))
        if rest
        else compute_.empty(period)
    )
    computed.members = covered
    computed.results = {**results, **computed.results}
    for k, v in timings.items():
        computed.timings[k] = v
    encoded.update(store.blocks(computed, only={m.block_id for m in rest}))
    return runner.finish(unit, period, assessment, computed, versions, uncovered, user=user, dry_run=dry_run,
                         reason=reason, encoded=encoded)  # fmt: skip


def prepare() -> None:
    """Build the application once in the worker process (`kpi worker`), before RQ forks a work horse per
    job: each horse inherits it instead of building its own."""
    global _APP
    from app import create_app

    if _APP is None:
        _APP = create_app(serving=False)  # a worker serves no pages


def compute_part(members, version_ids: list[int], period_code: str):
    """RQ job: evaluate one part (read-only); returns (results by code, encoded blocks, timings)."""
    from ...cli.evaluate import paused_gc  # RQ's work horse: a process per job, as a command is
    from ...extensions import db
    from ...models import RulesetVersion

    if _APP is None:
        prepare()
    with _APP.app_context(), paused_gc():
        period = parse(period_code)
        versions = {vid: db.session.get(RulesetVersion, vid) for vid in version_ids}
        programs = {vid: engine.program_of(v) for vid, v in versions.items() if v is not None}
        computed = compute_.compute(members, programs, period)
        encoded = store.blocks(computed)
        db.session.rollback()
        return computed.results, encoded, computed.timings
