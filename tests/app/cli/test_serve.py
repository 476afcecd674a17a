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


def test_serve_needs_a_secret_key_unless_development(monkeypatch, tmp_path):
    """Not only KPI_ENV=production: any environment but development (app.config.settle_secret_key)."""
    monkeypatch.delenv("KPI_ENV", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 2 and "SECRET_KEY" in result.output and "Traceback" not in result.output


def test_demo_is_development_unless_production_is_asked(monkeypatch, tmp_path):
    """The README's first command (`kpi serve --demo`) works on a fresh machine; production stays strict."""
    import os

    import app.cli.serve as serve_module

    monkeypatch.setenv("KPI_ENV", "unset")  # recorded first, so that teardown removes what serve sets
    monkeypatch.delenv("KPI_ENV")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    seen = {}

    def stop_before_serving(application):
        seen["env"] = os.environ.get("KPI_ENV")
        seen["key"] = application.config["SECRET_KEY"]
        raise SystemExit(0)

    monkeypatch.setattr(serve_module, "_prepare_demo", stop_before_serving)
    result = CliRunner().invoke(cli, ["serve", "--demo"])
    assert result.exit_code == 0, result.output
    assert seen["env"] == "development" and seen["key"]
    monkeypatch.setenv("KPI_ENV", "production")
    result = CliRunner().invoke(cli, ["serve", "--demo"])
    assert result.exit_code == 2 and "SECRET_KEY" in result.output


def test_secret_key_rule():
    import pytest

    from app.config import DEV_SECRET_KEY, ConfigError, settle_secret_key

    development = {"KPI_ENV": "development", "SECRET_KEY": None}
    settle_secret_key(development, serving=True)
    assert development["SECRET_KEY"] == DEV_SECRET_KEY
    settle_secret_key({"KPI_ENV": "production", "SECRET_KEY": "a-real-random-key"}, serving=True)
    for key in ("", None, DEV_SECRET_KEY, "short"):
        with pytest.raises(ConfigError, match="SECRET_KEY"):
            settle_secret_key({"KPI_ENV": "production", "SECRET_KEY": key}, serving=True)
