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
