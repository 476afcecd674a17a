"""Configuration from the environment and the cheap `import app`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.config import DEV_SECRET_KEY, ConfigError, from_environment, normalise_database_url

ROOT = Path(__file__).resolve().parents[2]


def test_postgresql_urls_use_psycopg3():
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_defaults_and_environment(tmp_path):
    defaults = from_environment(str(tmp_path), {})
    assert defaults["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'kpi.sqlite3'}"
    assert defaults["SECRET_KEY"] is None and defaults["KPI_ENV"] == "production"
    assert defaults["KPI_RULESETS_DIR"] == str(ROOT / "rulesets")
    env = {"DATABASE_URL": "postgresql://a@b/c", "SECRET_KEY": "s", "KPI_RULESETS_DIR": "/r"}
    given = from_environment(str(tmp_path), env)
    assert (given["SQLALCHEMY_DATABASE_URI"], given["SECRET_KEY"], given["KPI_RULESETS_DIR"]) == (
        "postgresql+psycopg://a@b/c",
        "s",
        "/r",
    )


def test_create_app_overrides(tmp_path):
    from app import create_app

    url = "postgresql://x@127.0.0.1/none"
    application = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "s" * 32})
    assert application.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")
    assert "migrate" in application.extensions and "sqlalchemy" in application.extensions


def test_import_app_is_cheap():
    code = "import app, app.tabular, sys; print('flask' in sys.modules, 'sqlalchemy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "False False", out.stderr


def _app(monkeypatch, tmp_path, *, serving=True, **env):
    from app import create_app

    for name in ("SECRET_KEY", "KPI_ENV"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"}, serving=serving)


def test_server_refuses_to_start_without_a_secret_key_outside_development(monkeypatch, tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        _app(monkeypatch, tmp_path)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        _app(monkeypatch, tmp_path, KPI_ENV="production", SECRET_KEY=DEV_SECRET_KEY)
    with pytest.raises(ConfigError, match="quá ngắn"):
        _app(monkeypatch, tmp_path, SECRET_KEY="short")
    key = "k" * 40
    assert _app(monkeypatch, tmp_path, SECRET_KEY=key).config["SECRET_KEY"] == key


def test_development_and_commands_that_serve_nothing_run_without_a_secret_key(monkeypatch, tmp_path):
    assert _app(monkeypatch, tmp_path, KPI_ENV="development").config["SECRET_KEY"] == DEV_SECRET_KEY
    cli_key = _app(monkeypatch, tmp_path, serving=False).config["SECRET_KEY"]
    assert cli_key and cli_key != DEV_SECRET_KEY and len(cli_key) >= 32


def test_wsgi_entry_point_refuses_without_secret_key(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    out = subprocess.run(
        [sys.executable, "-c", "import app.wsgi"], capture_output=True, text=True, cwd=ROOT, env=env
    )
    assert out.returncode != 0 and "ConfigError" in out.stderr and "SECRET_KEY" in out.stderr
    env["SECRET_KEY"] = "x" * 40
    out = subprocess.run(
        [sys.executable, "-c", "import app.wsgi"], capture_output=True, text=True, cwd=ROOT, env=env
    )
    assert out.returncode == 0, out.stderr


def test_cli_commands_run_without_secret_key(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    kpi = str(Path(sys.executable).with_name("kpi"))
    out = subprocess.run([kpi, "db", "upgrade"], capture_output=True, text=True, cwd=ROOT, env=env)
    assert out.returncode == 0, out.stderr
