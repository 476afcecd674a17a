"""The OpenAPI 3.1 document (openapi.yaml beside this module), served as JSON and as YAML."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from flask import Response, jsonify

from . import bp

SPEC_PATH = Path(__file__).with_name("openapi.yaml")


@lru_cache(maxsize=1)
def document() -> dict:
    return yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))


@bp.get("/openapi.json")
def openapi_json():
    return jsonify(document())


@bp.get("/openapi.yaml")
def openapi_yaml():
    return Response(SPEC_PATH.read_text(encoding="utf-8"), mimetype="application/yaml")


@bp.get("/templates/<kind>.xlsx")
def template(kind: str):
    """The XLSX import template of `kind` (units, people, tasks, inputs) with the catalog's fields."""
    from ..services.templates import FILE_NAMES, catalog_fields, template_bytes
    from .errors import ApiError

    if kind not in FILE_NAMES:
        raise ApiError(404, "not_found", f'không có mẫu "{kind}"; chọn: ' + ", ".join(FILE_NAMES))
    data = template_bytes(kind, catalog_fields(kind))
    mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    headers = {"Content-Disposition": f"attachment; filename={FILE_NAMES[kind]}"}
    return Response(data, mimetype=mimetype, headers=headers)
