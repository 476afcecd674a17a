"""Hand-built AST helpers and datasets for the engine tests (independent of the parser)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from dsl import ast
from dsl.records import Dataset, PersonRecord

S = ast.NO_SPAN
XS = "Hoàn thành xuất sắc nhiệm vụ"
TOT = "Hoàn thành tốt nhiệm vụ"
HT = "Hoàn thành nhiệm vụ"
KHT = "Không hoàn thành nhiệm vụ"


def num(x) -> ast.Num:
    return ast.Num(S, Fraction(str(x)), str(x))


def pct(x) -> ast.Num:
    return ast.Num(S, Fraction(str(x)) / 100, f"{x}%", True)


def txt(x: str) -> ast.Text:
    return ast.Text(S, x)


def name(n: str) -> ast.Name:
    return ast.Name(S, n)


def lit(x) -> ast.Expr:
    if isinstance(x, ast.Expr):
        return x
    if isinstance(x, bool):
        return ast.Bool(S, x)
    if isinstance(x, str):
        return txt(x)
    return num(x)


def bin_(op, left, right) -> ast.Binary:
    return ast.Binary(S, op, lit(left) if not isinstance(left, str) else name(left), _e(right))


def _e(x):
    return name(x) if isinstance(x, str) else lit(x)


def cmp(left, op, right, *more) -> ast.Compare:
    ops = [op]
    operands = [_e(left), _e(right)]
    for i in range(0, len(more), 2):
        ops.append(more[i])
        operands.append(_e(more[i + 1]))
    return ast.Compare(S, tuple(ops), tuple(operands))


def call(func, *args, scope=None, where=None, empty=None) -> ast.Call:
    return ast.Call(
        S, func, tuple(_e(a) for a in args), S, scope, where, lit(empty) if empty is not None else None
    )


def if_(c, t, o) -> ast.If:
    return ast.If(S, c, _e(t), _e(o))


def add(a, b):
    return ast.Binary(S, "+", _e(a), _e(b))


def sub(a, b):
    return ast.Binary(S, "-", _e(a), _e(b))


def mul(a, b):
    return ast.Binary(S, "*", _e(a), _e(b))


def define(n, expr, per_task=False) -> ast.Definition:
    return ast.Definition(n, expr, S, per_task)


def cite(article=None, clause=None, point=None, document=None) -> ast.Citation:
    return ast.Citation(document, article, clause, point)


def levels(*pairs) -> ast.Levels:
    return ast.Levels(tuple(ast.Level(n, c, S) for n, c in pairs), S, cite("20"))


def standard_levels() -> ast.Levels:
    return levels(
        (XS, cmp("điểm", ">=", 90)),
        (TOT, cmp("điểm", ">=", 70)),
        (HT, cmp("điểm", ">=", 50)),
        (KHT, None),
    )


def header(code="T", **kw) -> ast.Header:
    bases = (ast.LegalBasis("Nghị định 335/2025/NĐ-CP", ("12", "14", "15", "16", "20"), S),)
    return ast.Header(code, 1, S, title="Thử", bases=bases, period=kw.pop("period", "tháng"), **kw)


def national(**changes) -> ast.Ruleset:
    """The national ruleset of ND 335 (non-leaders and leaders), built by hand."""
    deduction = name("mức_trừ")
    task_defs = (
        define("giao", mul("khối_lượng_giao", "hệ_số_quy_đổi"), True),
        define("đạt", mul("khối_lượng_hoàn_thành", "hệ_số_quy_đổi"), True),
        define(
            "đạt_chất_lượng",
            if_(
                name("miễn_trừ"),
                "đạt",
                mul("đạt", call("lớn_nhất", 0, sub(1, mul(deduction, "số_lần_sai_sót_lớn")))),
            ),
            True,
        ),
        define(
            "đạt_tiến_độ",
            if_(
                name("miễn_trừ"),
                "đạt",
                mul("đạt", call("lớn_nhất", 0, sub(1, mul(deduction, "số_lần_chậm")))),
            ),
            True,
        ),
    )
    leader = name("lãnh_đạo")
    criteria = (
        ast.Criterion(
            "a",
            "Số lượng",
            call("tỷ_lệ", call("tổng", "đạt"), call("tổng", "giao"), 100),
            S,
            cite("14", "2", "a"),
        ),
        ast.Criterion(
            "b",
            "Chất lượng",
            call("tỷ_lệ", call("tổng", "đạt_chất_lượng"), call("tổng", "giao"), 100),
            S,
            cite("14", "2", "b"),
        ),
        ast.Criterion(
            "c",
            "Tiến độ",
            call("tỷ_lệ", call("tổng", "đạt_tiến_độ"), call("tổng", "giao"), 100),
            S,
            cite("14", "2", "c"),
        ),
        ast.Criterion(
            "d",
            "Kết quả của đơn vị",
            if_(cmp(call("đếm", scope="cấp_dưới", where=cmp("xếp_loại", "=", txt(KHT))), "=", 0), 100, 50),
            S,
            cite("15", None, "d"),
            when=leader,
        ),
        ast.Criterion(
            "đ", "Khả năng tổ chức", name("điểm_khả_năng_tổ_chức"), S, cite("15", None, "đ"), when=leader
        ),
        ast.Criterion(
            "e", "Năng lực tập hợp", name("điểm_năng_lực_tập_hợp"), S, cite("15", None, "e"), when=leader
        ),
    )
    score = ast.Score(
        add("điểm_tiêu_chí_chung", mul(call("trung_bình", "a", "b", "c", "d", "đ", "e"), name("tỷ_trọng"))), S
    )
    hundred = ast.TypeSpec("số", num(0), num(100))
    rs = ast.Ruleset(
        header=header("ND335"),
        params=(
            ast.Param("mức_trừ", pct(25), S, pct(0), pct(50), False),
            ast.Param("tỷ_trọng", pct(70), S),
            ast.Param("tỷ_lệ_xuất_sắc", pct(20), S, pct(0), pct(40), False),
        ),
        inputs=(
            ast.InputDecl("điểm_khả_năng_tổ_chức", hundred, S, "Điểm khả năng tổ chức", num(100)),
            ast.InputDecl("điểm_năng_lực_tập_hợp", hundred, S, "Điểm năng lực tập hợp", num(100)),
        ),
        definitions=task_defs,
        criteria=criteria,
        score=score,
        levels=standard_levels(),
        vetoes=(
            ast.Veto(
                "loại trừ",
                KHT,
                cmp("kỷ_luật", ">=", txt("khiển trách")),
                S,
                cite("20", "4"),
                "Bị kỷ luật từ khiển trách trở lên",
            ),
        ),
        quotas=(ast.Quota(XS, name("tỷ_lệ_xuất_sắc"), TOT, S, ("đơn_vị", "nhóm_nhiệm_vụ")),),
        outputs=(
            ast.Output(
                "hệ_số_thu_nhập",
                if_(
                    cmp("xếp_loại", "=", txt(XS)),
                    num("0.5"),
                    if_(cmp("xếp_loại", "=", txt(TOT)), num("0.3"), 0),
                ),
                S,
                "Hệ số thu nhập tăng thêm",
            ),
        ),
    )
    return _replace(rs, **changes)


def _replace(rs, **changes):
    from dataclasses import replace

    return replace(rs, **changes) if changes else rs


def dataset(people: list[PersonRecord], tasks: list[dict], inputs=None, periods=None) -> Dataset:
    """tasks: dicts with "person" (code) and field values (numbers as Fraction/str, text, bool)."""
    index = {p.code: i for i, p in enumerate(people)}
    owner = np.array([index[t["person"]] for t in tasks], dtype=np.int64)
    keys = sorted({k for t in tasks for k in t if k != "person"})
    cols = {k: np.array([t.get(k) for t in tasks], dtype=object) for k in keys}
    data = Dataset(people=people, task_person=owner, task_columns=cols, inputs=inputs or {})
    if periods:
        data.period_person = np.array([index[p["person"]] for p in periods], dtype=np.int64)
        pkeys = sorted({k for p in periods for k in p if k != "person"})
        data.period_columns = {k: np.array([p.get(k) for p in periods], dtype=object) for k in pkeys}
    return data


def done(person, n=1, **fields) -> list[dict]:
    base = {"person": person, "trạng_thái": "Hoàn thành", "khối_lượng_giao": 1}
    base.update(fields)
    return [dict(base) for _ in range(n)]
