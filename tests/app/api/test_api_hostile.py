"""Hostile requests: each gets the documented JSON error (400, 404, 405, 413), never a 500; bodies are
bounded while they are read, chunked or not."""

from __future__ import annotations

import json

import pytest

from app.api.guard import MAX_BODY
from app.models import Task

TASK = {"Mã nhiệm vụ": "GV-1", "Mã cán bộ": "HT02", "Kỳ": "2026-01", "Trạng thái": "Hoàn thành"}


def post_json(client, url, text, headers):
    return client.post(url, data=text, content_type="application/json", headers=headers)


@pytest.fixture
def published_version(session, world):
    from app.services.loader import load_shipped

    load_shipped()


@pytest.mark.parametrize(
    "url, path",
    [
        ("/api/v1/people?limit=²", "/people"),  # "²".isdigit() is True, int("²") fails
        ("/api/v1/people?offset=-1", "/people"),
        ("/api/v1/rulesets/ND335-2025/versions/9223372036854775808", "/rulesets/{code}/versions/{number}"),
        ("/api/v1/resolve?person=HT02&date=0000-01-01", "/resolve"),  # year 0
        ("/api/v1/people/HT%00", "/people/{code}"),  # NUL (PostgreSQL refuses it in a query)
        ("/api/v1/people/%ED%A0%80", "/people/{code}"),  # a lone surrogate, UTF-8-encoded
        ("/api/v1/units?x=%00", "/units"),
    ],
)
def test_bad_parameters_are_400(client, world, validate_response, url, path):
    response = client.get(url, headers=world["HT"])
    assert response.status_code == 400, response.get_data(as_text=True)
    assert validate_response(response, path)["error"]["code"] == "invalid_parameter"


@pytest.mark.parametrize(
    "text, code",
    [
        ("[" * 100_000 + "]" * 100_000, "invalid_json"),  # deep nesting: RecursionError in the parser
        ('[{"Mã nhiệm vụ": "\\ud800", "Mã cán bộ": "HT02", "Trạng thái": "Hoàn thành"}]', "invalid_text"),
        ("[" + "9" * 5000 + "]", "invalid_json"),  # past Python's 4,300-digit int conversion limit
        ('[{"a": 1', "invalid_json"),
        (b"\xff\xfe[]", "invalid_json"),
    ],
    ids=["deep", "surrogate", "long-int", "truncated", "not-utf8"],
)
def test_bad_bodies_are_400(client, session, world, validate_response, text, code):
    response = post_json(client, "/api/v1/tasks", text, world["HT"])
    assert response.status_code == 400
    assert validate_response(response, "/tasks", "post")["error"]["code"] == code
    assert session.query(Task).count() == 0


@pytest.mark.parametrize(
    "field, value",
    [("Ngày giao", "01/01/0000"), ("Kỳ", "0000-01"), ("Tên nhiệm vụ", "a\x00b"), ("Mã nhiệm vụ", "a\x00b"),
     ("Mã nhiệm vụ", "X" * 129), ("Tên nhiệm vụ", "t" * 1001), ("Mã nhiệm vụ", "=1+1")],
)  # fmt: skip
def test_bad_values_are_row_errors_on_both_databases(client, session, world, validate_response, field, value):
    response = post_json(client, "/api/v1/tasks", json.dumps([{**TASK, field: value}]), world["HT"])
    body = validate_response(response, "/tasks", "post")
    assert response.status_code == 400 and body["error"]["code"] == "invalid_rows"
    assert [(d["row"], d["column"]) for d in body["error"]["details"]] == [(1, field)]
    assert session.query(Task).count() == 0


def test_unrouted_addresses_under_the_api_are_json(client, world):
    for method, url, status in [("get", "/api/v1/khong-co", 404), ("delete", "/api/v1/tasks", 405),
                                ("put", "/api/v1/people", 405), ("get", "/api/v1", 404)]:  # fmt: skip
        response = getattr(client, method)(url, headers=world["HT"])
        assert response.status_code == status and response.is_json
        assert set(response.get_json()["error"]) == {"code", "message", "details"}
    assert not client.get("/khong-co").is_json  # outside the API: the application's own page


class Endless:
    """A request body that never ends (a chunked upload without Content-Length); counts what is read."""

    def __init__(self):
        self.read_bytes = 0

    def read(self, size=-1):
        size = 65536 if size is None or size < 0 else size
        self.read_bytes += size
        return b" " * size

    def readline(self, size=-1):
        return self.read(size)


def send(app, body, headers: dict, **environ) -> tuple[str, dict]:
    """POST /api/v1/tasks with `body` as the raw WSGI input (no test-client length bookkeeping)."""
    from werkzeug.test import EnvironBuilder, run_wsgi_app

    built = EnvironBuilder(path="/api/v1/tasks", method="POST", headers=headers).get_environ()
    built.pop("CONTENT_LENGTH", None)
    built.update({"wsgi.input": body, "CONTENT_TYPE": "application/json", **environ})
    chunks, status, _ = run_wsgi_app(app, built, buffered=True)
    return status, json.loads(b"".join(chunks))


def test_chunked_body_is_cut_while_reading(app, world):
    body = Endless()
    status, data = send(
        app, body, {**world["HT"], "Transfer-Encoding": "chunked"}, **{"wsgi.input_terminated": True}
    )
    assert status.startswith("413") and data["error"]["code"] == "too_large"
    assert body.read_bytes <= MAX_BODY + 1024 * 1024  # stopped at the limit, not at the end


def test_declared_length_over_the_limit_is_refused_before_reading(app, world):
    body = Endless()
    status, data = send(app, body, world["HT"], CONTENT_LENGTH=str(10 * MAX_BODY))
    assert status.startswith("413") and body.read_bytes == 0


def test_too_many_items_is_413(client, world):
    response = post_json(client, "/api/v1/tasks", json.dumps([{}] * 10_001), world["HT"])
    assert response.status_code == 413 and response.get_json()["error"]["code"] == "too_many_rows"


def test_millions_of_objects_stop_the_parser_early(client, world):
    import tracemalloc

    text = "[" + ",".join(["{}"] * 3_000_000) + "]"  # 9 MB: under the body limit
    tracemalloc.start()
    response = post_json(client, "/api/v1/tasks", text, world["HT"])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert response.status_code == 413 and response.get_json()["error"]["code"] == "too_many_rows"
    assert peak < 100 * 1024 * 1024  # 3 million dicts would take several hundred MB
