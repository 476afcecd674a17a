"""PostgreSQL roles for production: the migrations run as an OWNER role, the application connects as an
APP role that holds only the rights it needs, so that it can neither disable the guard triggers nor
empty or rewrite the audit log, whatever SQL reaches it.

- owner (NOLOGIN unless given a password by the operator): owns the schema, every table, sequence and
  trigger function; `kpi db upgrade` runs as it.
- app (LOGIN): not a superuser, not the owner, no CREATEROLE/CREATEDB; CONNECT on the database, USAGE on
  the schema, SELECT/INSERT/UPDATE/DELETE on the tables, USAGE/SELECT on the sequences; on `audit_log`
  only SELECT and INSERT; on `alembic_version` only SELECT. No TRUNCATE, no REFERENCES, no TRIGGER, so no
  ALTER TABLE … DISABLE TRIGGER (only an owner may) and no TRUNCATE.

`statements(database, owner, app)` gives the SQL (idempotent: run it again after every migration, since
default privileges cannot narrow the grants of a new append-only table by themselves)."""

from __future__ import annotations

import re

from .errors import ServiceError

APPEND_ONLY = ("audit_log",)  # INSERT and SELECT only
READ_ONLY = ("alembic_version",)  # SELECT only
_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def check_name(name: str, what: str) -> str:
    if not _NAME.fullmatch(name):
        raise ServiceError(
            f'tên vai trò {what} "{name}" không hợp lệ (chữ thường a-z, số, "_"; tối đa 63 ký tự)'
        )
    return name


def statements(database: str, owner: str, app: str, schema: str = "public") -> list[str]:
    owner, app = check_name(owner, "chủ sở hữu"), check_name(app, "ứng dụng")
    if owner == app:
        raise ServiceError("vai trò chủ sở hữu và vai trò ứng dụng phải khác nhau")
    db_name = '"' + database.replace('"', '""') + '"'
    return [
        f"""DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{owner}') THEN
    CREATE ROLE {owner} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{app}') THEN
    CREATE ROLE {app} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT;
  END IF;
END $$""",
        f"ALTER ROLE {app} NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT",
        f"ALTER SCHEMA {schema} OWNER TO {owner}",
        # everything the migrations made becomes the owner's (tables, sequences, trigger functions)
        f"""DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = '{schema}' AND c.relkind IN ('r', 'p', 'v', 'm') LOOP
    EXECUTE format('ALTER TABLE {schema}.%I OWNER TO {owner}', r.relname);
  END LOOP;
  FOR r IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = '{schema}' AND c.relkind = 'S'
             AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')) LOOP
    EXECUTE format('ALTER SEQUENCE {schema}.%I OWNER TO {owner}', r.relname);
  END LOOP;
  FOR r IN SELECT p.oid::regprocedure AS fn FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE n.nspname = '{schema}'
             AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e') LOOP
    EXECUTE format('ALTER FUNCTION %s OWNER TO {owner}', r.fn);
  END LOOP;
END $$""",
        f"REVOKE ALL ON DATABASE {db_name} FROM PUBLIC",
        f"GRANT CONNECT, TEMPORARY ON DATABASE {db_name} TO {app}",
        f"GRANT ALL ON DATABASE {db_name} TO {owner}",
        f"REVOKE ALL ON SCHEMA {schema} FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA {schema} TO {app}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {app}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {app}",
        *(f"DO $$ BEGIN IF to_regclass('{schema}.{t}') IS NOT NULL THEN "
          f"REVOKE UPDATE, DELETE ON {schema}.{t} FROM {app}; END IF; END $$" for t in APPEND_ONLY),
        *(f"DO $$ BEGIN IF to_regclass('{schema}.{t}') IS NOT NULL THEN "
          f"REVOKE INSERT, UPDATE, DELETE ON {schema}.{t} FROM {app}; END IF; END $$" for t in READ_ONLY),
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {app}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {app}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} GRANT USAGE, SELECT ON SEQUENCES TO {app}",
    ]  # fmt: skip


def script(database: str, owner: str, app: str) -> str:
    """The statements as one SQL script (for psql), with a header saying how to use it."""
    head = (
        f"-- KPI Công vụ: vai trò PostgreSQL cho cơ sở dữ liệu {database}\n"
        f"-- Chạy bằng một tài khoản quản trị (superuser hoặc chủ sở hữu hiện tại), sau mỗi lần nâng cấp cấu trúc.\n"
        f"-- Di chuyển (kpi db upgrade) chạy với vai trò {owner}; ứng dụng kết nối bằng vai trò {app}.\n"
    )
    return head + "".join(s.rstrip() + ";\n" for s in statements(database, owner, app))
