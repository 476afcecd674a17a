"""The WSGI entry point for gunicorn (`gunicorn app.wsgi:application`), configured from the environment.
`kpi serve` runs the same application."""

from __future__ import annotations

from app import create_app

application = create_app()
