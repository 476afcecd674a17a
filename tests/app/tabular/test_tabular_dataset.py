import unicodedata
from fractions import Fraction

import numpy as np
import pytest

from app.tabular import TableErrors, load_dataset, load_datasets, match_headers, read_table
from dsl.fields import TASK_FIELDS, FieldSpec

PEOPLE = (
    "Mã cán bộ,Họ và tên,Đơn vị,Lãnh đạo,Người quản lý,Nhóm nhiệm vụ\n"
    "LD,Nguyễn Văn A,P1,có,,Lãnh đạo\n"
    "NV1,Trần Thị B,P1,không,LD,Tư pháp\n"
)
TASK_HEAD = (
    "Mã nhiệm vụ,Mã cán bộ,Kỳ,Trạng thái,Hạn hoàn thành,Ngày hoàn thành,Khối lượng giao,Hệ số quy đổi\n"
)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load(tmp_path, tasks, inputs=None, **kw):
    people = write(tmp_path, "nguoi.csv", PEOPLE)
    t = write(tmp_path, "nhiem-vu.csv", tasks)
    i = write(tmp_path, "dau-vao.csv", inputs) if inputs is not None else None
    return load_dataset(people, t, i, **kw)


def test_columns_and_derived_defaults(tmp_path):
    ds = load(
        tmp_path,
        TASK_HEAD
        + 'T1,LD,,Hoàn thành,31/01/2026,2026-02-02,"2,5",1\n'
        + "T2,NV1,2026-01,huy,31/01/2026,,1,\n"
        + "T3,NV1,,Đang thực hiện,2026-01-20,,3,0.5\n",
    )
    assert [p.code for p in ds.people] == ["LD", "NV1"]
    assert ds.people[0].leader and ds.people[1].manager == "LD"
    assert ds.task_person.tolist() == [0, 1, 1]
    cols = ds.task_columns
    assert cols["khối_lượng_giao"].tolist() == [2.5, 1.0, 3.0]
    assert cols["hệ_số_quy_đổi"].tolist() == [1.0, 1.0, 0.5]  # empty -> default 1
    assert cols["khối_lượng_hoàn_thành"].tolist() == [2.5, 0.0, 0.0]  # = giao when Hoàn thành
    assert cols["số_lần_chậm"].tolist() == [1.0, 0.0, 0.0]  # done after the deadline
    assert cols["trạng_thái"].tolist() == ["Hoàn thành", "Hủy", "Đang thực hiện"]
    assert cols["kỳ"].tolist() == ["2026-01", "2026-01", "2026-01"]  # empty -> deadline's month
    assert np.isnan(cols["ngày_hoàn_thành"][1])
    assert ds.task_rows.tolist() == [2, 3, 4]
    assert ds.period == "2026-01"  # the one period of the records


def test_several_periods_are_never_one_dataset(tmp_path):
    tasks = TASK_HEAD + "T1,LD,,Hoàn thành,31/01/2026,,1,1\nT2,NV1,2026-02,Hoàn thành,,,1,1\n"
    inputs = "Mã cán bộ,Kỳ,Điểm tiêu chí chung\nLD,2026-01,28\nLD,2026-02,10\nNV1,,20\n"
    with pytest.raises(TableErrors) as info:
        load(tmp_path, tasks, inputs)
    assert "2026-01, 2026-02" in info.value.render()
    people = write(tmp_path, "nguoi.csv", PEOPLE)
    t, i = write(tmp_path, "nhiem-vu.csv", tasks), write(tmp_path, "dau-vao.csv", inputs)
    january, february = load_datasets(people, t, i, period_kind="tháng")
    assert (january.period, february.period) == ("2026-01", "2026-02")
    assert january.task_columns["mã_nhiệm_vụ"].tolist() == ["T1"] and january.task_rows.tolist() == [2]
    assert february.task_person.tolist() == [1]
    assert (
        january.inputs["LD"]["điểm_tiêu_chí_chung"] == 28
        and february.inputs["LD"]["điểm_tiêu_chí_chung"] == 10
    )
    assert january.inputs["NV1"] == february.inputs["NV1"]  # a row without Kỳ counts in every period
    (quarter,) = load_datasets(people, t, None, period_kind="quý")
    assert quarter.period == "2026-Q1" and quarter.task_count == 2


def test_period_filter_month_and_quarter(tmp_path):
    tasks = (
        TASK_HEAD
        + "T1,LD,2026-01,Hoàn thành,,,1,1\nT2,LD,2026-02,Hoàn thành,,,1,1\nT3,LD,2026-04,Hoàn thành,,,1,1\n"
    )
    ds = load(tmp_path, tasks, period="01/2026")
    assert ds.task_columns["mã_nhiệm_vụ"].tolist() == ["T1"] and ds.period == "2026-01"
    ds = load(tmp_path, tasks, period="2026-Q1")
    assert ds.task_columns["mã_nhiệm_vụ"].tolist() == ["T1", "T2"]
    assert ds.task_rows.tolist() == [2, 3]
    ds = load(tmp_path, tasks, period="2026")
    assert ds.task_count == 3


def test_every_error_reported_at_once_with_row_and_column(tmp_path):
    tasks = (
        TASK_HEAD
        + "T1,LD,2026-01,Hoàn thành,31/02/2026,,1,1\n"  # no such date
        + "T2,XX,2026-01,Hoàn thành,,,1,1\n"  # unknown person
        + "T3,NV1,2026-01,Xong,,,1.234,1\n"  # bad status and ambiguous number
        + "T3,NV1,2026-13,Hoàn thành,,,-1,1\n"  # duplicate code, bad period, negative
    )
    with pytest.raises(TableErrors) as info:
        load(tmp_path, tasks)
    found = {(e.row, e.column) for e in info.value.errors}
    assert {
        (2, "Hạn hoàn thành"),
        (3, "Mã cán bộ"),
        (4, "Trạng thái"),
        (4, "Khối lượng giao"),
        (5, "Kỳ"),
        (5, "Khối lượng giao"),
        (4, "Mã nhiệm vụ"),
        (5, "Mã nhiệm vụ"),
    } <= found
    assert all(e.file.endswith("nhiem-vu.csv") for e in info.value.errors)
    text = info.value.render()
    assert "dòng 4" in text and '"1.234"' in text


def test_headers_nfd_case_and_underscores(tmp_path):
    head = unicodedata.normalize("NFD", "MA NHIEM VU,ma_can_bo,trạng thái,HẠN_HOÀN_THÀNH\n")
    ds = load(tmp_path, head + "T1,LD,Hoàn thành,01/03/2026\n")
    assert ds.task_columns["hạn_hoàn_thành"][0] > 0
    assert ds.task_columns["kỳ"].tolist() == ["2026-03"]


def test_unknown_column_is_an_error_unless_declared(tmp_path):
    tasks = "Mã nhiệm vụ,Mã cán bộ,Trạng thái,Hạn hoàn thành,Số hồ sơ\nT1,LD,Hoàn thành,01/03/2026,7\n"
    with pytest.raises(TableErrors) as info:
        load(tmp_path, tasks)
    assert [(e.row, e.column) for e in info.value.errors] == [(1, "Số hồ sơ")]
    extra = FieldSpec("số_hồ_sơ", "Số hồ sơ", "số", default=0)
    ds = load(tmp_path, tasks, extra_task_fields=[extra])
    assert ds.task_columns["số_hồ_sơ"].tolist() == [7.0]


def test_missing_required_column(tmp_path):
    with pytest.raises(TableErrors) as info:
        load(tmp_path, "Mã nhiệm vụ,Mã cán bộ\nT1,LD\n")
    assert ("Trạng thái", 1) in {(e.column, e.row) for e in info.value.errors}


def test_inputs_per_person_and_period(tmp_path):
    tasks = TASK_HEAD + "T1,LD,2026-01,Hoàn thành,,,1,1\n"
    inputs = (
        "Mã cán bộ,Kỳ,Điểm tiêu chí chung,Kỷ luật,Điểm khả năng tổ chức\n"
        'LD,2026-01,"27,5",,90\n'
        "LD,2026-02,20,khien trach,80\n"
        "NV1,01/2026,25,Khiển trách,\n"
    )
    extra = FieldSpec("điểm_khả_năng_tổ_chức", "Điểm khả năng tổ chức", "số", low="0", high="100")
    ds = load(tmp_path, tasks, inputs, extra_inputs=[extra])
    assert ds.period == "2026-01"
    assert ds.inputs["LD"] == {"điểm_tiêu_chí_chung": Fraction(55, 2), "điểm_khả_năng_tổ_chức": 90}
    assert ds.inputs["NV1"] == {"điểm_tiêu_chí_chung": 25, "kỷ_luật": "khiển trách"}


def test_inputs_out_of_range_and_bad_scale(tmp_path):
    tasks = TASK_HEAD + "T1,LD,2026-01,Hoàn thành,,,1,1\n"
    inputs = "Mã cán bộ,Kỳ,Điểm tiêu chí chung,Kỷ luật\nLD,2026-01,31,\nNV1,2026-01,20,phê bình\n"
    with pytest.raises(TableErrors) as info:
        load(tmp_path, tasks, inputs)
    assert {(e.row, e.column) for e in info.value.errors} == {(2, "Điểm tiêu chí chung"), (3, "Kỷ luật")}


def test_people_errors(tmp_path):
    people = write(
        tmp_path, "nguoi.csv", "Mã cán bộ,Họ và tên,Đơn vị,Người quản lý\nA,X,P,\nA,Y,P,\nB,Z,P,QQ\nC,,P,\n"
    )
    tasks = write(tmp_path, "nv.csv", TASK_HEAD)
    with pytest.raises(TableErrors) as info:
        load_dataset(people, tasks)
    assert {(e.row, e.column) for e in info.value.errors} == {
        (3, "Mã cán bộ"),
        (4, "Người quản lý"),
        (5, "Họ và tên"),
    }


def test_match_headers_reports_duplicates():
    table = read_table("Mã nhiệm vụ,ID,Mã cán bộ,Trạng thái\n".encode(), "x.csv")
    mapping, errors = match_headers(table, TASK_FIELDS)
    assert mapping["mã_nhiệm_vụ"] == 0
    assert [(e.column, e.row) for e in errors] == [("ID", 1)]


def test_sub_period_results_for_roll_up(tmp_path):
    people = write(tmp_path, "nguoi.csv", PEOPLE)
    results = write(
        tmp_path,
        "ket-qua.csv",
        "Mã cán bộ,Đơn vị,Kỳ,d,đ,Điểm,Xếp loại,Trước hạn mức\n"
        "LD,P1,2026-01,100,90,92,Hoàn thành xuất sắc nhiệm vụ,\n"
        'LD,P1,2026-02,50,80,"88,5",Hoàn thành tốt nhiệm vụ,\n'
        "NV1,P1,2025-12,100,100,70,Hoàn thành tốt nhiệm vụ,\n",
    )
    ds = load_dataset(people, None, results_path=results, period="2026")
    assert ds.period_person.tolist() == [0, 0]
    cols = ds.period_columns
    assert cols["kỳ"].tolist() == ["2026-01", "2026-02"]
    assert cols["điểm"].tolist() == [92.0, 88.5]
    assert cols["d"].tolist() == [100.0, 50.0] and cols["đ"].tolist() == [90.0, 80.0]  # not confused
    assert cols["xếp_loại"].tolist() == ["Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ"]


def test_tasks_from_xlsx_and_json(tmp_path):
    import datetime as dt
    import json

    import openpyxl

    people = write(tmp_path, "nguoi.csv", PEOPLE)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(
        ["Mã nhiệm vụ", "Mã cán bộ", "Trạng thái", "Hạn hoàn thành", "Ngày hoàn thành", "Khối lượng giao"]
    )
    ws.append(["T1", "LD", "Hoàn thành", dt.datetime(2026, 1, 10), dt.datetime(2026, 1, 12), 2.5])
    ws.append(["T2", "NV1", "huỷ", "10/01/2026", None, 1])
    xlsx = tmp_path / "nv.xlsx"
    wb.save(xlsx)
    ds = load_dataset(people, xlsx)
    assert ds.task_columns["khối_lượng_giao"].tolist() == [2.5, 1.0]
    assert ds.task_columns["số_lần_chậm"].tolist() == [1.0, 0.0]
    assert ds.task_columns["trạng_thái"].tolist() == ["Hoàn thành", "Hủy"]
    assert ds.task_columns["kỳ"].tolist() == ["2026-01", "2026-01"]
    data = [
        {
            "Mã nhiệm vụ": "T1",
            "Mã cán bộ": "LD",
            "Trạng thái": "Hoàn thành",
            "Hạn hoàn thành": "2026-01-10",
            "Khối lượng giao": 3,
        },
        {
            "Mã nhiệm vụ": "T2",
            "Mã cán bộ": "NV1",
            "Trạng thái": "Hoàn thành",
            "Hạn hoàn thành": "2026-01-10",
            "Khối lượng giao": [1],
        },
    ]
    path = tmp_path / "nv.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(TableErrors) as info:
        load_dataset(people, path)
    assert [(e.row, e.column) for e in info.value.errors] == [(3, "Khối lượng giao")]


def test_blank_and_short_rows_in_tasks(tmp_path):
    tasks = TASK_HEAD + "T1,LD,2026-01,Hoàn thành,,,1,1\n\n,,,,,,,\nT2,NV1,2026-01,Hoàn thành\n"
    ds = load(tmp_path, tasks)
    assert ds.task_rows.tolist() == [2, 5]
    assert ds.task_columns["khối_lượng_giao"].tolist() == [1.0, 1.0]


def test_bad_encoding_in_the_middle_is_a_file_error(tmp_path):
    people = write(tmp_path, "nguoi.csv", PEOPLE)
    rows = "".join(f"T{i},LD,2026-01,Hoàn thành,,,1,1\n" for i in range(5000))
    tasks = tmp_path / "nv.csv"
    tasks.write_bytes((TASK_HEAD + rows).encode() + "T9,LD,2026-01,Hoàn thành,,,1,1\n".encode("cp1258"))
    with pytest.raises(TableErrors) as info:
        load_dataset(people, tasks)
    assert any(e.row is None and e.file.endswith("nv.csv") for e in info.value.errors)
