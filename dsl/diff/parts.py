"""The comparisons of dsl.diff, one per part of a ruleset (header, parameters, criteria, levels...)."""

from __future__ import annotations

from .. import ast
from .changes import CHANGED, Diff, expr_text, same


def compare_all(d: Diff, old: ast.Ruleset, new: ast.Ruleset) -> None:
    _header(d, old.header, new.header)
    _params(d, old, new)
    _declarations(d, old, new)
    _definitions(d, old, new)
    _criteria(d, old, new)
    _score(d, old, new)
    _levels(d, old, new)
    _vetoes(d, old, new)
    _quotas(d, old, new)
    _outputs(d, old, new)
    old_add, new_add = old.allow_add, new.allow_add
    if not same(old_add, new_add):
        d.attr(
            "đầu tệp",
            "cho phép thêm tiêu chí",
            "Cho phép thêm tiêu chí tối đa",
            old_add.max_weight if old_add else None,
            new_add.max_weight if new_add else None,
        )


def _bases(bases: tuple[ast.LegalBasis, ...]) -> tuple[str, ...]:
    return tuple(f"{b.document}" + (f" điều {', '.join(b.articles)}" if b.articles else "") for b in bases)


def _header(d: Diff, old: ast.Header, new: ast.Header) -> None:
    area = "đầu tệp"
    d.attr(area, "mã", "Mã bộ quy tắc", old.code, new.code)
    d.attr(area, "phiên bản", "Phiên bản", old.version, new.version)
    d.attr(area, "tên", "Tên", old.title, new.title)
    d.attr(area, "căn cứ", "Căn cứ pháp lý", _bases(old.bases), _bases(new.bases))
    d.attr(area, "hiệu lực từ", "Hiệu lực từ", old.effective_from, new.effective_from)
    d.attr(area, "hiệu lực đến", "Hiệu lực đến", old.effective_to, new.effective_to)
    d.attr(area, "kỳ", "Kỳ đánh giá", old.period, new.period)
    d.attr(area, "đối tượng", "Đối tượng", old.subjects, new.subjects)
    d.attr(area, "làm tròn", "Làm tròn", _rounding(old.rounding), _rounding(new.rounding))
    d.attr(area, "áp dụng", "Áp dụng", _adopts(old.adopts), _adopts(new.adopts))
    d.attr(area, "tổng hợp từ", "Tổng hợp từ", old.rollup_from, new.rollup_from)
    d.attr(area, "thang điểm", "Thang điểm", _scale(old.score_scale), _scale(new.score_scale))


def _scale(scale: tuple[ast.Expr, ast.Expr] | None) -> str:
    if scale is None:
        return "0 đến 100 (mặc định)"
    return " đến ".join(getattr(e, "text", "?") for e in scale)


def _rounding(r: ast.Rounding) -> str:
    return f"{r.digits} chữ số {r.mode}"


def _adopts(ref: ast.AdoptRef | None) -> str | None:
    return None if ref is None else f'"{ref.code}" phiên bản {ref.version}'


def _bounds(p: ast.Param) -> str:
    if p.low is None and p.high is None:
        return "(không có)"
    return f"{expr_text(p.low) or '…'} đến {expr_text(p.high) or '…'}"


def _params(d: Diff, old: ast.Ruleset, new: ast.Ruleset) -> None:
    area = "tham số"

    def compare(name: str, a: ast.Param, b: ast.Param) -> None:
        d.attr(area, name, f"Tham số {name}: giá trị", a.value, b.value)
        if not (same(a.low, b.low) and same(a.high, b.high)):
            d.add(
                CHANGED,
                area,
                name,
                f"Tham số {name}: khoảng cho phép {_bounds(a)} → {_bounds(b)}",
                _bounds(a),
                _bounds(b),
            )
        if a.locked != b.locked:
            what = "khóa" if b.locked else "cho phép cấp dưới điều chỉnh"
            d.add(CHANGED, area, name, f"Tham số {name}: nay {what}", a.locked, b.locked)
        d.attr(area, name, f"Tham số {name}: mô tả", a.title, b.title)

    d.keyed(
        area, old.params, new.params, lambda p: p.name, lambda p: f"{p.name} = {expr_text(p.value)}", compare
    )


def _type_text(t: ast.TypeSpec) -> str:
    out = t.kind
    if t.scale:
        out += " " + ", ".join(f'"{s}"' for s in t.scale)
    if t.low is not None or t.high is not None:
        out += f" từ {expr_text(t.low) or '…'} đến {expr_text(t.high) or '…'}"
    return out


def _declarations(d: Diff, old: ast.Ruleset, new: ast.Ruleset) -> None:
    for area, attr in (("đầu vào", "inputs"), ("trường nhiệm vụ", "fields")):

        def compare(name: str, a, b, area=area) -> None:
            if not same(a.type, b.type):
                d.add(
                    CHANGED,
                    area,
                    name,
                    f"{area.capitalize()} {name}: kiểu {_type_text(a.type)} → {_type_text(b.type)}",
                )
            d.attr(area, name, f"{area.capitalize()} {name}: mặc định", a.default, b.default)
            d.attr(area, name, f"{area.capitalize()} {name}: nhãn", a.title, b.title)

        d.keyed(
            area,
            getattr(old, attr),
            getattr(new, attr),
            lambda x: x.name,
            lambda x: f"{x.name}: {_type_text(x.type)}",
            compare,
        )


def _definitions(d: Diff, old: ast.Ruleset, new: ast.Ruleset) -> None:
    area = "giá trị"

    def name_of(x: ast.Definition) -> str:
        return f"{x.name} (mỗi nhiệm vụ)" if x.per_task else x.name

    def compare(name: str, a: ast.Definition, b: ast.Definition) -> None:
        d.attr(area, name, f"Giá trị {name}: công thức", a.expr, b.expr)

    d.keyed(
        area,
        old.definitions,
        new.definitions,
        name_of,
        lambda x: f"{name_of(x)} = {expr_text(x.expr)}",
        compare,
    )


def _criteria(d: Diff, old: ast.Ruleset, new: ast.Ruleset) -> None:
    area = "tiêu chí"

    def compare(code: str, a: ast.Criterion, b: ast.Criterion) -> None:
        d.attr(area, code, f"Tiêu chí {code}: tên", f'"{a.title}"', f'"{b.title}"')
        d.attr(area, code, f"Tiêu chí {code}: công thức", a.expr, b.expr)
        d.attr(area, code, f"Tiêu chí {code}: trọng số", a.weight, b.weight)
        d.attr(area, code, f"Tiêu chí {code}: căn cứ", a.citation, b.citation)
        d.attr(area, code, f"Tiêu chí {code}: áp dụng khi", a.when, b.when)

    def describe(c: ast.Criterion) -> str:
        weight = f" trọng số {expr_text(c.weight)}" if c.weight is not None else ""
        when = f" khi {expr_text(c.when)}" if c.when is not None else ""
        return f'{c.code} "{c.title}"{weight}{when} = {expr_text(c.expr)}'

    d.keyed(area, old.criteria, new.criteria, lambda c: c.code, describe, compare)
    old_order = [c.code for c in old.criteria if c.code in {x.code for x in new.criteria}]
    new_order = [c.code for c in new.criteria if c.code in {x.code for x in old.criteria}]
    if old_order != new_order:
        d.add(CHANGED, area, "thứ tự", f"Thứ tự tiêu chí: {', '.join(old_order)} → {', '.join(new_order)}")


def _score(d: Diff, old: ast.Ruleset, new: ast.Ruleset) -> None:
    a = old.score.expr if old.score else None
    b = new.score.expr if new.score else None
    if not same(a, b):
        shown = lambda e: expr_text(e) if e is not None else "tổng có trọng số của các tiêu chí"  # noqa: E731
        d.add(CHANGED, "điểm", "công thức", f"Công thức điểm: {shown(a)} → {shown(b)}", shown(a), shown(b))


def _level_cond(level: ast.Level) -> str:
    return "còn lại" if level.cond is None else f"nếu {expr_text(level.cond)}"


def _levels(d: Diff, old: ast.Ruleset, new: ast.Ruleset) -> None:
    area = "xếp loại"
    a = old.levels.levels if old.levels else ()
    b = new.levels.levels if new.levels else ()
    d.keyed(
        area,
        a,
        b,
        lambda x: x.name,
        lambda x: f'"{x.name}" {_level_cond(x)}',
        lambda name, x, y: d.attr(area, name, f'Mức "{name}": điều kiện', _level_cond(x), _level_cond(y)),
    )
    common = {x.name for x in a} & {x.name for x in b}
    order_a = [x.name for x in a if x.name in common]
    order_b = [x.name for x in b if x.name in common]
    if order_a != order_b:
        d.add(CHANGED, area, "thứ tự", f"Thứ tự các mức: {' > '.join(order_a)} → {' > '.join(order_b)}")
    if old.levels and new.levels:
        d.attr(area, "căn cứ", "Xếp loại: căn cứ", old.levels.citation, new.levels.citation)


def _veto_text(v: ast.Veto) -> str:
    head = v.kind + (f' "{v.level}"' if v.level else "")
    return f"{head} nếu {expr_text(v.cond)}"


def _vetoes(d: Diff, old: ast.Ruleset, new: ast.Ruleset) -> None:
    area = "loại trừ"

    def compare(name: str, a: ast.Veto, b: ast.Veto) -> None:
        d.attr(area, name, f"{_veto_text(a)}: căn cứ", a.citation, b.citation)
        d.attr(area, name, f"{_veto_text(a)}: lý do", a.reason, b.reason)

    # "Thêm quy định loại trừ …" (the rule's own words start with its kind: not "loại trừ loại trừ")
    d.keyed(area, old.vetoes, new.vetoes, _veto_text, _veto_text, compare, noun="quy định")


def _quota_text(q: ast.Quota) -> str:
    of = f'số "{q.of_level}"' + (f" {q.of_range}" if q.of_range else "") if q.of_level else "tổng số"
    scope = f" trong cùng {' và '.join(s.replace('_', ' ') for s in q.scope)}" if q.scope else ""
    return f'"{q.level}" không quá {expr_text(q.limit)} {of}{scope}, làm tròn {q.rounding}'


def _quotas(d: Diff, old: ast.Ruleset, new: ast.Ruleset) -> None:
    area = "hạn mức"

    def compare(name: str, a: ast.Quota, b: ast.Quota) -> None:
        if not same(
            (a.limit, a.of_level, a.of_range, a.scope, a.tie_field, a.rounding),
            (b.limit, b.of_level, b.of_range, b.scope, b.tie_field, b.rounding),
        ):
            d.add(
                CHANGED,
                area,
                name,
                f"Hạn mức: {_quota_text(a)} → {_quota_text(b)}",
                _quota_text(a),
                _quota_text(b),
            )
        d.attr(area, name, f'Hạn mức "{name}": căn cứ', a.citation, b.citation)

    d.keyed(area, old.quotas, new.quotas, lambda q: q.level, _quota_text, compare)


def _outputs(d: Diff, old: ast.Ruleset, new: ast.Ruleset) -> None:
    area = "đầu ra"

    def compare(name: str, a: ast.Output, b: ast.Output) -> None:
        d.attr(area, name, f"Đầu ra {name}: công thức", a.expr, b.expr)
        d.attr(area, name, f"Đầu ra {name}: nhãn", a.title, b.title)

    d.keyed(
        area, old.outputs, new.outputs, lambda o: o.name, lambda o: f"{o.name} = {expr_text(o.expr)}", compare
    )
