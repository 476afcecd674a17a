"""Field specs for the templates: the standard ones of dsl.fields plus what a ruleset declares."""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

from dsl.fields import STANDARD_INPUTS, FieldSpec
from dsl.syntax.literals import literal_or_none

PERIOD_SPEC = FieldSpec("kỳ", "Kỳ", "văn bản", aliases=("Kỳ đánh giá",))
PERSON_CODE_SPEC = FieldSpec(
    "mã_cán_bộ", "Mã cán bộ", "văn bản", required=True, aliases=("Mã công chức", "Mã người")
)


def _bound(expr: object) -> str | None:
    value = literal_or_none(expr)
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def spec_of(item: object, *, task_field: bool = False) -> FieldSpec:
    """A FieldSpec for a FieldSpec, or for a ruleset's `đầu vào` / `trường nhiệm vụ` declaration."""
    if isinstance(item, FieldSpec):
        return item
    type_spec = item.type
    default = literal_or_none(item.default)
    return FieldSpec(
        name=item.name,
        label=item.title or item.name.replace("_", " "),
        kind=type_spec.kind,
        required=task_field and item.default is None,
        scale=tuple(type_spec.scale),
        low=_bound(type_spec.low),
        high=_bound(type_spec.high),
        default=default,
    )


def merge_specs(
    standard: Iterable[FieldSpec], extra: Iterable[object], *, task_field: bool = False
) -> list[FieldSpec]:
    """Standard specs refined or extended by declared ones (same name: the declaration wins, keeping
    the standard label and aliases so the usual headers still match)."""
    out: dict[str, FieldSpec] = {s.name: s for s in standard}
    for item in extra:
        spec = spec_of(item, task_field=task_field)
        old = out.get(spec.name)
        if old is not None:
            aliases = tuple({*old.aliases, spec.label} - {old.label})
            spec = FieldSpec(
                spec.name,
                old.label,
                spec.kind,
                spec.required or old.required,
                aliases,
                spec.scale or old.scale,
                spec.low if spec.low is not None else old.low,
                spec.high if spec.high is not None else old.high,
                spec.default if spec.default is not None else old.default,
                old.choices,
            )
        out[spec.name] = spec
    return list(out.values())


def input_specs(extra_inputs: Iterable[object]) -> list[FieldSpec]:
    return merge_specs(STANDARD_INPUTS, extra_inputs)
