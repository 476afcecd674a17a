"""Fixtures for the web admin: a database with the demo data (Hạc Thành HT, Đông Sơn DS), made once per
backend per session and copied for each test module; a test client that signs in with CSRF tokens.

The database helpers are those of tests/app/conftest.py (loaded by path: tests/app is not a package)."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest
from support import Browser

_spec = importlib.util.spec_from_file_location(
    "_app_conftest", Path(__file__).parents[1] / "app" / "conftest.py"
)
base = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(base)

sqlite_template = base.sqlite_template
pg_databases = base.pg_databases
pg_template = base.pg_template


def _run_demo(url: str) -> None:
    from app.extensions import db
    from app.services.demo import run_demo

    application = base.make_app(url)
    with application.app_context():
        run_demo()
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def demo_sqlite(sqlite_template, tmp_path_factory):
    path = tmp_path_factory.mktemp("kpi-demo") / "demo.sqlite3"
    shutil.copyfile(sqlite_template, path)
    _run_demo(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def demo_pg(pg_databases, pg_template):
    name = f"{pg_databases.prefix}_demo"
    url = pg_databases.create(name, template=pg_template)
    _run_demo(url)
    return name


@pytest.fixture(scope="module", params=base.BACKENDS)
def demo_url(request, tmp_path_factory):
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("kpi-admin") / "kpi.sqlite3"
        shutil.copyfile(request.getfixturevalue("demo_sqlite"), path)
        yield f"sqlite:///{path}"
        return
    dbs = request.getfixturevalue("pg_databases")
    name = dbs.new_name()
    url = dbs.create(name, template=request.getfixturevalue("demo_pg"))
    yield url
    dbs.drop(name)


@pytest.fixture(scope="module")
def web(demo_url):
    """The application on a demo database (module-wide). No app context stays pushed: each request
    gets its own, as under gunicorn (a pushed one would share `g` between requests)."""
    from app.extensions import db

    application = base.make_app(demo_url)
    application.config["PROPAGATE_EXCEPTIONS"] = False  # 500s render the error page, as in production
    application.config["TESTING"] = False
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def browser(web):
    def make(username: str | None = None) -> Browser:
        b = Browser(web)
        if username:
            response = b.login(username)
            assert response.status_code == 302, response.text[:500]
        return b

    return make
