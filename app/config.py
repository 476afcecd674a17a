"""Configuration from the environment: DATABASE_URL, SECRET_KEY, KPI_RULESETS_DIR, KPI_ENV."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET_KEY = "dev-only-secret-key-change-me"


def normalise_database_url(url: str) -> str:
    """Plain `postgresql://` / `postgres://` URLs use the installed psycopg 3 driver."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def from_environment(instance_path: str, environ: dict[str, str] | None = None) -> dict:
    """Flask config keys computed from the environment (defaults suitable for development)."""
    env = os.environ if environ is None else environ
    default_db = "sqlite:///" + str(Path(instance_path) / "kpi.sqlite3")
    return {
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(env.get("DATABASE_URL") or default_db),
        "SECRET_KEY": env.get("SECRET_KEY") or DEV_SECRET_KEY,
        "KPI_RULESETS_DIR": env.get("KPI_RULESETS_DIR") or str(REPO_ROOT / "rulesets"),
        "KPI_MIGRATIONS_DIR": str(REPO_ROOT / "migrations"),
        "SQLALCHEMY_TRACK_MODIFICATIONS": False,
        "JSON_AS_ASCII": False,
        "KPI_PRODUCTION": (env.get("KPI_ENV") or "").strip().lower() == "production",
        # reverse proxies in front (nginx: 1): the client address and scheme come from X-Forwarded-*
        "KPI_PROXY_HOPS": int(env.get("KPI_PROXY_HOPS") or 0),
    }


class ConfigError(RuntimeError):
    """The configuration cannot run (message in Vietnamese)."""


def check_production(config: dict) -> None:
    """In production (KPI_ENV=production) refuse to run without a real secret key."""
    if config.get("KPI_PRODUCTION") and config.get("SECRET_KEY") in (None, "", DEV_SECRET_KEY):
        raise ConfigError(
            "KPI_ENV=production nhưng chưa đặt biến môi trường SECRET_KEY (một chuỗi ngẫu nhiên dài, "
            'ví dụ tạo bằng: python3 -c "import secrets; print(secrets.token_hex(32))")'
        )
