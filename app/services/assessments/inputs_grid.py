"""The period inputs entered by hand (general-criteria score, discipline, leaders' scores…) of an
assessment's people, as a grid: the columns are the inputs its rulesets read (the pinned versions, or
the versions in force before the first run), with each one's kind, bounds and default; each row says what
the person lacks for a run. Saving goes through the inputs import (`imports.import_rows("inputs")`: the
same checks, all or nothing, audited), after a check against the rulesets' own bounds."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from ...tabular.values import parse_number
from ..errors import ServiceError
from . import engine, load, pinning
from .compute import lacking
from .members import members_of
from .periods import parse
from .values import exact_text


@dataclass(slots=True)
class Column:
    name: str
    title: str
    kind: str  # "số", "thang", "đúng sai", "văn bản", "ngày"
    low: str = ""  # exact, decimal comma ("" = no bound)
    high: str = ""
    scale: tuple[str, ...] = ()
    required: bool = False  # no default in the ruleset: a run stops without it
    default: str = ""


@dataclass(slots=True)
class Row:
    code: str
    name: str
    unit: str
    leader: bool
    values: dict[str, str] = field(default_factory=dict)  # name -> the text shown in the cell
    lacking: list[str] = field(default_factory=list)  # titles of the required inputs missing


@dataclass(slots=True)
class Grid:
    period: str
    columns: list[Column]
    rows: list[Row]
    uncovered: list[dict]

    @property
    def lacking(self) -> list[Row]:
        return [r for r in self.rows if r.lacking]


@dataclass(slots=True)
class CellError:
    person: str
    column: str  # input name ("" = the whole row)
    value: str
    message: str


def _text(value) -> str:
    """A stored value as typed in the grid: 27,5 · có/không · the scale's word."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, int | Fraction):
        return exact_text(Fraction(value)).replace(".", ",")
    text = str(value)
    try:
        return exact_text(Fraction(text)).replace(".", ",")
    except (ValueError, ZeroDivisionError):
        return text


def _bound(value) -> str:
    return "" if value is None else exact_text(Fraction(value)).replace(".", ",")


def _members(assessment):
    period = parse(assessment.period)
    members = members_of(assessment.unit, period.first)
    versions, uncovered = pinning.assign(members, period, assessment.pins)
    covered = [m for m in members if m.version_id is not None]
    programs = {vid: engine.program_of(v) for vid, v in versions.items()}
    return period, covered, programs, uncovered


def grid(assessment, *, scope) -> Grid:
    scope.require_unit(assessment.unit_id)
    period, covered, programs, uncovered = _members(assessment)
    columns: dict[str, Column] = {}
    for program in programs.values():
        for info in program.needed_inputs:
            if info.name not in columns:
                columns[info.name] = Column(info.name, info.title or info.name, info.kind, _bound(info.low),
                                            _bound(info.high), tuple(info.scale), info.required,
                                            _text(info.default) if info.default is not None else "")  # fmt: skip
            elif info.required:
                columns[info.name].required = True
    ordered = sorted(columns.values(), key=lambda c: (not c.required, list(columns).index(c.name)))
    stored = load.load_inputs(covered, period.code)
    missing = {m.code: [i.title or i.name for i in infos] for m, infos in lacking(covered, programs, stored)}
    rows = [
        Row(
            m.code,
            m.name,
            m.unit_code,
            m.leader,
            {k: _text(v) for k, v in stored.get(m.code, {}).items()},
            missing.get(m.code, []),
        )  # fmt: skip
        for m in sorted(covered, key=lambda m: m.code)
    ]
    return Grid(period.code, ordered, rows, uncovered)


def check(g: Grid, submitted: dict[str, dict[str, str]]) -> list[CellError]:
    """The rulesets' own bounds and scales on the submitted cells (the import checks its templates')."""
    errors = []
    by_name = {c.name: c for c in g.columns}
    for code, cells in submitted.items():
        for name, text in cells.items():
            column, text = by_name.get(name), (text or "").strip()
            if column is None or not text or column.kind != "số":
                continue
            try:
                value = parse_number(text)
            except ValueError as exc:
                errors.append(CellError(code, name, text, f"{column.title}: {exc}"))
                continue
            low = Fraction(column.low.replace(",", ".")) if column.low else None
            high = Fraction(column.high.replace(",", ".")) if column.high else None
            if (low is not None and value < low) or (high is not None and value > high):
                errors.append(CellError(code, name, text, f"{column.title}: {text} nằm ngoài khoảng "
                                                          f"{column.low or '…'} đến {column.high or '…'} của bộ quy tắc"))  # fmt: skip
    return errors


def save(assessment, submitted: dict[str, dict[str, str]], *, scope, user):
    """Write the changed rows of the grid (person code -> input name -> text). Returns (import report,
    cell errors); with any error nothing is written. The caller commits."""
    from ..imports import import_rows

    scope.require_unit(assessment.unit_id, write=True)
    g = grid(assessment, scope=scope)
    known = {r.code: r for r in g.rows}
    names = [c.name for c in g.columns]
    unknown = sorted(set(submitted) - set(known))
    if unknown:
        raise ServiceError("không có cán bộ này trong đợt đánh giá: " + ", ".join(unknown[:20]))
    changed = {code: cells for code, cells in submitted.items()
               if any((cells.get(n) or "").strip() != known[code].values.get(n, "") for n in names if n in cells)}  # fmt: skip
    errors = check(g, changed)
    if not changed:
        return None, errors
    items, order = [], []
    for code, cells in sorted(changed.items()):
        item = {"mã_cán_bộ": code, "kỳ": g.period}
        item.update({n: (cells.get(n, known[code].values.get(n, "")) or "").strip() for n in names})
        items.append(item)
        order.append(code)
    # the import's own checks too, so that every error shows at once; with any, nothing is written
    report = import_rows("inputs", items, "luoi-dau-vao.json", user=user, scope=scope, dry_run=bool(errors))
    seen = {(e.person, e.column) for e in errors}
    for e in report.errors:
        index = e.row - 2 if isinstance(e.row, int) else -1  # row 1 is the header: item k is row k + 1
        person = order[index] if 0 <= index < len(order) else ""
        name = _name_of(e.column, g.columns)
        if (person, name) not in seen:
            errors.append(CellError(person, name, "" if e.value is None else str(e.value), e.message))
    return report, errors


def _name_of(header: str | None, columns: list[Column]) -> str:
    for c in columns:
        if header in (c.name, c.title):
            return c.name
    return header or ""
