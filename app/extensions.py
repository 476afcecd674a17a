"""Flask extensions: the SQLAlchemy handle (typed declarative base with a naming convention) and, when a
schema change may be asked for, Flask-Migrate (`init_migrate`)."""

from __future__ import annotations

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)


def init_migrate(app) -> None:
    """Alembic through Flask-Migrate on `app` (once): for the server (`kpi serve --demo` upgrades) and the
    `kpi db` commands. Imported only then: alembic costs every other command about 0.2 s of start-up."""
    if "migrate" in app.extensions:
        return
    from flask_migrate import Migrate

    Migrate(render_as_batch=True, compare_type=True).init_app(
        app, db, directory=app.config["KPI_MIGRATIONS_DIR"]
    )


@event.listens_for(Engine, "connect")
def _sqlite_connect(dbapi_connection, _record) -> None:
    """SQLite enforces foreign keys only when asked, per connection. The sqlite3 module's own transaction
    handling is switched off (it would not BEGIN before a SAVEPOINT, so releasing the first savepoint
    committed everything); `_sqlite_begin` emits the BEGIN instead, as SQLAlchemy's documentation advises.
    Savepoints let a service undo its own part (a failing file of `kpi rulesets load`) inside the one
    transaction that the CLI command or the API request commits or rolls back."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
        dbapi_connection.isolation_level = None


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection) -> None:
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN")
