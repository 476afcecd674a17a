"""One serialisation (to JSON-ready dicts) of units, people, rulesets and versions, shared by the API
(`app/api/reads.py`), the CLI (`kpi rulesets list --format json`) and the web admin."""

from __future__ import annotations

from ..models import Person, Ruleset, RulesetVersion, Unit


def unit_json(unit: Unit) -> dict:
    return {
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind,
        "parent": unit.parent.code if unit.parent is not None else None,
    }


def person_json(person: Person) -> dict:
    return {
        "code": person.code,
        "full_name": person.full_name,
        "unit": person.unit.code,
        "category": person.category,
        "post": person.leadership_post,
        "is_leader": bool(person.is_leader),
        "duty_group": person.duty_group.name if person.duty_group is not None else None,
        "manager": person.manager.code if person.manager is not None else None,
        "position": person.position.code if person.position is not None else None,
        "active": bool(person.active),
    }


def ruleset_json(ruleset: Ruleset) -> dict:
    return {
        "code": ruleset.code,
        "title": ruleset.title,
        "owner_unit": ruleset.owner_unit.code if ruleset.owner_unit is not None else None,
        "versions": [v.version for v in ruleset.versions],
    }


def _iso(value):
    return value.isoformat() if value is not None else None


def version_json(version: RulesetVersion, *, source: bool = False) -> dict:
    adoption = version.adoption
    out = {
        "ruleset": version.ruleset.code,
        "version": version.version,
        "status": version.status,
        "title": version.title,
        "owner_unit": version.ruleset.owner_unit.code if version.ruleset.owner_unit is not None else None,
        "period": version.period,
        "subjects": list(version.subjects or []),
        "effective_from": _iso(version.effective_from),
        "effective_to": _iso(version.effective_to),
        "sha256": version.sha256,
        "published_at": _iso(version.published_at),
        "adopts": (
            {"ruleset": adoption.adopted.ruleset.code, "version": adoption.adopted.version}
            if adoption is not None
            else None
        ),
        "legal_bases": [link.legal_basis.number for link in version.legal_bases],
    }
    if source:
        out["source"] = version.source
    return out
