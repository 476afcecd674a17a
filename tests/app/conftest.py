"""Fixtures for the application: `app` (with an app context pushed) on a migrated database, parametrised
over SQLite and PostgreSQL.

KPI_TEST_DB=sqlite|postgresql|both selects the backends (default: both when PostgreSQL answers on
127.0.0.1:5432, else SQLite). PostgreSQL: one template database `kpi_test_<random>_tpl` is migrated per
test session, each test gets a copy (CREATE DATABASE … TEMPLATE), and all are dropped at the end.
SQLite: one migrated template file per session, copied for each test.
"""

from __future__ import annotations

import getpass
import itertools
import os
import secrets
import shutil
import sys
from pathlib import Path

import pytest

# `tests/app` has no __init__.py, so with pytest's default import mode the name `app` could become a
# namespace package made of tests/app and the real package, skipping app/__init__.py: put the
# repository root first so `app` is the real package.
_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)
if "app" in sys.modules and getattr(sys.modules["app"], "__file__", None) is None:
    for _name in [n for n in sys.modules if n == "app" or n.startswith("app.")]:
        del sys.modules[_name]

PG_HOST = "127.0.0.1:5432"


def _pg_admin_url() -> str | None:
    """A URL to the `postgres` maintenance database that accepts us (trust auth), or None."""
    import psycopg

    for user in ("postgres", getpass.getuser()):
        try:
            with psycopg.connect(f"postgresql://{user}@{PG_HOST}/postgres", connect_timeout=2):
                return f"postgresql+psycopg://{user}@{PG_HOST}/postgres"
        except Exception:
            continue
    return None


def _backends() -> list[str]:
    wanted = os.environ.get("KPI_TEST_DB", "").strip().lower()
    if wanted == "sqlite":
        return ["sqlite"]
    if wanted in ("postgresql", "postgres"):
        return ["postgresql"]
    if wanted == "both" or (not wanted and os.environ.get("CI")):
        return ["sqlite", "postgresql"]  # CI must test PostgreSQL too: a missing server fails, never skips
    return ["sqlite", "postgresql"] if _pg_admin_url() else ["sqlite"]


BACKENDS = _backends()


class PgDatabases:
    """Creates and drops the session's PostgreSQL databases through the maintenance database."""

    def __init__(self, admin_url: str):
        import sqlalchemy as sa

        self.admin_url = admin_url
        self.engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
        self.prefix = f"kpi_test_{secrets.token_hex(4)}"
        self.created: list[str] = []
        self.counter = itertools.count(1)

    def url(self, name: str) -> str:
        return self.admin_url.rsplit("/", 1)[0] + "/" + name

    def create(self, name: str, template: str | None = None) -> str:
        import sqlalchemy as sa

        sql = f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")
        with self.engine.connect() as conn:
            conn.execute(sa.text(sql))
        self.created.append(name)
        return self.url(name)

    def new_name(self) -> str:
        return f"{self.prefix}_{next(self.counter)}"

    def drop(self, name: str) -> None:
        import sqlalchemy as sa

        with self.engine.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if name in self.created:
            self.created.remove(name)

    def drop_all(self) -> None:
        for name in list(reversed(self.created)):
            self.drop(name)
        self.engine.dispose()


def make_app(url: str):
    from app import create_app

    return create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "SECRET_KEY": "test-secret-key-not-for-production"}
    )


def migrate_to_head(url: str) -> None:
    from flask_migrate import upgrade

    from app.extensions import db

    application = make_app(url)
    with application.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def pg_databases():
    admin = _pg_admin_url()
    if admin is None:
        if os.environ.get("CI") or os.environ.get("KPI_TEST_DB", "").lower() in (
            "postgresql",
            "postgres",
            "both",
        ):
            pytest.fail("PostgreSQL không chạy trên 127.0.0.1:5432 (CI và KPI_TEST_DB bắt buộc có)")
        pytest.skip("PostgreSQL không chạy trên 127.0.0.1:5432")
    dbs = PgDatabases(admin)
    yield dbs
    dbs.drop_all()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("kpi-template") / "template.sqlite3"
    migrate_to_head(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_template(pg_databases):
    name = f"{pg_databases.prefix}_tpl"
    url = pg_databases.create(name)
    migrate_to_head(url)
    return name


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def database_url(backend, request, tmp_path):
    """The URL of a fresh, migrated database for this test."""
    if backend == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "kpi.sqlite3"
        shutil.copyfile(template, path)
        yield f"sqlite:///{path}"
        return
    dbs = request.getfixturevalue("pg_databases")
    template = request.getfixturevalue("pg_template")
    name = dbs.new_name()
    url = dbs.create(name, template=template)
    yield url
    dbs.drop(name)


@pytest.fixture
def empty_database_url(backend, request, tmp_path):
    """The URL of a fresh database without any table (for migration tests)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    dbs = request.getfixturevalue("pg_databases")
    name = dbs.new_name()
    url = dbs.create(name)
    yield url
    dbs.drop(name)


@pytest.fixture
def app(database_url):
    """The application on a fresh migrated database, with an app context pushed."""
    from app.extensions import db

    application = make_app(database_url)
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def session(app):
    from app.extensions import db

    return db.session


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def app_for():
    """make_app: the application for a database URL (no context pushed)."""
    return make_app
