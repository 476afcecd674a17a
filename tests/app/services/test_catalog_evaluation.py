"""A ruleset reading a field of the catalog: validated, published (its test cases run) and evaluated."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from ruleset_sources import ruleset_source

from app.services import catalog, gate, rulesets
from dsl import run
from dsl.records import Dataset, PersonRecord

BODY = 'tiêu chí b "Đúng hạn" theo điều 14 = tỷ_lệ(tổng(số_hồ_sơ_đúng_hạn), tổng(giao), 100)\n'
TEST = """
kiểm thử "hồ sơ":
  nhiệm vụ 2 lần (khối_lượng_giao 1, khối_lượng_hoàn_thành 1, trạng_thái "Hoàn thành", số_hồ_sơ_đúng_hạn 1)
  đầu vào (điểm_tiêu_chí_chung 28)
  mong đợi b 100
"""


def test_a_published_ruleset_reading_a_catalog_field_evaluates(session, units, admin):
    catalog.add_field("task", "số_hồ_sơ_đúng_hạn", "Số hồ sơ đúng hạn", "số", user=admin, default=0)
    source = ruleset_source(body=BODY, test=TEST)
    version = rulesets.publish(rulesets.save_draft(source, admin, units["TH"]).id, admin)
    assert version.status == "published"

    checked = gate.validate(version.source, filename=version.filename)
    program = run.compile(checked)
    people = [PersonRecord("CB1", "A", "TH"), PersonRecord("CB2", "B", "TH")]
    data = Dataset(
        people=people,
        task_person=np.array([0, 0, 1, 1], dtype=np.int64),
        task_columns={
            "trạng_thái": np.array(["Hoàn thành"] * 4, dtype=object),
            "khối_lượng_giao": np.ones(4),
            "khối_lượng_hoàn_thành": np.ones(4),
            "số_hồ_sơ_đúng_hạn": np.array([1.0, 1.0, 1.0, 0.0]),
        },
        inputs={p.code: {"điểm_tiêu_chí_chung": Fraction(28)} for p in people},
    )
    result = run.evaluate(program, data)
    assert [p.criteria["b"] for p in result.results] == [100, 50]
    assert [p.score for p in result.results] == [98, 98]
