"""The REST API under /api/v1: JSON, per-system bearer tokens limited to a unit subtree, documented in
openapi.yaml (served at /api/v1/openapi.json and /api/v1/openapi.yaml).

Views hold no business logic: they authenticate, check the scope (app.services.scope) and call the
services; each request is one transaction (transaction.py)."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("api_v1", __name__, url_prefix="/api/v1")

from . import auth, errors, reads, spec, transaction, writes  # noqa: E402,F401  (register the routes)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
