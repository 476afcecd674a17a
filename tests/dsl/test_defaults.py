"""Task field defaults, applied once (dsl.defaults): derived ones, declared ones, kinds' ones."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from dsl import defaults
from dsl.engine.symbols import FieldInfo
from dsl.fields import TASK_FIELDS, by_name
from dsl.records import Dataset, PersonRecord

NAN = np.nan
SPECS = by_name(TASK_FIELDS)


def test_derived_defaults_on_float_columns():
    columns = {
        "trạng_thái": np.array(["Hoàn thành", "Đang thực hiện", "Hoàn thành", "Hoàn thành"], dtype=object),
        "khối_lượng_giao": np.array([2.0, 3.0, NAN, 1.0]),
        "khối_lượng_hoàn_thành": np.array([NAN, NAN, NAN, 0.5]),
        "ngày_hoàn_thành": np.array([10.0, NAN, 12.0, 9.0]),
        "hạn_hoàn_thành": np.array([9.0, 9.0, 12.0, NAN]),
        "số_lần_chậm": np.array([NAN, NAN, NAN, 3.0]),
    }
    defaults.derived_task_defaults(columns)
    assert columns["khối_lượng_hoàn_thành"].tolist() == [2.0, 0.0, 1.0, 0.5]  # giao empty counts 1
    assert columns["số_lần_chậm"].tolist() == [1.0, 0.0, 0.0, 3.0]  # late only when both dates are there


def test_fill_defaults_declared_kind_and_absent_columns():
    columns = {
        "khối_lượng_giao": np.array([NAN, 2.0]),
        "miễn_trừ": np.array([None, True], dtype=object),
        "minh_chứng": np.array(["a", None], dtype=object),
    }
    fields = [
        SPECS["khối_lượng_giao"],
        SPECS["hệ_số_quy_đổi"],
        SPECS["miễn_trừ"],
        SPECS["minh_chứng"],
        SPECS["ngày_giao"],
        FieldInfo("mức", "thang", ("thấp", "cao")),
        FieldInfo("điểm_thêm", "số", (), Fraction(1, 2)),
        FieldInfo("số_trang", "số"),
    ]
    defaults.fill_defaults(columns, 2, fields)
    assert columns["khối_lượng_giao"].tolist() == [1.0, 2.0]
    assert columns["hệ_số_quy_đổi"].tolist() == [1.0, 1.0]
    assert columns["miễn_trừ"].tolist() == [False, True]
    assert columns["minh_chứng"].tolist() == ["a", ""]
    assert np.isnan(columns["ngày_giao"]).all()  # a date has no default: it stays empty
    assert columns["mức"].tolist() == ["thấp", "thấp"]
    assert columns["điểm_thêm"].tolist() == [0.5, 0.5]
    assert columns["số_trang"].tolist() == [0.0, 0.0]


def test_complete_tasks_once_per_dataset_and_without_touching_the_callers_arrays():
    status = np.array(["Hoàn thành", "Hủy"], dtype=object)
    completed = np.array([None, None], dtype=object)
    data = Dataset(
        people=[PersonRecord("CB1")],
        task_person=np.zeros(2, dtype=np.int64),
        task_columns={
            "trạng_thái": status,
            "khối_lượng_giao": np.array([Fraction(3), None], dtype=object),
            "khối_lượng_hoàn_thành": completed,
        },
    )
    needed = [SPECS["khối_lượng_hoàn_thành"], SPECS["khối_lượng_giao"], SPECS["trạng_thái"]]
    defaults.complete_tasks(data, needed)
    assert data.task_columns["khối_lượng_hoàn_thành"].tolist() == [3, 0]
    assert completed.tolist() == [None, None]
    assert data.completed_fields == {"khối_lượng_hoàn_thành", "khối_lượng_giao", "trạng_thái"}
    data.task_columns["khối_lượng_giao"][1] = None
    defaults.complete_tasks(data, needed)  # already complete: not applied again
    assert data.task_columns["khối_lượng_giao"].tolist() == [3, None]
