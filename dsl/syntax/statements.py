"""Transformer rules for statements: header, declarations, criteria, levels, vetoes, quotas, tests."""

from __future__ import annotations

from lark import Token
from lark.visitors import Transformer_NonRecursive, v_args

from .. import ast
from . import literals
from .exprs import meta_span, tok_span

_PERIODS = {"THANG": "tháng", "QUY": "quý", "NAM": "năm"}
_ROUND_MODES = {"NUA_LEN": "nửa lên", "LEN": "lên", "XUONG": "xuống", "GAN_NHAT": "gần nhất"}
_VETO_KINDS = {"LOAI_TRU": "loại trừ", "TOI_DA": "tối đa", "KHONG_XEP_LOAI": "không xếp loại"}
_TYPE_KINDS = {"t_text": "văn bản", "t_bool": "đúng sai", "t_date": "ngày"}
_EXPECT_KEYS = {
    "DIEM": "điểm",
    "XEP_LOAI": "xếp_loại",
    "XEP_LOAI_TRUOC": "xếp_loại_trước_hạn_mức",
    "LOAI_TRU": "loại_trừ",
    "KHONG_XEP_LOAI": "không_xếp_loại",
}
IMPLICIT_PERSON = "CB1"


def _tokens(children, kind: str) -> list[Token]:
    return [c for c in children if isinstance(c, Token) and c.type == kind]


def _after(children, kind: str):
    """The child right after the first token of type `kind`, or None."""
    for i, c in enumerate(children):
        if isinstance(c, Token) and c.type == kind:
            return children[i + 1] if i + 1 < len(children) else None
    return None


def _first(children, cls):
    return next((c for c in children if isinstance(c, cls)), None)


def _int(self, tok: Token) -> int:
    text = str(tok)
    if not text.isdigit():
        shown = text if len(text) <= 40 else text[:40] + "…"
        self.error("E0003", tok_span(tok), f"mong đợi một số nguyên, gặp '{shown}'")
        return 0
    try:
        literals.check_digits(text)
    except literals.TooLong as exc:
        self.error(exc.code, tok_span(tok), exc.args[0])
        return 0
    return int(text)


@v_args(meta=True)
class StatementRules(Transformer_NonRecursive):
    """Mixin for the Transformer: statement rules."""

    # ---- header
    def header(self, meta, children):
        code_tok = _tokens(children, "TEXT")[0]
        version = _int(self, _tokens(children, "NUMBER")[0])
        fields: dict = {}
        spans: list[tuple[str, ast.Span]] = []
        bases: list[ast.LegalBasis] = []
        subjects: list[str] = []
        for item in children:
            if not isinstance(item, tuple):
                continue
            key, span, value = item
            seen = any(k == key for k, _ in spans)
            if seen and key not in ("căn cứ", "đối tượng"):
                self.error("E0904", span, f"mục '{key}' của phần đầu bị lặp lại")
                continue
            if not seen:  # repeatable items keep the span of their first line
                spans.append((key, span))
            if key == "căn cứ":
                bases.append(value)
            elif key == "đối tượng":
                subjects.extend(value)
            else:
                fields.update(value)
        return ast.Header(
            code=literals.text(str(code_tok)),
            version=version,
            span=meta_span(meta),
            bases=tuple(bases),
            subjects=tuple(subjects),
            item_spans=tuple(spans),
            **fields,
        )

    def h_title(self, meta, children):
        return ("tên", meta_span(meta), {"title": literals.text(str(children[1]))})

    def h_basis(self, meta, children):
        doc = literals.text(str(children[1]))
        articles = tuple(c for c in children[2:] if isinstance(c, str) and not isinstance(c, Token))
        span = meta_span(meta)
        return ("căn cứ", span, ast.LegalBasis(doc, articles, span))

    def h_effective(self, meta, children):
        dates = [self.date(None, [t]).value for t in _tokens(children, "DATE")]
        value = {"effective_from": dates[0], "effective_to": dates[1] if len(dates) > 1 else None}
        return ("hiệu lực", meta_span(meta), value)

    def h_period(self, meta, children):
        return ("kỳ", meta_span(meta), {"period": children[1]})

    def h_subjects(self, meta, children):
        return ("đối tượng", meta_span(meta), [literals.text(str(t)) for t in _tokens(children, "TEXT")])

    def h_rounding(self, meta, children):
        digits = _int(self, children[1])
        if digits > literals.MAX_ROUNDING_DIGITS:
            limit = literals.MAX_ROUNDING_DIGITS
            self.error(
                "E0004",
                tok_span(children[1]),
                f"làm tròn tối đa {limit} chữ số thập phân, không phải {digits}",
            )
            digits = 2
        mode = children[3] if len(children) > 3 else "nửa lên"
        span = meta_span(meta)
        return ("làm tròn", span, {"rounding": ast.Rounding(digits, mode, span)})

    def h_score_scale(self, meta, children):
        low, high = (c for c in children if isinstance(c, ast.Expr))
        return ("thang điểm", meta_span(meta), {"score_scale": (low, high)})

    def h_adopt(self, meta, children):
        span = meta_span(meta)
        ref = ast.AdoptRef(literals.text(str(children[1])), _int(self, children[3]), span)
        return ("áp dụng", span, {"adopts": ref})

    def h_rollup(self, meta, children):
        return ("tổng hợp", meta_span(meta), {"rollup_from": children[2]})

    def period(self, meta, children):
        return _PERIODS[children[0].type]

    def round_mode(self, meta, children):
        return _ROUND_MODES[children[0].type]

    quota_round = round_mode

    def article(self, meta, children):
        return str(children[0])

    # ---- declarations
    def param(self, meta, children):
        low = high = None
        literals_ = [c for c in children if isinstance(c, ast.Expr)]
        value = literals_[0]
        allow = bool(_tokens(children, "CHO_PHEP"))
        if allow:
            low, high = literals_[1], literals_[2]
        title_toks = _tokens(children, "TEXT")
        title = literals.text(str(title_toks[-1])) if title_toks else None
        return ast.Param(str(children[1]), value, meta_span(meta), low, high, not allow, title)

    def _decl(self, meta, children, cls):
        title_toks = _tokens(children, "TEXT")
        title = literals.text(str(title_toks[0])) if title_toks else None
        type_spec = _first(children, ast.TypeSpec)
        default = _after(children, "MAC_DINH")
        return cls(str(children[1]), type_spec, meta_span(meta), title, default)

    def input_decl(self, meta, children):
        return self._decl(meta, children, ast.InputDecl)

    def field_decl(self, meta, children):
        return self._decl(meta, children, ast.FieldDecl)

    def t_number(self, meta, children):
        low, high = _after(children, "TU"), _after(children, "DEN")
        return ast.TypeSpec("số", low, high, (), meta_span(meta))

    def t_scale(self, meta, children):
        scale = tuple(literals.text(str(t)) for t in _tokens(children, "TEXT"))
        return ast.TypeSpec("thang", None, None, scale, meta_span(meta))

    def __default__(self, data, children, meta):
        if data in _TYPE_KINDS:
            return ast.TypeSpec(_TYPE_KINDS[data], span=meta_span(meta))
        raise AssertionError(f"no transformer rule for {data}")  # pragma: no cover - grammar bug

    # ---- definitions, criteria, score
    def definition(self, meta, children):
        return ast.Definition(str(children[0]), children[2], meta_span(meta), per_task=False)

    def task_definition(self, meta, children):
        return ast.Definition(str(children[0]), children[2], meta_span(meta), per_task=True)

    def per_task(self, meta, children):
        return [d for d in children if isinstance(d, ast.Definition)]

    def criterion(self, meta, children):
        title_toks = _tokens(children, "TEXT")
        return ast.Criterion(
            code=str(children[1]),
            title=literals.text(str(title_toks[0])) if title_toks else "",
            expr=children[-1],
            span=meta_span(meta),
            citation=_first(children, ast.Citation),
            when=_after(children, "KHI"),
            weight=_after(children, "TRONG_SO"),
        )

    def score(self, meta, children):
        return ast.Score(children[2], meta_span(meta))

    def citation(self, meta, children):
        doc_toks = _tokens(children, "TEXT")
        return ast.Citation(
            document=literals.text(str(doc_toks[0])) if doc_toks else None,
            article=_after(children, "DIEU"),
            clause=_after(children, "KHOAN"),
            point=_after(children, "DIEM"),
            span=meta_span(meta),
        )

    # ---- levels, vetoes, quotas
    def level_if(self, meta, children):
        return ast.Level(literals.text(str(children[0])), children[2], meta_span(meta))

    def level_else(self, meta, children):
        return ast.Level(literals.text(str(children[0])), None, meta_span(meta))

    def levels(self, meta, children):
        levels = tuple(c for c in children if isinstance(c, ast.Level))
        return ast.Levels(levels, meta_span(meta), _first(children, ast.Citation))

    def veto(self, meta, children):
        kind = _VETO_KINDS[children[0].type]
        texts = [c for c in children if isinstance(c, Token) and c.type == "TEXT"]
        level = literals.text(str(texts.pop(0))) if kind != "không xếp loại" else None
        reason = literals.text(str(texts[0])) if texts else None
        cond = _after(children, "NEU")
        return ast.Veto(kind, level, cond, meta_span(meta), _first(children, ast.Citation), reason)

    def quota_base(self, meta, children):
        if len(children) == 1:  # tổng số
            return ("base", None, "")
        return ("base", literals.text(str(children[1])), children[2] if len(children) > 2 else "")

    def quota_range(self, meta, children):
        return "trở lên" if children[0].type == "TRO_LEN" else "trở xuống"

    def quota_scope(self, meta, children):
        return "đơn_vị" if children[0].type == "DON_VI" else "nhóm_nhiệm_vụ"

    def q_scope(self, meta, children):
        return ("scope", children[1], True, meta_span(meta))

    def q_scope_more(self, meta, children):
        return ("scope", children[-1], False, meta_span(meta))

    def q_order(self, meta, children):
        return ("order",)

    def q_tie(self, meta, children):
        return ("tie", str(children[1]))

    def q_round(self, meta, children):
        return ("round", children[1])

    def q_citation(self, meta, children):
        return ("cite", children[0])

    def quota(self, meta, children):
        level = literals.text(str(_tokens(children, "TEXT")[0]))
        limit = _after(children, "KHONG_QUA")
        fields: dict = {"scope": (), "tie_field": "mã_cán_bộ", "rounding": "xuống", "citation": None}
        of_level = None
        scope: list[str] = []
        for part in children:
            if not isinstance(part, tuple):
                continue
            if part[0] == "base":
                of_level, fields["of_range"] = part[1], part[2]
            elif part[0] == "scope":
                if not part[2] and not scope:
                    self.error("E0001", part[3], "thiếu 'trong cùng' trước phạm vi của hạn mức")
                if part[1] not in scope:
                    scope.append(part[1])
            elif part[0] == "tie":
                fields["tie_field"] = part[1]
            elif part[0] == "round":
                fields["rounding"] = part[1]
            elif part[0] == "cite":
                fields["citation"] = part[1]
        fields["scope"] = tuple(scope)
        return ast.Quota(level, limit, of_level, meta_span(meta), **fields)

    # ---- outputs, overrides, adoption
    def output(self, meta, children):
        title_toks = _tokens(children, "TEXT")
        title = literals.text(str(title_toks[0])) if title_toks else None
        return ast.Output(str(children[1]), children[-1], meta_span(meta), title)

    def override(self, meta, children):
        return ast.Override(str(children[1]), children[3], meta_span(meta))

    t_override = override

    def allow_add(self, meta, children):
        return ast.AllowAddCriteria(children[2], meta_span(meta))
