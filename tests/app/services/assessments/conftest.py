"""Fixtures of the assessment tests: the demo data (Thanh Hóa, Hạc Thành, Đông Sơn) loaded in the test
database."""

from __future__ import annotations

import pytest


@pytest.fixture
def demo(session):
    from app.services.demo import run_demo

    run_demo()
    session.commit()
    return session
