"""KPI Công vụ application package. Importing it stays cheap (no Flask): `create_app` imports the factory
only when called, so `app.tabular` and `app.cli` load without Flask or SQLAlchemy."""

from __future__ import annotations


def create_app(config: dict | None = None, *, serving: bool = True):
    """The Flask application (see app.factory.create_app)."""
    from .factory import create_app as _create_app

    return _create_app(config, serving=serving)
