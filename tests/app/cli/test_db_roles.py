"""`kpi db roles`: the application runs under a PostgreSQL role that cannot disable the guards or empty
the audit log, and normal imports work under it. SQLite has no roles: the command says so."""

from __future__ import annotations

import secrets

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from sqlalchemy.exc import DatabaseError

from app.cli.main import cli

UNITS = "Mã đơn vị,Tên đơn vị,Loại,Đơn vị cấp trên\nTH,Tỉnh Thanh Hóa,tỉnh,\nHT,Phường Hạc Thành,phường,TH\n"
PEOPLE = "Mã cán bộ,Họ và tên,Đơn vị\nHT01,Nguyễn Văn An,HT\n"
TASKS = "Mã nhiệm vụ,Mã cán bộ,Kỳ,Trạng thái\nNV1,HT01,2026-01,Hoàn thành\n"


def kpi(monkeypatch, url: str, *args: str):
    monkeypatch.setenv("DATABASE_URL", url)
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def pg_url(pg_databases, pg_template):
    """A fresh migrated PostgreSQL database (this file's role tests are about PostgreSQL only)."""
    name = pg_databases.new_name()
    url = pg_databases.create(name, template=pg_template)
    yield url
    pg_databases.drop(name)


@pytest.fixture
def roles(pg_url, monkeypatch):
    """Owner and app roles (random names: roles are cluster-wide) applied to the test database."""
    database_url = pg_url
    owner, app_role = f"kpi_owner_{secrets.token_hex(3)}", f"kpi_app_{secrets.token_hex(3)}"
    result = kpi(monkeypatch, database_url, "db", "roles", "--owner", owner, "--app", app_role, "--apply")
    assert result.exit_code == 0, result.output
    yield owner, app_role
    admin = sa.create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for role in (owner, app_role):
            conn.execute(sa.text(f"REASSIGN OWNED BY {role} TO CURRENT_USER"))
            conn.execute(sa.text(f"DROP OWNED BY {role}"))
            conn.execute(sa.text(f"DROP ROLE {role}"))
    admin.dispose()


def as_role(url: str, role: str) -> str:
    """The same database, connecting as `role` (the test server trusts local connections)."""
    head, _, rest = url.partition("://")
    return f"{head}://{role}@{rest.split('@', 1)[1]}"


def test_roles_command(backend, database_url, monkeypatch):
    if backend == "postgresql":
        script = kpi(monkeypatch, database_url, "db", "roles")
        assert script.exit_code == 0 and "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES" in script.output
        assert "TRUNCATE" not in script.output.split("\n", 3)[-1]
        bad = kpi(monkeypatch, database_url, "db", "roles", "--app", "x; DROP TABLE tasks")
        assert bad.exit_code == 1 and "không hợp lệ" in bad.output
    else:
        result = kpi(monkeypatch, database_url, "db", "roles")
        assert result.exit_code == 2 and "chỉ dành cho PostgreSQL" in result.output


def test_app_role_cannot_disable_guards_or_empty_the_audit_log(pg_url, roles, app_for, tmp_path):
    owner, app_role = roles
    url = as_role(pg_url, app_role)
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        facts = conn.execute(
            sa.text("SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user")
        ).one()
        assert tuple(facts) == (False, False, False)
        owners = (
            conn.execute(sa.text("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'"))
            .scalars()
            .all()
        )
        assert owners == [owner]
    attacks = [
        "TRUNCATE audit_log", "TRUNCATE tasks", "DELETE FROM audit_log", "UPDATE audit_log SET actor = 'x'",
        "ALTER TABLE ruleset_versions DISABLE TRIGGER ALL", "ALTER TABLE audit_log DISABLE TRIGGER USER",
        "DROP TRIGGER trg_audit_log_guard ON audit_log", "ALTER TABLE tasks ADD COLUMN x int",
        "SET session_replication_role = replica", "DROP TABLE tasks", "CREATE TABLE t (x int)",
        "UPDATE alembic_version SET version_num = '0001'", "CREATE ROLE kpi_evil SUPERUSER",
    ]  # fmt: skip
    for sql in attacks:
        with pytest.raises(DatabaseError) as err, engine.begin() as conn:
            conn.execute(sa.text(sql))
        assert err.value.orig.sqlstate == "42501", (sql, str(err.value)[:200])  # insufficient_privilege

    from app.extensions import db
    from app.models import AuditLog, Task
    from app.services.imports import import_file

    application = app_for(url)
    with application.app_context():
        for kind, name, text in (
            ("units", "dv.csv", UNITS),
            ("people", "ng.csv", PEOPLE),
            ("tasks", "nv.csv", TASKS),
        ):
            path = tmp_path / name
            path.write_text(text, encoding="utf-8")
            report = import_file(kind, path)
            assert report.applied, report.render()
        path.write_text(TASKS.replace("Hoàn thành", "Đang thực hiện"), encoding="utf-8")
        assert import_file("tasks", path).applied  # an update
        assert db.session.scalar(sa.select(Task.status)) == "Đang thực hiện"
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditLog)) == 4
        db.session.remove()
        db.engine.dispose()
