"""What every API request passes before anything reads it: the body limit, enforced by Werkzeug while
the body is read (a chunked body without Content-Length too), and addresses and query parameters free
of characters no code, date or number can hold (NUL, other control characters, lone surrogates)."""

from __future__ import annotations

import re
import unicodedata

from flask import request

from . import bp
from .errors import ApiError

MAX_BODY = 16 * 1024 * 1024  # bytes: 10,000 rows of a few hundred bytes each fit with room to spare
_BAD_TEXT = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff\ufffd]")


def too_large() -> ApiError:
    return ApiError(413, "too_large", f"nội dung yêu cầu quá lớn (tối đa {MAX_BODY // (1024 * 1024)} MB)")


def read_body() -> bytes:
    """The request body, read at most to MAX_BODY + 1 bytes (413 when it is longer than MAX_BODY)."""
    raw = request.get_data(cache=False)
    if len(raw) > MAX_BODY:
        raise too_large()
    return raw


def bad_char(text: str) -> str | None:
    """The first control character, lone surrogate or U+FFFD (undecodable bytes) of `text`, named as
    the identifier check names it ("U+0000 (NULL)"), or None."""
    found = _BAD_TEXT.search(text)
    if found is None:
        return None
    char = found.group()
    return f"U+{ord(char):04X} ({unicodedata.name(char, 'không tên')})"


@bp.before_request
def _guard():
    # one byte more than allowed: Werkzeug's reader stops quietly AT its limit, so a body that reaches
    # MAX_BODY + 1 bytes is known to be too large (writes.read_body), and nothing past it is ever read
    request.max_content_length = MAX_BODY + 1
    if char := bad_char(request.path):
        raise ApiError(400, "invalid_parameter", f"địa chỉ chứa ký tự điều khiển hoặc không hợp lệ {char}")
    for name, value in request.args.items(multi=True):
        if char := bad_char(name + value):
            raise ApiError(
                400, "invalid_parameter", f"tham số chứa ký tự điều khiển hoặc không hợp lệ {char}"
            )
