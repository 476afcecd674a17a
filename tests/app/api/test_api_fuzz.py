"""Property test: generated parameters and bodies sent to every operation of the OpenAPI document never
get a 500, and every error is the documented JSON. Bounded in examples so that it runs in seconds."""

from __future__ import annotations

import json
from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.api.spec import document

NASTY = ["", "²", "٣", "-1", "9" * 30, "\x00", "\ud800", "=1+1", "0000-01-01", "' OR 1=1 --", "HT02", "HT"]
nasty = st.sampled_from(NASTY)
texts = st.one_of(nasty, nasty, st.text(max_size=40), st.text(st.characters(codec="utf-8"), max_size=8))
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), texts)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=20,
)


def operations() -> list[tuple[str, str, dict]]:
    return [(path, method, op) for path, ops in document()["paths"].items() for method, op in ops.items()
            if isinstance(op, dict) and "responses" in op]  # fmt: skip


def item_for(schema_ref: str):
    """Objects with the documented keys of a batch item, each holding a generated value."""
    doc = document()
    batch = doc["components"]["schemas"][schema_ref.rsplit("/", 1)[1]]
    item = doc["components"]["schemas"][batch["oneOf"][0]["items"]["$ref"].rsplit("/", 1)[1]]
    keys = list(item.get("properties", {}))
    return st.dictionaries(st.sampled_from(keys) | texts, json_values, max_size=len(keys) + 2)


def encoded(text: str) -> str:
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


def body_for(op: dict):
    ref = (
        op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {}).get("$ref")
    )
    if ref is None:
        return st.none()
    items = st.lists(item_for(ref), max_size=4)
    return st.one_of(items, items.map(lambda xs: {"items": xs}), json_values)


OPERATIONS = operations()


def test_no_500_for_any_generated_request(client, world):
    """One database per backend; for each operation, hypothesis draws its parameters, query and body."""
    client.application.config["PROPAGATE_EXCEPTIONS"] = False
    for path, method, op in OPERATIONS:
        fuzz(client, world, path, method, op)


def fuzz(client, world, path: str, method: str, op: dict) -> None:
    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(data=st.data(), who=st.sampled_from(["HT", "DS", None]))
    def check(data, who):
        names = [p.strip("{}") for p in path.split("/") if p.startswith("{")]
        query_names = [
            q.get("name") for q in op.get("parameters", []) if isinstance(q, dict) and q.get("in") == "query"
        ]
        query_names += ["limit", "offset", "unit", "dry_run", "x"]
        url = "/api/v1" + path
        for name in names:
            url = url.replace("{" + name + "}", encoded(data.draw(texts)) or "x")
        query = data.draw(
            st.fixed_dictionaries({}, optional={n: st.one_of(nasty, texts) for n in query_names})
        )
        if query:
            url += "?" + "&".join(f"{encoded(k)}={encoded(v)}" for k, v in query.items())
        kwargs = {"headers": world[who] if who else {}}
        if method == "post":
            body = data.draw(body_for(op))
            try:
                kwargs["data"] = json.dumps(body, ensure_ascii=False).encode("utf-8", "surrogatepass")
            except ValueError:  # an int past 4,300 digits cannot even be sent
                return
            kwargs["content_type"] = "application/json"
        response = getattr(client, method)(url, **kwargs)
        assert response.status_code < 500, (
            method,
            url,
            kwargs.get("data", b"")[:300],
            response.get_data()[:300],
        )
        if response.status_code >= 400:
            assert set(response.get_json()["error"]) == {"code", "message", "details"}

    check()
