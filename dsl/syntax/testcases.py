"""Transformer rules for `kiểm thử` blocks: persons, records, inputs, overrides and expectations."""

from __future__ import annotations

from lark import Token
from lark.visitors import Transformer_NonRecursive, v_args

from .. import ast
from . import literals
from .exprs import meta_span
from .statements import _EXPECT_KEYS, IMPLICIT_PERSON, _int


@v_args(meta=True)
class CaseRules(Transformer_NonRecursive):
    """Mixin for the Transformer: test-case rules."""

    def attr_name(self, meta, children):
        tok = children[0]
        return {"DIEM": "điểm", "KY": "kỳ"}.get(tok.type, str(tok))

    def attr(self, meta, children):
        return ast.Attr(children[0], children[1], meta_span(meta))

    def attrs(self, meta, children):
        return tuple(c for c in children if isinstance(c, ast.Attr))

    def r_task(self, meta, children):
        count = _int(self, children[1]) if len(children) == 4 else 1
        return ast.TestRecord("nhiệm_vụ", count, children[-1], meta_span(meta))

    def r_period(self, meta, children):
        return ast.TestRecord("kỳ", 1, children[-1], meta_span(meta))

    def t_person(self, meta, children):
        code = literals.text(str(children[1]))
        attrs = next((c for c in children if isinstance(c, tuple)), ())
        records = tuple(c for c in children if isinstance(c, ast.TestRecord))
        return ast.TestPerson(code, attrs, records, meta_span(meta))

    def t_inputs(self, meta, children):
        return ("inputs", children[1], meta_span(meta))

    def t_bare_attr(self, meta, children):
        return ("inputs", (ast.Attr(children[0], children[1], meta_span(meta)),), meta_span(meta))

    def expect_key(self, meta, children):
        tok = children[0]
        return _EXPECT_KEYS.get(tok.type, str(tok))

    def expect(self, meta, children):
        return (children[0], children[1], meta_span(meta))

    def t_expect(self, meta, children):
        texts = [c for c in children if isinstance(c, Token) and c.type == "TEXT"]
        person = literals.text(str(texts[0])) if texts else None
        items = [c for c in children if isinstance(c, tuple)]
        return [ast.Expectation(person, key, value, span) for key, value, span in items]

    def test_case(self, meta, children):
        name = literals.text(str(children[1]))
        persons: list[ast.TestPerson] = []
        expectations: list[ast.Expectation] = []
        overrides: list[ast.Override] = []
        implicit_attrs: list[ast.Attr] = []
        implicit_records: list[ast.TestRecord] = []
        implicit_span = None
        for item in children[2:]:
            if isinstance(item, ast.TestPerson):
                persons.append(item)
            elif isinstance(item, ast.TestRecord):
                implicit_records.append(item)
                implicit_span = implicit_span or item.span
            elif isinstance(item, tuple) and item[0] == "inputs":
                implicit_attrs.extend(item[1])
                implicit_span = implicit_span or item[2]
            elif isinstance(item, list):
                expectations.extend(item)
            elif isinstance(item, ast.Override):
                overrides.append(item)
        if implicit_span is not None or not persons:
            implicit = ast.TestPerson(
                IMPLICIT_PERSON,
                tuple(implicit_attrs),
                tuple(implicit_records),
                implicit_span or meta_span(meta),
            )
            persons.insert(0, implicit)
        return ast.TestCase(name, tuple(persons), tuple(expectations), meta_span(meta), tuple(overrides))
