"""The demo data set: realistic content, deterministic, idempotent, and `kpi demo` prints the accounts."""

from __future__ import annotations

import datetime as dt

import pytest


def _contents(session) -> dict:
    from app.extensions import db

    return {
        t.name: sorted(repr(tuple(r)) for r in session.execute(t.select())) for t in db.metadata.sorted_tables
    }


@pytest.fixture
def demo(session):
    from app.services.demo import run_demo

    return run_demo()


def test_demo_content(session, demo):
    from app.models import ApiToken, PeriodInput, Person, Task, Unit, User
    from app.services import rulesets

    assert not demo.rulesets or not demo.rulesets.errors
    province = session.query(Unit).filter_by(code="TH").one()
    assert province.name == "Tỉnh Thanh Hóa"
    for ward, name in (("HT", "Phường Hạc Thành"), ("DS", "Phường Đông Sơn")):
        unit = session.query(Unit).filter_by(code=ward).one()
        assert unit.name == name and unit.parent is province and len(unit.children) == 4
        people = [p for p in session.query(Person) if p.unit.is_within(unit)]
        assert len(people) == 60
        leaders = [p for p in people if p.is_leader]
        assert len(leaders) == 11 and sum(p.manager is None for p in people) == 1
        assert all(p.manager is not None and p.manager.unit.is_within(unit) for p in people if p.manager_id)
        assert all(len(p.full_name.split()) >= 3 for p in people)
        assert all(p.position is not None and p.duty_group is not None for p in people)
    tasks = session.query(Task).all()
    assert {t.period for t in tasks} == {"2026-01", "2026-02", "2026-03"}
    statuses = {t.status for t in tasks}
    assert {"Hoàn thành", "Hủy", "Đang thực hiện"} <= statuses
    assert (
        any(t.delays for t in tasks) and any(t.major_errors for t in tasks) and any(t.exempt for t in tasks)
    )
    assert len({t.conversion_factor for t in tasks}) >= 3 and all(t.standard_product_id for t in tasks)
    assert any(t.extra.get("số_hồ_sơ") for t in tasks)
    inputs = session.query(PeriodInput).all()
    assert len(inputs) == 360 and {i.discipline for i in inputs} >= {"", "khiển trách", "cảnh cáo"}
    assert any("điểm_khả_năng_tổ_chức" in i.values for i in inputs)
    roles = {u.role for u in session.query(User) if u.username != "system"}
    assert roles == {"province_admin", "ward_admin", "evaluator", "official"}
    official = session.query(User).filter_by(username="HT0012").one()
    assert official.check_password("demo-canbo-2026") and official.person_id is not None
    assert session.query(ApiToken).filter_by(name="giao-viec-demo").count() == 1
    if demo.rulesets is not None:
        person = session.query(Person).filter_by(code="HT0012").one()
        assert rulesets.resolve(person, dt.date(2026, 2, 1)).ruleset.code == "TH-HAC-THANH-2026"
        other = session.query(Person).filter_by(code="DS0012").one()
        assert rulesets.resolve(other, dt.date(2026, 2, 1)).ruleset.code == "TH-2026"


def test_demo_twice_changes_nothing(session, demo):
    from app.services.demo import run_demo

    before = _contents(session)
    again = run_demo()
    assert all(not r.created and not r.updated for r in again.imports)
    assert not again.created_accounts and not again.token_created
    assert _contents(session) == before


def test_kpi_demo_prints_accounts(app, database_url, monkeypatch):
    from click.testing import CliRunner

    from app.cli.main import cli

    monkeypatch.setenv("DATABASE_URL", database_url)
    result = CliRunner().invoke(cli, ["demo"])
    assert result.exit_code == 0, result.output
    assert "tinh.quantri" in result.output and "demo-tinh-2026" in result.output
    assert "kpi_demo_" in result.output
    result = CliRunner().invoke(cli, ["demo"])
    assert result.exit_code == 0 and "không thay đổi" in result.output


def test_demo_refuses_a_database_with_real_data(session):
    """The demo's public passwords and API token never land beside real data."""
    from app.models import ApiToken, Unit
    from app.services.api_tokens import create_token
    from app.services.demo import run_demo
    from app.services.errors import Conflict

    session.add(Unit(code="QT", name="Tỉnh Quảng Trị", kind="tỉnh"))
    create_token("QT", "phan-mem-that")
    session.commit()
    with pytest.raises(Conflict) as refused:
        run_demo()
    assert refused.value.code == "conflict" and any("mã truy cập" in d for d in refused.value.details)
    session.rollback()
    assert session.query(ApiToken).count() == 1 and session.query(ApiToken).one().name == "phan-mem-that"
