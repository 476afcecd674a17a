"""`kpi serve`: refuses production without a secret key; the address printed from --bind."""

from __future__ import annotations

from click.testing import CliRunner

from app.cli.main import cli
from app.cli.serve import _address


def test_production_needs_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("KPI_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 2
    assert "SECRET_KEY" in result.output and "Traceback" not in result.output


def test_address_from_bind():
    assert _address("0.0.0.0:8000") == "http://127.0.0.1:8000/"
    assert _address("10.1.2.3:9000") == "http://10.1.2.3:9000/"


def test_production_secret_key_check():
    from app.config import ConfigError, check_production

    check_production({"KPI_PRODUCTION": False, "SECRET_KEY": "dev-only-secret-key-change-me"})
    check_production({"KPI_PRODUCTION": True, "SECRET_KEY": "a-real-random-key"})
    try:
        check_production({"KPI_PRODUCTION": True, "SECRET_KEY": ""})
    except ConfigError as exc:
        assert "SECRET_KEY" in str(exc)
    else:
        raise AssertionError("production without a secret key must be refused")
