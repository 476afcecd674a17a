"""Provisional scores equal what the assessment run computes (its level before quota), person by
person, for a whole ward of the demo (departments, leaders over leaders, a ward's adopted version,
catalog fields): after everyone is refreshed at once, and after one official's input changes so that
their level changes and only they and the leaders above are re-evaluated one by one."""

from __future__ import annotations

from fractions import Fraction

from run_fixtures import run

from app.models import PeriodInput, Person, ProvisionalResult, Unit
from app.services.assessments import provisional

PERIOD = "2026-01"


def _ward_people(session, ward: str) -> list[Person]:
    units = [u.id for u in session.query(Unit) if u.code == ward or (u.parent and u.parent.code == ward)]
    return session.query(Person).filter(Person.unit_id.in_(units), Person.active.is_(True)).all()


def _assert_same_as_the_run(session, ward: str) -> dict:
    report = run(ward, PERIOD, dry_run=True)
    session.expire_all()
    stored = {
        p.code: session.query(ProvisionalResult).filter_by(person_id=p.id, period=PERIOD).one()
        for p in _ward_people(session, ward)
    }
    assert stored.keys() == report.rows.keys() and len(stored) > 50
    for code, row in report.rows.items():
        mine = stored[code]
        assert mine.problem == "", (code, mine.problem)
        assert (mine.level, mine.not_rated, mine.version_id) == (
            row["level_before_quota"], row["not_rated"], row["version_id"],
        ), code  # fmt: skip
        assert Fraction(str(mine.score)) == Fraction(row["score_text"]), code
        assert {k: Fraction(v) for k, v in mine.criteria.items()} == {
            k: Fraction(v) for k, v in row["criteria"].items()
        }, code
        assert mine.vetoes == row["vetoes"], code
    return report.rows


def test_everyone_refreshed_at_once_equals_the_run(demo):
    for ward in ("HT", "DS"):
        people = _ward_people(demo, ward)
        provisional.refresh({(p.id, PERIOD) for p in people})
        demo.commit()
        _assert_same_as_the_run(demo, ward)


def test_one_change_then_the_leaders_above_equals_the_run(demo):
    people = _ward_people(demo, "HT")
    provisional.refresh({(p.id, PERIOD) for p in people})
    demo.commit()
    before = _assert_same_as_the_run(demo, "HT")
    # an official under a deputy under the chairman, reprimanded (khiển trách): không hoàn thành
    official = next(
        p for p in sorted(people, key=lambda p: p.code)
        if not p.is_leader and p.manager is not None and p.manager.manager is not None
        and before[p.code]["level_before_quota"] != "Không hoàn thành nhiệm vụ"
    )  # fmt: skip
    row = demo.query(PeriodInput).filter_by(person_id=official.id, period=PERIOD).one()
    row.discipline = "khiển trách"
    demo.flush()
    stored = provisional.refresh({(official.id, PERIOD)})  # what an import of that input calls
    demo.commit()
    assert stored[official.id]["level"] == "Không hoàn thành nhiệm vụ"
    assert official.manager_id in stored  # the leader above was re-evaluated from the stored results
    after = _assert_same_as_the_run(demo, "HT")
    assert after[official.manager.code]["criteria"] != before[official.manager.code]["criteria"]
