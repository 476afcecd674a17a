"""The one scope module: who sees and changes what (users by role and unit, tokens, the system)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.models import Unit
from app.services.errors import Forbidden
from app.services.scope import Scope


def _ids(session, *codes) -> frozenset[int]:
    return frozenset(u.id for u in session.query(Unit).filter(Unit.code.in_(codes)))


def test_users_scopes(session, units, admin, ward_admin, national_admin):
    from app.services.users import create_user, system_user

    assert Scope.of_user(system_user()).unit_ids is None
    assert Scope.of_user(national_admin).unit_ids is None
    assert Scope.of_user(admin).unit_ids == _ids(session, "TH", "HT", "DS", "HT-VP")
    ward = Scope.of_user(ward_admin)
    assert ward.unit_ids == _ids(session, "HT", "HT-VP") and ward.role == "ward_admin" and ward.can_write
    assert ward.sees_unit(units["HT-VP"].id) and not ward.sees_unit(units["DS"].id)
    assert not ward.sees_unit(None)
    official = Scope.of_user(create_user("canbo", "mat-khau-dai", "official", "HT-VP"))
    assert not official.can_write and official.unit_ids == _ids(session, "HT-VP")
    with pytest.raises(Forbidden):
        official.require_unit(units["HT-VP"].id, write=True)
    official.require_unit(units["HT-VP"].id)
    with pytest.raises(Forbidden) as refused:
        ward.require_unit(units["DS"].id, write=True)
    assert refused.value.code == "forbidden" and "hacthanh" in refused.value.message


def test_rulesets_managed_only_by_admins_of_the_owner(session, units, admin, ward_admin, national_admin):
    from app.services.users import create_user

    Scope.of_user(admin).require_manage(units["HT"], "công bố")
    Scope.of_user(national_admin).require_manage(None, "công bố")
    for user, unit in ((admin, None), (ward_admin, units["TH"]), (ward_admin, units["DS"])):
        with pytest.raises(Forbidden):
            Scope.of_user(user).require_manage(unit, "công bố")
    evaluator = create_user("danhgia", "mat-khau-dai", "evaluator", "HT")
    with pytest.raises(Forbidden):
        Scope.of_user(evaluator).require_manage(units["HT"], "công bố")
    ward = Scope.of_user(ward_admin)
    assert ward.sees_owner(None) and ward.sees_owner(units["TH"].id) and not ward.sees_owner(units["DS"].id)


def test_token_scope_and_query_filter(session, units):
    from app.services.api_tokens import create_token

    token, _ = create_token("HT", "giao-viec", access="read")
    scope = Scope.of_token(token)
    assert scope.role is None and not scope.can_write and scope.unit_ids == _ids(session, "HT", "HT-VP")
    found = {u.code for u in session.query(Unit).filter(scope.where_unit(Unit.id))}
    assert found == {"HT", "HT-VP"}
    assert session.query(Unit).filter(Scope.everything().where_unit(Unit.id)).count() == 4
    assert {
        u.code for u in session.query(Unit).filter(scope.within(units["HT-VP"].id).where_unit(Unit.id))
    } == {"HT-VP"}
    with pytest.raises(Forbidden):
        scope.within(units["DS"].id)


def test_person_over_time(session, units, ward_admin):
    ward = Scope.of_user(ward_admin)
    history = [
        (dt.date(1900, 1, 1), dt.date(2026, 1, 31), units["DS"].id),
        (dt.date(2026, 2, 1), None, units["HT"].id),
    ]
    ward.require_person_units("CB1", history, dt.date(2026, 2, 1), None, "chuyển")
    with pytest.raises(Forbidden) as refused:
        ward.require_person_units("CB1", history, dt.date(2026, 1, 31), dt.date(2026, 2, 28), "ghi kỳ")
    assert "DS" in refused.value.message and "31/01/2026" in refused.value.message
