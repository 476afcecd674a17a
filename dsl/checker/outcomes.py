"""Vetoes, caps, not-rated rules and quotas: their level names and conditions."""

from __future__ import annotations

from .. import ast
from ..text import suggest
from . import types as T
from .exprs import CONST, PERSON, ExprChecker
from .sink import Sink, did_you_mean

_QUOTA_SCOPES = ("đơn_vị", "nhóm_nhiệm_vụ")
_TIE_KINDS = ("person_field", "input", "person_value", "criterion")


def level_exists(name: str, span: ast.Span, level_names: tuple[str, ...], sink: Sink) -> bool:
    if not level_names or name in level_names:
        return True
    hint = suggest(name, level_names)
    sink.error("E0104", span, f'không có mức xếp loại "{name}"{did_you_mean(hint)}')
    return False


def check_vetoes(ruleset: ast.Ruleset, checker: ExprChecker, sink: Sink, is_foreign) -> None:
    names = checker.level_names
    for v in ruleset.vetoes:
        sink.foreign = is_foreign(v)
        if v.level is not None:
            level_exists(v.level, v.span, names, sink)
        checker.cond(v.cond, PERSON, "điều kiện loại trừ")
    sink.foreign = False


def check_quotas(ruleset: ast.Ruleset, checker: ExprChecker, sink: Sink, is_foreign) -> None:
    names = checker.level_names
    for q in ruleset.quotas:
        sink.foreign = is_foreign(q)
        if level_exists(q.level, q.span, names, sink) and names and q.level == names[-1]:
            sink.error("E0104", q.span, f'không có mức nào thấp hơn "{q.level}" để hạ xuống')
        if q.of_level is not None:
            level_exists(q.of_level, q.span, names, sink)
        checker.expect(q.limit, CONST, T.NUMBER, "tỷ lệ hạn mức")
        for scope in q.scope:
            if scope not in _QUOTA_SCOPES:
                sink.error(
                    "E0102",
                    q.span,
                    f'không chia nhóm hạn mức theo "{scope}" được (chỉ đơn vị, nhóm nhiệm vụ)',
                )
        keys = [s.name for s in checker.syms.names.values() if s.kind in _TIE_KINDS]
        if q.tie_field not in keys:
            hint = suggest(q.tie_field, keys)
            sink.error(
                "E0102",
                q.span,
                f'không có trường "{q.tie_field}" để xếp thứ tự khi cùng điểm{did_you_mean(hint)}',
            )
    sink.foreign = False
