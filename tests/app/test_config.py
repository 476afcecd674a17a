"""Configuration from the environment and the cheap `import app`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from app.config import DEV_SECRET_KEY, from_environment, normalise_database_url

ROOT = Path(__file__).resolve().parents[2]


def test_postgresql_urls_use_psycopg3():
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_defaults_and_environment(tmp_path):
    defaults = from_environment(str(tmp_path), {})
    assert defaults["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'kpi.sqlite3'}"
    assert defaults["SECRET_KEY"] == DEV_SECRET_KEY
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

    application = create_app({"SQLALCHEMY_DATABASE_URI": "postgresql://x@127.0.0.1/none"})
    assert application.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")
    assert "migrate" in application.extensions and "sqlalchemy" in application.extensions


def test_import_app_is_cheap():
    code = "import app, app.tabular, sys; print('flask' in sys.modules, 'sqlalchemy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "False False", out.stderr
