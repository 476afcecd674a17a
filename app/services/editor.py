"""What the ruleset editor asks while someone types (no HTTP): the diagnostics of `gate.validate` with
their positions, completion words (keywords, functions, fields, parameters, criteria, definitions) with
their diacritic-free key (`dsl.text.fold`), the canonical layout (`dsl.formatter`), the embedded tests."""

from __future__ import annotations

from dsl.fields import PERSON_FIELDS, STANDARD_INPUTS, TASK_FIELDS
from dsl.syntax.keywords import FUNCTIONS, KEYWORDS
from dsl.text import fold

from . import catalog
from .gate import validate

MAX_EDITOR_SOURCE = 1_000_000  # characters; the parser has its own limit too


def check(source: str, owner_unit=None, filename: str = "<soạn thảo>") -> dict:
    """Diagnostics for the editor: line/column ranges (1-based), severity, code, Vietnamese message."""
    result = validate(source, filename=filename, owner_unit=owner_unit)
    return {
        "ok": result.ok,
        "diagnostics": [d.to_json() for d in result.diagnostics],
        "result": result,
    }


def _item(label: str, kind: str, detail: str = "") -> dict:
    return {"label": label, "fold": fold(label).replace("_", " "), "type": kind, "detail": detail}


def completions(source: str, owner_unit=None, result=None) -> list[dict]:
    """Every word the editor may offer at this point of the source (the client filters by prefix).
    `result`: the gate's result for `source` when the caller has it already (one check per keystroke)."""
    items = [_item(k, "keyword") for k in KEYWORDS]
    items += [_item(f, "function", "hàm") for f in FUNCTIONS]
    for spec in (*TASK_FIELDS, *catalog.task_field_specs()):
        items.append(_item(spec.name, "variable", f"trường nhiệm vụ: {spec.label}"))
    for spec in (*PERSON_FIELDS,):
        items.append(_item(spec.name, "variable", f"thông tin cán bộ: {spec.label}"))
    for spec in (*STANDARD_INPUTS, *catalog.input_specs()):
        items.append(_item(spec.name, "variable", f"đầu vào: {spec.label}"))
    parsed = (
        validate(source, filename="<soạn thảo>", owner_unit=owner_unit).ruleset if source.strip() else None
    )
    if parsed is not None:
        for p in parsed.params:
            items.append(_item(p.name, "constant", "tham số" + (f": {p.title}" if p.title else "")))
        for i in parsed.inputs:
            items.append(_item(i.name, "variable", "đầu vào" + (f": {i.title}" if i.title else "")))
        for f in parsed.fields:
            items.append(_item(f.name, "variable", "trường nhiệm vụ" + (f": {f.title}" if f.title else "")))
        for d in parsed.definitions:
            items.append(_item(d.name, "variable", "giá trị"))
        for c in parsed.criteria:
            items.append(_item(c.code, "property", f"tiêu chí: {c.title}"))
    seen, out = set(), []
    for item in items:
        if item["label"] not in seen:
            seen.add(item["label"])
            out.append(item)
    return out


def format_text(source: str) -> tuple[str | None, list[dict]]:
    """The canonical layout of `source`, or None with the syntax errors that prevent it."""
    from dsl.formatter import format_source

    formatted, diags = format_source(source, "<soạn thảo>")
    return formatted, [d.to_json() for d in diags if d.is_error]


def run_tests(source: str, owner_unit=None) -> dict:
    """The embedded tests (`kiểm thử`) of a draft that passes the gate; else its errors."""
    from dsl.testing import run_tests as run

    result = validate(source, filename="<soạn thảo>", owner_unit=owner_unit)
    if not result.ok or result.ruleset is None:
        return {
            "ok": False,
            "diagnostics": [d.to_json() for d in result.diagnostics if d.is_error],
            "tests": [],
        }
    outcomes = run(result.ruleset, result.sha256)
    tests = [
        {"name": o.name, "line": o.span.line, "passed": o.passed, "failures": list(o.failures)}
        for o in outcomes
    ]
    return {"ok": all(t["passed"] for t in tests), "diagnostics": [], "tests": tests}
