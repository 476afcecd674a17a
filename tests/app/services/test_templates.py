"""XLSX import templates: catalog labels are data and never become formulas."""

from __future__ import annotations

import io

import openpyxl
import pytest

from app.services.templates import TEMPLATE_KINDS, template_bytes
from dsl.fields import FieldSpec


@pytest.mark.parametrize("kind", TEMPLATE_KINDS)
def test_template_cells_from_the_catalog_are_never_formulas(kind):
    hostile = FieldSpec("x", '=HYPERLINK("http://evil","bấm")', "văn bản")
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes(kind, [hostile])))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert '=HYPERLINK("http://evil","bấm")' in [c.value for c in wb["Dữ liệu"][1]]
