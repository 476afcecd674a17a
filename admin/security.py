"""Sessions and access: Flask-Login with the `users` table, CSRF on every state-changing request
(Flask-WTF: forms carry `csrf_token`, background calls send the `X-CSRFToken` header), hardened session
cookies that expire, and the scope of the signed-in user (`current_scope()`)."""

from __future__ import annotations

import datetime as dt

from flask import Flask, abort, g, redirect, request, url_for
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect

from app.extensions import db
from app.models import User
from app.services.scope import Scope

login_manager = LoginManager()
csrf = CSRFProtect()

ADMINS = ("province_admin", "ward_admin")
STAFF = ("province_admin", "ward_admin", "evaluator")
EVERYONE = ("province_admin", "ward_admin", "evaluator", "official")
SESSION_HOURS = 8


class LoginUser:
    """The Flask-Login wrapper of a `User` row (kept apart so the model stays free of Flask-Login)."""

    def __init__(self, user: User):
        self.user = user
        self.is_authenticated = True
        self.is_active = bool(user.active)
        self.is_anonymous = False

    def get_id(self) -> str:
        return str(self.user.id)

    def __getattr__(self, name):
        return getattr(self.user, name)


def init_app(app: Flask) -> None:
    production = bool(app.config.get("KPI_PRODUCTION"))
    app.config.update(
        SESSION_COOKIE_NAME="kpi_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=production,  # HTTPS behind the reverse proxy in production
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=SESSION_HOURS),
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SECURE=production,
        WTF_CSRF_TIME_LIMIT=SESSION_HOURS * 3600,
    )
    csrf.init_app(app)
    api = app.blueprints.get("api_v1")
    if api is not None:  # the REST API authenticates with bearer tokens, not cookies
        csrf.exempt(api)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Vui lòng đăng nhập để tiếp tục."
    login_manager.session_protection = "strong"


@login_manager.user_loader
def _load_user(user_id: str):
    try:
        user = db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        return None
    if user is None or not user.active or not user.password_hash:
        return None
    return LoginUser(user)


@login_manager.unauthorized_handler
def _unauthorized():
    if request.accept_mimetypes.best == "application/json" or request.is_json:
        abort(401)
    return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))


def current_db_user() -> User | None:
    return current_user.user if current_user.is_authenticated else None


def current_scope() -> Scope:
    """The signed-in user's scope (computed once per request). Anonymous: an empty scope."""
    if "kpi_scope" not in g:
        user = current_db_user()
        g.kpi_scope = Scope.of_user(user) if user is not None else Scope("", frozenset(), "")
    return g.kpi_scope


def has_role(*roles: str) -> bool:
    user = current_db_user()
    return user is not None and user.role in roles
