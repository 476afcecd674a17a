"""Bearer-token authentication; the token's scope (app.services.scope) for every view of the request."""

from __future__ import annotations

from flask import g, request

from ..extensions import db
from ..services.api_tokens import authenticate
from ..services.scope import Scope
from . import bp
from .errors import ApiError

PUBLIC_ENDPOINTS = {"api_v1.openapi_json", "api_v1.openapi_yaml", "api_v1.template"}


@bp.before_request
def _authenticate():
    for name in ("api_token", "api_scope", "api_token_used"):  # g outlives a request in tests
        g.pop(name, None)
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    token = authenticate(secret.strip()) if scheme.lower() == "bearer" else None
    if token is None:
        raise ApiError(401, "unauthorized", "thiếu hoặc sai mã truy cập (Authorization: Bearer <mã>)")
    g.api_token = token
    if token.last_used_at is not None and db.session.is_modified(token):
        g.api_token_used = (token.id, token.last_used_at)
    return None


def token():
    return g.api_token


def scope() -> Scope:
    """What the request's token may see and change (computed once per request)."""
    if g.get("api_scope") is None:
        g.api_scope = Scope.of_token(token())
    return g.api_scope
