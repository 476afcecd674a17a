"""Header checks: code and version (E0904), legal bases (W0901), title/dates/period (W0903), citations."""

from __future__ import annotations

from .. import ast
from .sink import Sink


def item_span(header: ast.Header, item: str) -> ast.Span:
    for key, span in header.item_spans:
        if key == item:
            return span
    return header.span


def check_header(ruleset: ast.Ruleset, sink: Sink) -> None:
    h = ruleset.header
    if not h.code or not h.code.strip():
        sink.error("E0904", h.span, "thiếu mã bộ quy tắc")
    if h.version is None or h.version < 1:
        sink.error("E0904", h.span, "thiếu phiên bản (số nguyên từ 1)")
    if h.effective_from and h.effective_to and h.effective_to < h.effective_from:
        sink.error(
            "E0904",
            item_span(h, "hiệu lực"),
            f"ngày hết hiệu lực {h.effective_to:%d/%m/%Y} trước ngày bắt đầu {h.effective_from:%d/%m/%Y}",
        )
    if not h.bases:
        sink.warning("W0901", h.span, 'chưa có căn cứ pháp lý (căn cứ "..." điều ...)')
    if not h.title:
        sink.warning("W0903", h.span, 'thiếu tên bộ quy tắc (tên "...")')
    if h.effective_from is None:
        sink.warning("W0903", h.span, "thiếu ngày hiệu lực (hiệu lực từ dd/mm/yyyy)")
    if h.period is None:
        sink.warning("W0903", h.span, "thiếu kỳ đánh giá (kỳ tháng | quý | năm)")


def check_citations(ruleset: ast.Ruleset, sink: Sink, is_foreign) -> None:
    """W0902 for every criterion written without a `theo` citation."""
    for c in ruleset.criteria:
        if c.citation is None:
            sink.foreign = is_foreign(c)
            sink.warning("W0902", c.span, f'tiêu chí "{c.code}" chưa dẫn căn cứ (theo điều ...)')
    sink.foreign = False
