"""The field catalog: a field added by an administrator is usable by a ruleset at once."""

from __future__ import annotations

import pytest
from ruleset_sources import ruleset_source

from app.services import catalog, rulesets
from app.services.errors import ServiceError

USES_FIELD = "tổng_hồ_sơ = tổng(số_hồ_sơ_đúng_hạn)\n"
USES_INPUT = "thưởng = điểm_sáng_kiến + 1\n"


def test_task_field_usable_at_once(session, units, admin):
    before = rulesets.validate(ruleset_source(body=USES_FIELD))
    assert "E0102" in [d.code for d in before.diagnostics] or "E0101" in [d.code for d in before.diagnostics]
    catalog.add_field(
        "task", "số_hồ_sơ_đúng_hạn", "Số hồ sơ giải quyết đúng hạn", "số", user=admin, default=0
    )
    after = rulesets.validate(ruleset_source(body=USES_FIELD))
    assert after.ok, [d.code for d in after.diagnostics]
    version = rulesets.publish(
        rulesets.save_draft(ruleset_source(body=USES_FIELD), admin, units["TH"]).id, admin
    )
    assert version.status == "published"


def test_input_usable_at_once(session, admin):
    assert not rulesets.validate(ruleset_source(body=USES_INPUT)).ok
    catalog.add_field(
        "input", "điểm_sáng_kiến", "Điểm sáng kiến", "số", user=admin, low="0", high="10", default=0
    )
    assert rulesets.validate(ruleset_source(body=USES_INPUT)).ok


def test_bad_fields_refused_with_every_reason(session, admin):
    with pytest.raises(ServiceError) as err:
        catalog.add_field("khác", "1sai", "", "chữ", user=admin)
    assert len(err.value.details) == 4
    catalog.add_field("task", "số_tờ", "Số tờ", "số", user=admin)
    with pytest.raises(ServiceError):
        catalog.add_field("task", "số_tờ", "Số tờ", "số", user=admin)
    with pytest.raises(ServiceError):
        catalog.add_field("task", "hạn_hoàn_thành", "Hạn", "ngày", user=admin)


DECLARES = (
    'đầu vào điểm_sáng_kiến "Điểm sáng kiến": số từ 0 đến 10 mặc định 0\n'
    'trường nhiệm vụ số_trang "Số trang": số mặc định 0\n'
    "thưởng = điểm_sáng_kiến + tổng(số_trang)\n"
)


def test_publishing_registers_declared_inputs_and_fields(session, units, admin):
    version = rulesets.save_draft(ruleset_source(body=DECLARES), admin, units["TH"])
    assert not {f.name for f in catalog.list_fields()} & {"điểm_sáng_kiến", "số_trang"}
    rulesets.publish(version.id, admin)
    fields = {(f.scope, f.name): f for f in catalog.list_fields()}
    assert fields[("input", "điểm_sáng_kiến")].label == "Điểm sáng kiến"
    assert (fields[("input", "điểm_sáng_kiến")].low, fields[("input", "điểm_sáng_kiến")].high) == ("0", "10")
    assert ("task", "số_trang") in fields
    # a later ruleset that declares the same input again still validates
    assert rulesets.validate(ruleset_source(code="TH-KHAC", body=DECLARES)).ok
