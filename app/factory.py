"""The Flask application factory."""

from __future__ import annotations

import os

from flask import Flask

from . import config as app_config
from .extensions import db, init_migrate


def create_app(config: dict | None = None, *, serving: bool = True) -> Flask:
    """Create the app: configuration from the environment, then `config` on top (tests pass theirs).

    `serving=False` for commands that serve no pages (the `kpi` CLI, the RQ worker): they run without a
    SECRET_KEY, and without the web parts (API and admin blueprints, sign-in, templates) nor
    Flask-Migrate (`kpi db` adds it), which would cost every command about half a second of imports
    (a ward's whole `kpi assess run` is about one second). A server outside
    development refuses to start without a SECRET_KEY (`app.config.ConfigError`)."""
    app = Flask("app", instance_relative_config=True)
    app.json.ensure_ascii = False  # Vietnamese stays readable in JSON responses (UTF-8)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(app_config.from_environment(app.instance_path))
    if config:
        app.config.update(config)
    app_config.settle_secret_key(app.config, serving=serving)
    hops = int(app.config.get("KPI_PROXY_HOPS") or 0)
    if hops > 0:  # behind nginx: the real client address (sign-in throttling per address) and https
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    app.config["SQLALCHEMY_DATABASE_URI"] = app_config.normalise_database_url(uri)
    from . import models  # noqa: F401  (register every table on the metadata)

    db.init_app(app)
    if serving:
        init_migrate(app)
        _register_optional_parts(app)
    return app


OPTIONAL_PARTS = ("app.api", "admin")  # each, when present, exposes `init_app(app)`


def _register_optional_parts(app: Flask) -> None:
    """Blueprints written by other parts of the project register themselves through `init_app`."""
    import importlib
    import importlib.util

    for name in OPTIONAL_PARTS:
        if importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        init = getattr(module, "init_app", None)
        if init is not None:
            init(app)
