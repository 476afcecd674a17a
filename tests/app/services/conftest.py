"""Data for the service tests: a province with two wards, admins, a published ruleset."""

from __future__ import annotations

import pytest
from ruleset_sources import PASSING_TEST, ruleset_source


@pytest.fixture
def units(session):
    from app.models import Unit

    province = Unit(code="TH", name="Tỉnh Thanh Hóa", kind="tỉnh")
    hac_thanh = Unit(code="HT", name="Phường Hạc Thành", kind="phường", parent=province)
    dong_son = Unit(code="DS", name="Phường Đông Sơn", kind="phường", parent=province)
    office = Unit(code="HT-VP", name="Văn phòng HĐND và UBND", kind="phòng", parent=hac_thanh)
    session.add_all([province, hac_thanh, dong_son, office])
    session.commit()
    return {"TH": province, "HT": hac_thanh, "DS": dong_son, "HT-VP": office}


@pytest.fixture
def admin(session, units):
    from app.services.users import create_user

    user = create_user("tinh", "mat-khau-tinh", "province_admin", "TH", "Quản trị tỉnh")
    session.commit()  # the test is the caller: it owns the commit (services only flush)
    return user


@pytest.fixture
def ward_admin(session, units):
    from app.services.users import create_user

    user = create_user("hacthanh", "mat-khau-phuong", "ward_admin", "HT", "Quản trị phường")
    session.commit()
    return user


@pytest.fixture
def national_admin(session):
    from app.services.users import create_user

    user = create_user("bonoivu", "mat-khau-bo-nv", "province_admin", None, "Bộ Nội vụ")
    session.commit()
    return user


@pytest.fixture
def published(session, units, admin):
    """TH-2026 v1 owned by the province, published."""
    from app.services import rulesets

    version = rulesets.save_draft(ruleset_source(test=PASSING_TEST), admin, units["TH"])
    version = rulesets.publish(version.id, admin)
    session.commit()
    return version
