"""A large tasks CSV read on two cores (app/tabular/halves.py) gives exactly what one process gives."""

import numpy as np
import pytest

from app.tabular import TableErrors, halves, load_dataset

PEOPLE = (
    "Mã cán bộ,Họ và tên,Đơn vị,Lãnh đạo,Người quản lý\nLD,A,P1,có,\nNV1,B,P1,không,LD\nNV2,C,P1,không,LD\n"
)
HEAD = "Mã nhiệm vụ,Mã cán bộ,Kỳ,Tên nhiệm vụ,Trạng thái,Hạn hoàn thành,Ngày hoàn thành,Khối lượng giao,\n"


def task_lines(n: int, special: dict[int, str] | None = None) -> list[str]:
    people = ("LD", "NV1", "NV2")
    lines = [
        f"T{i},{people[i % 3]},2026-01,Việc {i},Hoàn thành,{1 + i % 28:02d}/01/2026,2026-01-{1 + i % 27:02d},{1 + i % 4},\n"
        for i in range(n)
    ]
    for i, line in (special or {}).items():
        lines[i] = line
    return lines


@pytest.fixture
def spy(monkeypatch):
    """Split any file (MIN_BYTES = 0) and record whether a child was forked."""
    forks = []
    real = halves.fork

    def fork(work):
        child = real(work)
        forks.append(child is not None)
        return child

    monkeypatch.setattr(halves, "MIN_BYTES", 0)
    monkeypatch.setattr(halves, "fork", fork)
    return forks


def load_both(tmp_path, text: str | bytes, monkeypatch):
    people = tmp_path / "nguoi.csv"
    people.write_text(PEOPLE, encoding="utf-8")
    tasks = tmp_path / "nhiem-vu.csv"
    tasks.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    out = []
    for split in (True, False):
        if not split:
            monkeypatch.setattr(halves, "plan", lambda *a, **k: None)
        try:
            out.append(load_dataset(people, tasks))
        except TableErrors as exc:
            out.append(exc.errors)
    return out


def same_dataset(a, b) -> None:
    assert a.task_person.tolist() == b.task_person.tolist()
    assert a.task_rows.tolist() == b.task_rows.tolist()
    assert a.task_columns.keys() == b.task_columns.keys()
    for key, col in a.task_columns.items():
        other = b.task_columns[key]
        if col.dtype == object:
            assert col.tolist() == other.tolist(), key
        else:
            assert np.array_equal(col, other, equal_nan=True), key


def test_clean_file_same_columns_and_row_numbers(tmp_path, monkeypatch, spy):
    lines = task_lines(9000, {4000: "\n", 6000: ",,,,,,,,\n"})  # blank rows in both halves
    split, single = load_both(tmp_path, HEAD + "".join(lines), monkeypatch)
    assert spy == [True]
    same_dataset(split, single)
    assert len(split.task_rows) == 8998 and split.task_rows[-1] == 9001


def test_errors_in_both_halves_same_list_in_same_order(tmp_path, monkeypatch, spy):
    special = {
        10: "T10,XX,2026-01,Việc,Hoàn thành,01/01/2026,,1,\n",  # unknown person, first half
        7000: "T7000,NV1,2026-01,Việc,Hoàn thành,31/02/2026,,abc,\n",  # bad date and number, second half
        7001: "T5,NV1,2026-01,Việc,Hoàn thành,01/01/2026,,1,\n",  # duplicate of a first-half code
        7002: "T7002,NV1,2026-01,Việc,Hoàn thành,01/01/2026,,1,,thừa\n",  # longer than the header
        8000: "T8000,NV2,2026-01,Việc,Hoàn thành,01/01/2026,,1,có dữ liệu\n",  # the unnamed column
    }
    split, single = load_both(tmp_path, HEAD + "".join(task_lines(9000, special)), monkeypatch)
    assert spy == [True]
    assert isinstance(split, list) and split == single
    rows = {e.row for e in split}
    assert {12, 7002, 7003, 7004, 1} <= rows


def test_quoted_field_spanning_the_cut_falls_back(tmp_path, monkeypatch, spy):
    seen = []
    real = halves.ends_in_quotes
    monkeypatch.setattr(halves, "ends_in_quotes", lambda last: seen.append(real(last)) or seen[-1])
    lines = task_lines(4000)
    # a task name of 1,000 lines from row 2,000: the cut (at 55% of the bytes) falls inside its quotes
    name = "\n".join("dòng " + "x" * 95 for _ in range(1000))
    lines[2000] = f'T2000,NV1,2026-01,"{name}",Hoàn thành,,,1,\n'
    split, single = load_both(tmp_path, HEAD + "".join(lines), monkeypatch)
    assert spy == [True] and seen == [True]  # forked, then read the file again in one process
    same_dataset(split, single)
    assert split.task_rows[-1] == 4001  # records, not lines


def test_quoted_commas_keep_the_split(tmp_path, monkeypatch, spy):
    seen = []
    real = halves.ends_in_quotes
    monkeypatch.setattr(halves, "ends_in_quotes", lambda last: seen.append(real(last)) or seen[-1])
    lines = [line.replace("Việc ", '"Việc, ').replace(",Hoàn", '",Hoàn') for line in task_lines(6000)]
    split, single = load_both(tmp_path, HEAD + "".join(lines), monkeypatch)
    assert spy == [True] and seen == [False]  # the two halves were used
    same_dataset(split, single)
    assert split.task_rows[-1] == 6001


@pytest.mark.parametrize("where", [0.2, 0.8])  # in the head (the child is stopped), in the child's part
def test_bad_utf8_in_either_half_same_errors(tmp_path, monkeypatch, spy, where):
    data = (HEAD + "".join(task_lines(6000))).encode("utf-8")
    cut = int(len(data) * where)
    data = data[:cut] + b"\xff\xfe" + data[cut:]
    split, single = load_both(tmp_path, data, monkeypatch)
    assert spy == [True]
    assert split == single
    assert any(e.row is None for e in split)


def test_small_files_bytes_and_threads_are_not_split(tmp_path):
    small = tmp_path / "a.csv"
    small.write_text(HEAD + "".join(task_lines(10)), encoding="utf-8")
    assert halves.plan(small) is None
    assert halves.plan(small, min_bytes=0) is not None
    assert halves.plan(small.read_bytes(), min_bytes=0) is None
    assert halves.plan(tmp_path / "a.xlsx", min_bytes=0) is None
