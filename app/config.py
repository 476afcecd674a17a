"""Configuration from the environment: DATABASE_URL, SECRET_KEY, KPI_ENV, KPI_RULESETS_DIR.

"Development" means `KPI_ENV=development` in the environment (or `TESTING` in the app's config, as the
tests set it). Anything else is production: a server (anything that serves pages or the API) refuses to
start without a `SECRET_KEY` of at least `MIN_SECRET_LENGTH` characters, and never falls back to the
development key. Commands that serve nothing (`kpi db`, `kpi import`, …) run without one: they get a
random key for the life of the process, since they sign nothing that outlives it. `KPI_ENV=production`
(`KPI_PRODUCTION`) further marks session cookies Secure (HTTPS only: admin/security.py)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET_KEY = "dev-only-secret-key-change-me"
DEVELOPMENT = "development"
MIN_SECRET_LENGTH = 16


class ConfigError(RuntimeError):
    """The configuration cannot run a server; the message is Vietnamese and names the setting."""


def normalise_database_url(url: str) -> str:
    """Plain `postgresql://` / `postgres://` URLs use the installed psycopg 3 driver."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def from_environment(instance_path: str, environ: dict[str, str] | None = None) -> dict:
    """Flask config keys computed from the environment; SECRET_KEY stays None when it is not set."""
    env = os.environ if environ is None else environ
    default_db = "sqlite:///" + str(Path(instance_path) / "kpi.sqlite3")
    return {
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(env.get("DATABASE_URL") or default_db),
        "SECRET_KEY": env.get("SECRET_KEY") or None,
        "KPI_ENV": (env.get("KPI_ENV") or "production").strip().lower(),
        "KPI_RULESETS_DIR": env.get("KPI_RULESETS_DIR") or str(REPO_ROOT / "rulesets"),
        "KPI_MIGRATIONS_DIR": str(REPO_ROOT / "migrations"),
        "SQLALCHEMY_TRACK_MODIFICATIONS": False,
        "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,  # any request body, read or not (the API sets its own)
        "JSON_AS_ASCII": False,
        "KPI_PRODUCTION": (env.get("KPI_ENV") or "").strip().lower() == "production",
        # reverse proxies in front (nginx: 1): the client address and scheme come from X-Forwarded-*
        "KPI_PROXY_HOPS": int(env.get("KPI_PROXY_HOPS") or 0),
        # the PDFs of every official's sheet built from the web admin (kept a day)
        "KPI_SHEETS_FOLDER": env.get("KPI_SHEETS_FOLDER") or str(Path(instance_path) / "phieu-pdf"),
    }


def is_development(config: dict) -> bool:
    return config.get("KPI_ENV") == DEVELOPMENT or bool(config.get("TESTING"))


def settle_secret_key(config: dict, *, serving: bool) -> None:
    """Give `config` a usable SECRET_KEY or raise ConfigError (see the module docstring)."""
    key = config.get("SECRET_KEY")
    if is_development(config):
        config["SECRET_KEY"] = key or DEV_SECRET_KEY
        return
    if not serving:
        config["SECRET_KEY"] = key or secrets.token_hex(32)
        return
    if not key:
        raise ConfigError(
            "chưa đặt biến môi trường SECRET_KEY: máy chủ không khởi động khi không ở môi trường phát triển "
            f"(KPI_ENV={DEVELOPMENT}); tạo khóa bằng: python3 -c 'import secrets; print(secrets.token_hex(32))'"
        )
    if key == DEV_SECRET_KEY or len(key) < MIN_SECRET_LENGTH:
        raise ConfigError(
            f"SECRET_KEY quá ngắn (cần ít nhất {MIN_SECRET_LENGTH} ký tự) hoặc là khóa mẫu của môi trường "
            "phát triển: hãy đặt một khóa ngẫu nhiên"
        )
