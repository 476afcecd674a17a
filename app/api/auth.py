"""Bearer-token authentication and unit-subtree scope checks for the API."""

from __future__ import annotations

from flask import g, request

from ..extensions import db
from ..models import Unit
from ..services.api_tokens import authenticate
from ..services.imports.lookups import UnitTree
from . import bp
from .errors import ApiError

PUBLIC_ENDPOINTS = {"api_v1.openapi_json", "api_v1.openapi_yaml", "api_v1.template"}


@bp.before_request
def _authenticate():
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    token = authenticate(secret.strip()) if scheme.lower() == "bearer" else None
    if token is None:
        raise ApiError(401, "unauthorized", "thiếu hoặc sai mã truy cập (Authorization: Bearer <mã>)")
    g.api_token = token
    return None


def token():
    return g.api_token


def tree() -> UnitTree:
    if "api_tree" not in g:
        g.api_tree = UnitTree()
    return g.api_tree


def scope_ids() -> set[int]:
    """Units the token may read and write: its unit and everything below."""
    if "api_scope" not in g:
        g.api_scope = tree().subtree(token().unit_id)
    return g.api_scope


def visible_owner_ids() -> set[int]:
    """Owners of the rulesets a token may read: its subtree and the units above it."""
    return scope_ids() | set(tree().ancestors(token().unit_id))


def forbidden(what: str) -> ApiError:
    unit = token().unit.code
    return ApiError(403, "forbidden", f"mã truy cập của đơn vị {unit} không được truy cập {what}")


def require_unit(code: str) -> Unit:
    unit_id = tree().by_code.get(code)
    if unit_id is None:
        raise ApiError(404, "not_found", f'không có đơn vị mã "{code}"')
    if unit_id not in scope_ids():
        raise forbidden(f"đơn vị {code}")
    return db.session.get(Unit, unit_id)
