"""The WSGI entry point for gunicorn (`gunicorn app.wsgi:application`), configured from the environment;
`kpi serve` runs the same application. Outside development (`KPI_ENV=development`) it refuses to start
without a SECRET_KEY (app.config.settle_secret_key)."""

from __future__ import annotations

from app import create_app

application = create_app()
app = application  # `gunicorn app.wsgi:app` works too
