"""Model behaviour: the unit tree, assignment history, passwords, token hashes, catalog specs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import (
    ApiToken,
    FieldDefinition,
    Person,
    PersonAssignment,
    Position,
    StandardProduct,
    Task,
    Unit,
    User,
)
from app.models.users import hash_token


@pytest.fixture
def tree(app):
    province = Unit(code="TH", name="Tỉnh Thanh Hóa", kind="tỉnh")
    ward = Unit(code="HT", name="Phường Hạc Thành", kind="phường", parent=province)
    other = Unit(code="DS", name="Phường Đông Sơn", kind="phường", parent=province)
    dept = Unit(code="HT-VP", name="Văn phòng", kind="phòng", parent=ward)
    db.session.add_all([province, ward, other, dept])
    db.session.commit()
    return province, ward, other, dept


def test_unit_tree(tree):
    province, ward, other, dept = tree
    assert dept.ancestors() == [dept, ward, province]
    assert dept.is_within(province) and dept.is_within(ward) and not dept.is_within(other)
    assert {u.code for u in province.children} == {"HT", "DS"}


def test_unit_codes_unique(tree):
    db.session.add(Unit(code="HT", name="Trùng", kind="phường"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_person_moves_keep_history(tree):
    _province, ward, other, _dept = tree
    clerk = Position(code="VT", name="Văn thư")
    person = Person(code="CB001", full_name="Nguyễn Văn An", unit=other, position=clerk)
    person.assignments = [
        PersonAssignment(
            unit=ward, position=clerk, valid_from=dt.date(2025, 7, 1), valid_to=dt.date(2026, 2, 28)
        ),
        PersonAssignment(unit=other, position=clerk, valid_from=dt.date(2026, 3, 1)),
    ]
    db.session.add(person)
    db.session.commit()
    assert person.unit_on(dt.date(2026, 1, 15)) is ward
    assert person.unit_on(dt.date(2026, 3, 1)) is other
    assert person.position_on(dt.date(2026, 1, 15)) is clerk


def test_standard_product_coefficient_exact(tree):
    position = Position(code="CV", name="Chuyên viên")
    position.products.append(
        StandardProduct(
            code="BC", name="Báo cáo", coefficient=Decimal("2.5"), effective_from=dt.date(2026, 1, 1)
        )
    )
    db.session.add(position)
    db.session.commit()
    db.session.expire_all()
    product = db.session.get(Position, position.id).products[0]
    assert product.coefficient == Decimal("2.5") and product.in_force(dt.date(2026, 5, 1))
    assert not product.in_force(dt.date(2025, 12, 31))


def test_task_external_id_unique_per_source_system_and_owner(tree):
    person = Person(code="CB1", full_name="Lê Thị Bình", unit=tree[1])
    db.session.add(person)
    owner, other = tree[0], tree[1]

    def task(system: str, unit, period: str = "2026-01") -> Task:
        return Task(source_system=system, owner_unit=unit, external_id="NV1", person=person, period=period,
                    status="Hoàn thành")  # fmt: skip

    db.session.add_all([task("qlvb", owner), task("khac", owner), task("qlvb", other)])
    db.session.commit()
    db.session.add(task("qlvb", owner, "2026-02"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_password_and_token_hashes(tree):
    user = User(username="u", role="evaluator", unit=tree[1])
    user.set_password("bí-mật-123")
    token = ApiToken(name="QLVB", token_hash=hash_token("tok-abc"), prefix="tok-", unit=tree[1])
    db.session.add_all([user, token])
    db.session.commit()
    assert "bí-mật" not in user.password_hash and user.check_password("bí-mật-123")
    assert not user.check_password("sai")
    assert token.matches("tok-abc") and not token.matches("tok-abd") and token.token_hash != "tok-abc"


def test_field_definition_spec(app):
    field = FieldDefinition(
        scope="task", name="số_hồ_sơ", label="Số hồ sơ", kind="số", aliases=["Hồ sơ"], low="0"
    )
    db.session.add(field)
    db.session.commit()
    spec = field.to_spec()
    assert (spec.name, spec.kind, spec.aliases, spec.low) == ("số_hồ_sơ", "số", ("Hồ sơ",), "0")


def test_product_coefficient_in_force_on_a_date(app):
    position = Position(code="CV2", name="Chuyên viên")
    position.products += [
        StandardProduct(
            code="BC", name="Báo cáo", coefficient=Decimal("2"), effective_from=dt.date(2025, 1, 1)
        ),
        StandardProduct(
            code="BC", name="Báo cáo", coefficient=Decimal("2.5"), effective_from=dt.date(2026, 1, 1)
        ),
    ]
    db.session.add(position)
    db.session.commit()
    assert position.product_on("BC", dt.date(2025, 6, 1)).coefficient == Decimal("2")
    assert position.product_on("BC", dt.date(2026, 6, 1)).coefficient == Decimal("2.5")
    assert (
        position.product_on("BC", dt.date(2024, 6, 1)) is None
        and position.product_on("X", dt.date(2026, 1, 1)) is None
    )
