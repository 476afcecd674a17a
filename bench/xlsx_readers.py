"""Benchmark: reading a large XLSX tasks sheet with openpyxl (read-only, streaming) vs python-calamine.

    python bench/xlsx_readers.py [--rows 1048575] [--dir /tmp/kpi-xlsx-bench]

Writes (once, then reuses) an XLSX of `--rows` task rows with the template's 10 usual columns, then
reads every row in a fresh process per reader and prints the wall time, the peak RSS of that process
and the ratios. Also runs `app.tabular.read_table` (the platform's reader, with its bounds) on it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HEADERS = ["Mã nhiệm vụ", "Mã cán bộ", "Kỳ", "Tên nhiệm vụ", "Ngày giao", "Hạn hoàn thành",
           "Ngày hoàn thành", "Trạng thái", "Khối lượng giao", "Hệ số quy đổi"]  # fmt: skip


def make(path: Path, rows: int) -> None:
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Dữ liệu")
    ws.append(HEADERS)
    start = dt.date(2026, 1, 5)
    for i in range(rows):
        day = start + dt.timedelta(days=i % 20)
        ws.append([f"NV{i:07d}", f"CB{i % 50000:05d}", "2026-01", f"Nhiệm vụ số {i % 997}", day,
                   day + dt.timedelta(days=10), day + dt.timedelta(days=9), "Hoàn thành", 1, 1.5])  # fmt: skip
    wb.save(path)


def read_openpyxl(path: str) -> int:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    n = sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    return n


def read_calamine(path: str) -> int:
    import python_calamine

    with python_calamine.CalamineWorkbook.from_path(path) as wb:
        return sum(1 for _ in wb.get_sheet_by_index(0).iter_rows())


def read_platform(path: str) -> int:
    from app.tabular import read_table

    table = read_table(path)
    assert not table.errors, table.errors[:3]
    return len(table) + 1


READERS = {"openpyxl": read_openpyxl, "calamine": read_calamine, "app.tabular": read_platform}


def child(reader: str, path: str) -> None:
    import resource

    t = time.perf_counter()
    n = READERS[reader](path)
    seconds = time.perf_counter() - t
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": n, "seconds": seconds, "rss_mb": rss}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_048_575)
    parser.add_argument("--dir", default="/tmp/kpi-xlsx-bench")
    parser.add_argument("--child", nargs=2, metavar=("READER", "PATH"))
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"tasks-{args.rows}.xlsx"
    if not path.exists():
        t = time.perf_counter()
        make(path, args.rows)
        print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t:.1f} s")
    results = {}
    for reader in READERS:
        out = subprocess.run([sys.executable, __file__, "--child", reader, str(path)], capture_output=True,
                             text=True, env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})  # fmt: skip
        if out.returncode:
            print(f"{reader}: failed\n{out.stderr[-2000:]}")
            continue
        results[reader] = json.loads(out.stdout.strip().splitlines()[-1])
        r = results[reader]
        print(f"{reader:12s} {r['rows']:>9,} rows  {r['seconds']:7.2f} s  peak RSS {r['rss_mb']:7.0f} MB")
    if "openpyxl" in results and "calamine" in results:
        o, c = results["openpyxl"], results["calamine"]
        print(
            f"calamine / openpyxl: time {c['seconds'] / o['seconds']:.2f}x, memory {c['rss_mb'] / o['rss_mb']:.2f}x"
        )


if __name__ == "__main__":
    main()
