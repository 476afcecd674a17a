"""The canonical layout of each statement: AST → lines of (source line tag, indent, text)."""

from __future__ import annotations

import bisect

from .. import ast
from .literals import quote
from .printer import OR, SUM, citation, expr, literal
from .statements import IMPLICIT_PERSON

BLOCK_KINDS = frozenset({"header", "per_task", "levels", "test"})
QUOTA_WIDTH = 100
_EXPECT_TEXT = {
    "xếp_loại": "xếp loại",
    "xếp_loại_trước_hạn_mức": "xếp loại trước hạn mức",
    "loại_trừ": "loại trừ",
    "không_xếp_loại": "không xếp loại",
}
_SCOPE_TEXT = {"đơn_vị": "đơn vị", "nhóm_nhiệm_vụ": "nhóm nhiệm vụ"}

Lines = list[tuple[float, int, str]]


def _join(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def _title(title: str | None) -> str:
    return quote(title) if title else ""


def statements(ruleset: ast.Ruleset, code_lines: list[int]) -> list[tuple[str, Lines]]:
    """Every statement in source order, as (kind, lines)."""
    items: list[tuple[ast.Span, str, object]] = [(ruleset.header.span, "header", ruleset.header)]
    singles = {
        "param": ruleset.params,
        "input": ruleset.inputs,
        "field": ruleset.fields,
        "criterion": ruleset.criteria,
        "veto": ruleset.vetoes,
        "quota": ruleset.quotas,
        "output": ruleset.outputs,
        "override": ruleset.overrides,
        "test": ruleset.tests,
        "definition": [d for d in ruleset.definitions if not d.per_task],
        "per_task_def": [d for d in ruleset.definitions if d.per_task],
    }
    for kind, nodes in singles.items():
        items.extend((node.span, kind, node) for node in nodes)
    for kind, node in (
        ("score", ruleset.score),
        ("levels", ruleset.levels),
        ("allow_add", ruleset.allow_add),
    ):
        if node is not None:
            items.append((node.span, kind, node))
    items.sort(key=lambda item: (item[0].line, item[0].column))
    out: list[tuple[str, Lines]] = []
    last_end = 0  # last line of the previous per-task definition
    for _, kind, node in items:
        if kind == "per_task_def":
            same_block = (
                out and out[-1][0] == "per_task" and not _code_between(code_lines, last_end, node.span.line)
            )
            last_end = node.span.end_line
            if same_block:
                out[-1][1].append((node.span.line, 2, _definition(node)))
                continue
            head = _previous_code_line(code_lines, node.span.line)
            out.append(("per_task", [(head, 0, "mỗi nhiệm vụ:"), (node.span.line, 2, _definition(node))]))
            continue
        out.append((kind, _PRINTERS[kind](node)))
    return out


def _previous_code_line(code_lines: list[int], line: int) -> int:
    i = bisect.bisect_left(code_lines, line)
    return code_lines[i - 1] if i > 0 else line - 0.5


def _code_between(code_lines: list[int], after: int, before: int) -> bool:
    """Whether a code line lies strictly between `after` and `before` (then the per-task definition at
    `before` starts a new `mỗi nhiệm vụ` block)."""
    i = bisect.bisect_right(code_lines, after)
    return i < len(code_lines) and code_lines[i] < before


def _header(h: ast.Header) -> Lines:
    lines: Lines = [(h.span.line, 0, f"bộ quy tắc {quote(h.code)} phiên bản {h.version}")]
    for key, span in h.item_spans:
        text = None
        if key == "tên":
            text = f"tên {quote(h.title or '')}"
        elif key == "căn cứ":
            for basis in h.bases:
                articles = " điều " + ", ".join(basis.articles) if basis.articles else ""
                lines.append((basis.span.line, 2, f"căn cứ {quote(basis.document)}{articles}"))
        elif key == "hiệu lực" and h.effective_from is not None:
            text = "hiệu lực từ " + literal(ast.DateLit(span, h.effective_from))
            if h.effective_to is not None:
                text += " đến " + literal(ast.DateLit(span, h.effective_to))
        elif key == "kỳ":
            text = f"kỳ {h.period}"
        elif key == "đối tượng":
            text = "đối tượng " + ", ".join(quote(s) for s in h.subjects)
        elif key == "làm tròn":
            text = f"làm tròn {h.rounding.digits} chữ số {h.rounding.mode}"
        elif key == "áp dụng" and h.adopts is not None:
            text = f"áp dụng {quote(h.adopts.code)} phiên bản {h.adopts.version}"
        elif key == "tổng hợp":
            text = f"tổng hợp từ {h.rollup_from}"
        elif key == "thang điểm" and h.score_scale is not None:
            text = f"thang điểm {literal(h.score_scale[0])} đến {literal(h.score_scale[1])}"
        if text is not None:
            lines.append((span.line, 2, text))
    return lines


def _param(p: ast.Param) -> Lines:
    bounds = "khóa" if p.locked else f"cho phép {literal(p.low)} đến {literal(p.high)}"
    return [(p.span.line, 0, _join(f"tham số {p.name} = {literal(p.value)}", bounds, _title(p.title)))]


def _type(t: ast.TypeSpec) -> str:
    if t.kind == "số" and t.low is not None and t.high is not None:
        return f"số từ {literal(t.low)} đến {literal(t.high)}"
    if t.kind == "thang":
        return "thang " + ", ".join(quote(v) for v in t.scale)
    return t.kind


def _decl(keyword: str, d: ast.InputDecl | ast.FieldDecl) -> Lines:
    text = _join(f"{keyword} {d.name}", _title(d.title)) + ": " + _type(d.type)
    if d.default is not None:
        text += f" mặc định {literal(d.default)}"
    return [(d.span.line, 0, text)]


def _definition(d: ast.Definition) -> str:
    return f"{d.name} = {expr(d.expr)}"


def _criterion(c: ast.Criterion) -> Lines:
    when = f"khi {expr(c.when, OR, no_eq=True)}" if c.when is not None else ""
    weight = f"trọng số {expr(c.weight, SUM)}" if c.weight is not None else ""
    head = _join(f"tiêu chí {c.code}", _title(c.title), citation(c.citation), when, weight)
    return [(c.span.line, 0, f"{head} = {expr(c.expr)}")]


def _levels(lv: ast.Levels) -> Lines:
    lines: Lines = [(lv.span.line, 0, _join("xếp loại", citation(lv.citation)) + ":")]
    for level in lv.levels:
        rest = "còn lại" if level.cond is None else f"nếu {expr(level.cond)}"
        lines.append((level.span.line, 2, f"{quote(level.name)} {rest}"))
    return lines


def _veto(v: ast.Veto) -> Lines:
    level = quote(v.level) if v.level is not None else ""
    reason = quote(v.reason) if v.reason is not None else ""
    text = _join(v.kind, level, f"nếu {expr(v.cond)}", citation(v.citation), reason)
    return [(v.span.line, 0, text)]


def _quota(q: ast.Quota) -> Lines:
    base = (
        f"số {quote(q.of_level)}" + (f" {q.of_range}" if q.of_range else "")
        if q.of_level is not None
        else "tổng số"
    )
    head = f"hạn mức {quote(q.level)} không quá {expr(q.limit, SUM)} {base}"
    options = []
    if q.scope:
        options.append("trong cùng " + " và ".join(_SCOPE_TEXT[s] for s in q.scope))
    options.append("hạ điểm thấp trước")
    if q.tie_field != "mã_cán_bộ":
        options.append(f"cùng điểm theo {q.tie_field}")
    options.append(f"làm tròn {q.rounding}")
    rest = _join(", ".join(options), citation(q.citation))
    if len(head) + 1 + len(rest) <= QUOTA_WIDTH:
        return [(q.span.line, 0, f"{head} {rest}")]
    return [(q.span.line, 0, head), (max(q.span.end_line, q.span.line + 0.5), 2, rest)]


def _output(o: ast.Output) -> Lines:
    return [(o.span.line, 0, _join(f"đầu ra {o.name}", _title(o.title)) + f" = {expr(o.expr)}")]


def _override(o: ast.Override) -> Lines:
    return [(o.span.line, 0, f"đặt {o.name} = {literal(o.value)}")]


def _allow_add(a: ast.AllowAddCriteria) -> Lines:
    return [(a.span.line, 0, f"cho phép thêm tiêu chí tối đa {literal(a.max_weight)}")]


def _attrs(attrs: tuple[ast.Attr, ...]) -> str:
    return "(" + ", ".join(f"{a.name} {literal(a.value)}" for a in attrs) + ")"


def _record(r: ast.TestRecord, indent: int) -> tuple[float, int, str]:
    if r.kind == "kỳ":
        return (r.span.line, indent, f"kết quả kỳ {_attrs(r.attrs)}")
    count = f" {r.count} lần" if r.count != 1 else ""
    return (r.span.line, indent, f"nhiệm vụ{count} {_attrs(r.attrs)}")


def _test(t: ast.TestCase) -> Lines:
    body: Lines = [(o.span.line, 2, f"đặt {o.name} = {literal(o.value)}") for o in t.overrides]
    implicit = len(t.persons) == 1 and t.persons[0].code == IMPLICIT_PERSON
    for person in t.persons:
        if implicit:
            body.extend(_record(r, 2) for r in person.records)
            by_line: dict[int, list[ast.Attr]] = {}
            for a in person.attrs:
                by_line.setdefault(a.span.line, []).append(a)
            body.extend((line, 2, f"đầu vào {_attrs(tuple(attrs))}") for line, attrs in by_line.items())
            continue
        head = f"cán bộ {quote(person.code)}" + (f" {_attrs(person.attrs)}" if person.attrs else "")
        body.append((person.span.line, 2, head))
        # the person's records must stay under it: tag them after the person line
        body.extend((max(r.span.line, person.span.line), 4, _record(r, 4)[2]) for r in person.records)
    groups: list[tuple[int, str | None, list[str]]] = []
    for e in t.expectations:
        key = _EXPECT_TEXT.get(e.key, e.key)
        item = f"{key} {literal(e.value)}"
        if groups and groups[-1][0] == e.span.line and groups[-1][1] == e.person:
            groups[-1][2].append(item)
        else:
            groups.append((e.span.line, e.person, [item]))
    for line, person, items in groups:
        who = f"{quote(person)} " if person is not None else ""
        body.append((line, 2, f"mong đợi {who}" + ", ".join(items)))
    body.sort(key=lambda entry: entry[0])
    return [(t.span.line, 0, f"kiểm thử {quote(t.name)}:"), *body]


_PRINTERS = {
    "header": _header,
    "param": _param,
    "input": lambda d: _decl("đầu vào", d),
    "field": lambda d: _decl("trường nhiệm vụ", d),
    "definition": lambda d: [(d.span.line, 0, _definition(d))],
    "criterion": _criterion,
    "score": lambda s: [(s.span.line, 0, f"điểm = {expr(s.expr)}")],
    "levels": _levels,
    "veto": _veto,
    "quota": _quota,
    "output": _output,
    "override": _override,
    "allow_add": _allow_add,
    "test": _test,
}
