"""The web admin (Flask-Admin): sign-in, the unit scope of every screen, data views, imports, rulesets.

`init_app(app)` is called by `app.create_app` (see OPTIONAL_PARTS there). Views are thin: they read with
queries limited by `app.services.scope` and change things through `app.services`; each request that
changes something owns its one commit (or rollback)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from . import i18n, security, shell

    security.init_app(app)
    i18n.init_app(app)
    shell.init_app(app)
