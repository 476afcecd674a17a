"""Supplementary income (thu nhập tăng thêm, Đà Nẵng): per month, the ruleset's output coefficient of
the person's final level × their salary, at least the ruleset's floor for that level; paid by quarter.

- Coefficient and floor are outputs of the ruleset (`hệ_số_thu_nhập`, `mức_sàn_thu_nhập` in
  `rulesets/da-nang/dn-2026.kpi`: parameters there, never constants here); amount = max(coefficient ×
  salary, floor), rounded half up to the đồng.
- The final level is the competent leader's decision when there is one. The outputs stored with a
  result belong to the computed level; for a decided level the outputs are evaluated again by the
  pinned version from the stored snapshot with the decided level (`decided.outputs_at_decided_level`),
  so the coefficient and floor follow the decision; a result that cannot be re-derived is flagged.
- A unit's quarterly sheet holds the monthly results stored under that unit's subtree (a person moved
  in the quarter is paid by each unit for its months). Missing salaries or results are listed, never
  guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from sqlalchemy import select

from ...extensions import db
from ...models import Assessment, AssessmentResult, AssessmentRevision, Unit
from ...models.salaries import Salary
from ..errors import NotFound, ServiceError
from .decided import outputs_at_decided_level
from .rollup import sub_periods

COEFFICIENT, FLOOR = "hệ_số_thu_nhập", "mức_sàn_thu_nhập"
NOT_RATED = "Không xếp loại"


@dataclass(slots=True)
class Month:
    period: str
    level: str | None = None
    coefficient: Fraction | None = None
    floor: Fraction | None = None
    salary: Fraction | None = None
    amount: Fraction | None = None
    problem: str = ""


@dataclass(slots=True)
class PayLine:
    person: str
    name: str
    unit: str
    months: dict[str, Month] = field(default_factory=dict)

    @property
    def total(self) -> Fraction:
        return sum((m.amount for m in self.months.values() if m.amount is not None), Fraction(0))


@dataclass(slots=True)
class PaySheet:
    unit: Unit
    quarter: str
    months: list[str]
    lines: list[PayLine]
    problems: list[str]

    @property
    def total(self) -> Fraction:
        return sum((line.total for line in self.lines), Fraction(0))


def _dong(x: Fraction) -> Fraction:
    return Fraction(Decimal(x.numerator / Decimal(x.denominator)).quantize(Decimal(1), ROUND_HALF_UP))


def amount(coefficient: Fraction, floor: Fraction, salary: Fraction) -> Fraction:
    """max(coefficient × salary, floor), half up to the đồng."""
    return _dong(max(coefficient * salary, floor))


def _exact(value: object) -> Fraction | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    return Fraction(str(value))


def payment_sheet(unit_code: str, quarter: str, *, scope) -> PaySheet:
    """The quarterly payment sheet of `unit_code`'s subtree (see the module docstring)."""
    from ..scope import UnitTree
    from .periods import parse

    period = parse(quarter)
    if period.kind != "quý":
        raise ServiceError(f"bảng thu nhập tăng thêm lập theo quý (ví dụ 2026-Q1), không phải {period.code}")
    unit = db.session.scalar(select(Unit).where(Unit.code == unit_code))
    if unit is None:
        raise NotFound(f'không có đơn vị mã "{unit_code}"')
    scope.require_unit(unit.id)
    subtree = UnitTree().subtree(unit.id)
    months = sub_periods(period.code, "tháng")
    query = (
        select(AssessmentResult, Assessment.period)
        .join(Assessment, Assessment.id == AssessmentResult.assessment_id)
        .join(AssessmentRevision, AssessmentRevision.id == AssessmentResult.revision_id)
        .where(Assessment.period.in_(months), AssessmentRevision.number == Assessment.current_revision,
               AssessmentResult.unit_id.in_(sorted(subtree)))
        .order_by(AssessmentRevision.created_at, AssessmentRevision.id)
    )  # fmt: skip
    found: dict[tuple[int, str], AssessmentResult] = {}
    for result, month in db.session.execute(query):
        found[(result.person_id, month)] = result  # the newest revision wins
    salaries = _salaries({pid for pid, _ in found}, months)
    by_level = outputs_at_decided_level(
        [r for r in found.values() if r.decided_level and r.decided_level != r.level]
    )
    lines: dict[int, PayLine] = {}
    problems: list[str] = []
    for (person_id, month), r in sorted(found.items(), key=lambda kv: (kv[1].person_code, kv[0][1])):
        line = lines.setdefault(person_id, PayLine(r.person_code, r.person_name, r.unit_code))
        m = line.months[month] = _month(month, r, salaries.get((person_id, month)), by_level)
        if m.problem:
            problems.append(f"{r.person_code} {r.person_name}, tháng {month}: {m.problem}")
    if found and not any(COEFFICIENT in (r.outputs or {}) for r in found.values()):
        raise ServiceError(
            f'bộ quy tắc áp dụng cho {unit.code} không có đầu ra "{COEFFICIENT}": không tính được thu nhập tăng thêm'
        )
    return PaySheet(unit, period.code, months, sorted(lines.values(), key=lambda x: x.person), problems)


def _month(month: str, r: AssessmentResult, salary: Fraction | None, by_level: dict) -> Month:
    level = None if r.not_rated else (r.decided_level or r.level)
    m = Month(month, level, salary=salary)
    if level is None:
        m.coefficient, m.floor, m.amount = Fraction(0), Fraction(0), Fraction(0)
        return m
    outputs = r.outputs or {}
    if r.decided_level and r.decided_level != r.level:
        outputs = by_level.get(r.id)
        if isinstance(outputs, str):
            m.problem = f'chưa xác định được hệ số của mức đã quyết định "{level}": {outputs}'
            return m
    m.coefficient, m.floor = _exact(outputs.get(COEFFICIENT)), _exact(outputs.get(FLOOR)) or Fraction(0)
    if m.coefficient is None:
        m.problem = f'kết quả không có "{COEFFICIENT}"'
    elif salary is None:
        m.problem = "chưa có tiền lương"
    else:
        m.amount = amount(m.coefficient, m.floor, salary)
    return m


def _salaries(person_ids: set[int], months: list[str]) -> dict[tuple[int, str], Fraction]:
    if not person_ids:
        return {}
    query = select(Salary.person_id, Salary.period, Salary.amount).where(
        Salary.person_id.in_(sorted(person_ids)), Salary.period.in_(months)
    )
    return {(p, m): Fraction(str(a)) for p, m, a in db.session.execute(query)}


def sheet_bytes(sheet: PaySheet, *, place: str = "", day=None) -> bytes:
    """The payment sheet as a filed XLSX: per month level, coefficient, salary and amount; quarter total."""
    from .report_data import SheetHeader, period_label
    from .reports_xlsx import Filed, to_bytes

    h = SheetHeader(body=_body(sheet.unit), unit=sheet.unit.name, period=sheet.quarter, place=place, day=day)
    heads = ["STT", "Mã cán bộ", "Họ và tên", "Đơn vị"]
    formats: dict[int, str] = {}
    for month in sheet.months:
        label = period_label(month).capitalize()
        base = len(heads)
        heads += [
            f"{label}: xếp loại",
            f"{label}: hệ số",
            f"{label}: tiền lương (đồng)",
            f"{label}: thu nhập tăng thêm (đồng)",
        ]
        formats.update({base + 1: "0.00", base + 2: "#,##0", base + 3: "#,##0"})
    formats[len(heads)] = "#,##0"
    heads += ["Tổng quý (đồng)", "Ghi chú"]
    rows = []
    for n, line in enumerate(sheet.lines, start=1):
        row: list[object] = [n, line.person, line.name, line.unit]
        for month in sheet.months:
            m = line.months.get(month)
            row += ["" if m is None else (m.level or NOT_RATED), None if m is None else m.coefficient,
                    None if m is None else m.salary, None if m is None else m.amount]  # fmt: skip
        row += [line.total, "; ".join(m.problem for m in line.months.values() if m.problem)]
        rows.append(row)
    title = f"BẢNG THANH TOÁN THU NHẬP TĂNG THÊM THEO KẾT QUẢ ĐÁNH GIÁ {period_label(sheet.quarter).upper()}"
    notes = [f"Đơn vị: {sheet.unit.name}",
             "Thu nhập tăng thêm = hệ số theo xếp loại × tiền lương, không thấp hơn mức sàn (theo bộ quy tắc)"]  # fmt: skip
    summary = [("Tổng cộng (đồng):", sheet.total), ("Số người:", len(sheet.lines))]
    signers = [("Người lập biểu", ""), ("Kế toán", ""), ("Thủ trưởng đơn vị", "")]
    return to_bytes(Filed(h, title, notes, heads, rows, formats, summary, signers, "Thu nhập tăng thêm"))


def _body(unit: Unit) -> str:
    return (
        f"UBND {unit.kind} {unit.name.split(' ', 1)[1]}"
        if unit.kind in ("phường", "xã") and " " in unit.name
        else unit.name
    )
