"""One transaction per API request: the request's changes are committed after a successful response
(status < 400) and rolled back otherwise, so a refused or failing request leaves nothing behind (only
the token's `last_used_at` is written). The services only flush."""

from __future__ import annotations

from flask import g, jsonify
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..services.api_tokens import note_use
from . import bp
from .errors import body


@bp.after_request
def _commit_or_rollback(response):
    if response.status_code >= 400:
        used = g.get("api_token_used")
        db.session.rollback()
        if used is not None:  # the refused request still used the token: keep last_used_at
            note_use(*used)
            db.session.commit()
        return response
    try:
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        message = "một thao tác khác đang ghi cùng dữ liệu; không ghi gì, hãy gửi lại yêu cầu"
        return jsonify(body("conflict", message)), 409
    return response


@bp.teardown_request
def _rollback_unfinished(exc) -> None:
    """A request that ended by an exception never reached after_request: nothing of it stays."""
    if exc is not None:
        db.session.rollback()
