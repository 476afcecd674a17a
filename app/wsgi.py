"""The WSGI entry point of a server: `gunicorn 'app.wsgi:app'` (needs SECRET_KEY outside development)."""

from __future__ import annotations

from . import create_app

app = create_app()
