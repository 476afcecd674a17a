"""Statements in source order → one `ast.Ruleset` (header first, then each kind in its own tuple)."""

from __future__ import annotations

from .. import ast
from ..diagnostics import Diagnostic, error

_TUPLES = {
    ast.Param: "params",
    ast.InputDecl: "inputs",
    ast.FieldDecl: "fields",
    ast.Definition: "definitions",
    ast.Criterion: "criteria",
    ast.Veto: "vetoes",
    ast.Quota: "quotas",
    ast.Output: "outputs",
    ast.Override: "overrides",
    ast.TestCase: "tests",
}
_SINGLE = {
    ast.Score: ("score", "điểm ="),
    ast.Levels: ("levels", "xếp loại"),
    ast.AllowAddCriteria: (
        "allow_add",
        "cho phép thêm tiêu chí",
    ),
}


def assemble(statements: list, source: str, filename: str) -> tuple[ast.Ruleset | None, list[Diagnostic]]:
    diags: list[Diagnostic] = []
    headers = [s for s in statements if isinstance(s, ast.Header)]
    if not headers:
        span = statements[0].span if statements else ast.Span(1, 1, 1, 1)
        msg = "thiếu phần đầu: tệp phải bắt đầu bằng 'bộ quy tắc \"MÃ\" phiên bản N'"
        return None, [error("E0904", span, msg, filename)]
    header = headers[0]
    if statements[0] is not header:
        msg = "phần đầu 'bộ quy tắc' phải là câu lệnh đầu tiên của tệp"
        diags.append(error("E0904", header.span, msg, filename))
    for extra in headers[1:]:
        diags.append(error("E0904", extra.span, "tệp chỉ được có một phần đầu 'bộ quy tắc'", filename))
    lists: dict[str, list] = {name: [] for name in _TUPLES.values()}
    singles: dict[str, object] = {}
    for stmt in statements:
        kind = type(stmt)
        if kind in _TUPLES:
            lists[_TUPLES[kind]].append(stmt)
        elif kind in _SINGLE:
            field, words = _SINGLE[kind]
            if field in singles:
                msg = f"câu lệnh '{words}' chỉ được viết một lần"
                diags.append(error("E0105", stmt.span, msg, filename))
                continue
            singles[field] = stmt
    ruleset = ast.Ruleset(
        header=header,
        filename=filename,
        source=source,
        **{name: tuple(items) for name, items in lists.items()},
        **singles,
    )
    return ruleset, diags
