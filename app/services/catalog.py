"""The field catalog: administrators declare task fields and period inputs that rulesets may use at once
(no code change, no migration: values live in JSON columns of tasks and period inputs)."""

from __future__ import annotations

from dsl.fields import PERSON_FIELDS, STANDARD_INPUTS, TASK_FIELDS
from dsl.text import canon

from ..extensions import db
from ..models import FieldDefinition, User
from ..models.fields import FIELD_KINDS, FIELD_SCOPES
from . import audit
from .errors import ServiceError

_IDENT = r"[^\W\d]\w*"


def list_fields(scope: str | None = None) -> list[FieldDefinition]:
    query = db.select(FieldDefinition).order_by(FieldDefinition.scope, FieldDefinition.name)
    if scope is not None:
        query = query.where(FieldDefinition.scope == scope)
    return list(db.session.scalars(query))


def task_field_specs() -> tuple:
    return tuple(f.to_spec() for f in list_fields("task"))


def input_specs() -> tuple:
    return tuple(f.to_spec() for f in list_fields("input"))


def _problems(scope: str, name: str, label: str, kind: str, scale: list) -> list[str]:
    import re

    out = []
    if scope not in FIELD_SCOPES:
        out.append(f'phạm vi "{scope}" không hợp lệ; chọn "task" (trường nhiệm vụ) hoặc "input" (đầu vào)')
    if not re.fullmatch(_IDENT, name):
        out.append(f'tên "{name}" không phải một định danh (chữ, số, dấu gạch dưới; không bắt đầu bằng số)')
    standard = {f.name for f in (*TASK_FIELDS, *PERSON_FIELDS, *STANDARD_INPUTS)}
    if name in standard:
        out.append(f'"{name}" là trường chuẩn, đã có sẵn')
    if not label.strip():
        out.append("nhãn (tiêu đề cột) không được để trống")
    if kind not in FIELD_KINDS:
        out.append(f'kiểu "{kind}" không hợp lệ; chọn một trong: ' + ", ".join(FIELD_KINDS))
    if kind == "thang" and not scale:
        out.append('kiểu "thang" cần danh sách giá trị')
    return out


def add_field(
    scope: str,
    name: str,
    label: str,
    kind: str,
    *,
    user: User,
    aliases: list[str] | tuple[str, ...] = (),
    scale: list[str] | tuple[str, ...] = (),
    low: str | None = None,
    high: str | None = None,
    default: object = None,
    required: bool = False,
    description: str = "",
) -> FieldDefinition:
    """Declare a field. A ruleset validated afterwards may use it."""
    name, label = canon(name.strip()), canon(label.strip())
    problems = _problems(scope, name, label, kind, list(scale))
    existing = db.session.scalar(
        db.select(FieldDefinition).where(FieldDefinition.scope == scope, FieldDefinition.name == name)
    )
    if existing is not None:
        problems.append(f'trường "{name}" đã có trong danh mục')
    if problems:
        raise ServiceError("không thêm được trường vào danh mục", problems)
    field = FieldDefinition(
        scope=scope,
        name=name,
        label=label,
        kind=kind,
        aliases=[canon(a) for a in aliases],
        scale=[canon(s) for s in scale],
        low=low,
        high=high,
        default=default,
        required=required,
        description=description,
    )
    db.session.add(field)
    db.session.flush()
    audit.record("field.add", "field_definitions", field.id, user=user, after=audit.snapshot(field))
    return field


def register_declared(ruleset, *, user: User) -> list[FieldDefinition]:
    """Add to the catalog the inputs (`đầu vào`) and task fields (`trường nhiệm vụ`) that a published
    ruleset declares and the catalog lacks, so imports and the API accept their columns at once."""
    from dsl.ast import Num

    standard = {f.name for f in (*TASK_FIELDS, *PERSON_FIELDS, *STANDARD_INPUTS)}
    have = {(f.scope, f.name) for f in list_fields()}
    added = []

    def bound(expr):
        return str(expr.value) if isinstance(expr, Num) else None

    declared = [("input", d) for d in ruleset.inputs] + [("task", d) for d in ruleset.fields]
    for scope, decl in declared:
        if decl.name in standard or (scope, decl.name) in have:
            continue
        added.append(
            add_field(
                scope,
                decl.name,
                decl.title or decl.name.replace("_", " ").capitalize(),
                decl.type.kind,
                user=user,
                scale=decl.type.scale,
                low=bound(decl.type.low),
                high=bound(decl.type.high),
                required=False,  # required by that ruleset, not by every row of every import
                description=f"Khai báo trong bộ quy tắc {ruleset.header.code} phiên bản {ruleset.header.version}",
            )
        )
        have.add((scope, decl.name))
    return added
