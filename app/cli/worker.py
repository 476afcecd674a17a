"""`kpi worker`: an RQ worker for assessment parts (needs REDIS_URL and the same DATABASE_URL as the
process that runs `kpi assess run`). Start N of them, on one host or many, to share one province."""

from __future__ import annotations

import os

import click

from .main import CliError, help_option


@click.command("worker")
@help_option
@click.option("--burst", is_flag=True, help="Dừng khi hàng đợi hết việc.")
def worker(burst: bool) -> None:
    """Chạy một máy xử lý (RQ worker) cho các phần của đợt đánh giá lớn."""
    if not os.environ.get("REDIS_URL"):
        raise CliError("cần đặt REDIS_URL (ví dụ redis://127.0.0.1:6379/0) để chạy máy xử lý", 2)
    from rq import Worker

    from app.services.assessments.distributed import QUEUE, _redis, prepare

    connection = _redis()
    try:
        connection.ping()
    except Exception as exc:
        raise CliError(f"không kết nối được Redis ({os.environ['REDIS_URL']}): {exc}", 2) from None
    prepare()  # the application, built once: RQ's work horse of each job inherits it
    click.echo(f"Máy xử lý đang chờ việc ở hàng đợi {QUEUE}…", err=True)
    Worker([QUEUE], connection=connection).work(burst=burst)
