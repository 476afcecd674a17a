"""The legal-basis rule of publishing lives in `versions.publish` (CLI, API and admin all go through it):
a ruleset that cites no legal basis (`căn cứ`) is refused; the bases can be set from a form, which
rewrites the `căn cứ` lines of the draft's source; the preview says why it would be refused."""

from __future__ import annotations

import pytest
from ruleset_sources import PASSING_TEST, ruleset_source

from app.models import RulesetVersion
from app.services import rulesets, versions
from app.services.errors import ServiceError

BASIS = '  căn cứ "Nghị định 335/2025/NĐ-CP" điều 12, 14, 20\n'


def _without_basis(**kw) -> str:
    source = ruleset_source(test=PASSING_TEST, **kw)
    assert BASIS in source
    return source.replace(BASIS, "")


def test_publish_without_a_legal_basis_is_refused(session, units, admin):
    draft = rulesets.save_draft(_without_basis(), admin, units["TH"])
    assert draft.check.ok and not draft.legal_bases
    with pytest.raises(ServiceError) as err:
        versions.publish(draft.id, admin)
    assert err.value.code == "no_legal_basis" and err.value.status == 400
    assert "chưa có căn cứ pháp lý" in err.value.message
    assert session.get(RulesetVersion, draft.id).status == "draft"


def test_publish_with_legal_bases_from_a_form(session, units, admin):
    draft = rulesets.save_draft(_without_basis(), admin, units["TH"])
    done = versions.publish(
        draft.id, admin, legal_bases=[("Quyết định 12/2026/QĐ-UBND", ["3", "5"]), ("", [])]
    )
    assert done.status == "published"
    assert '  căn cứ "Quyết định 12/2026/QĐ-UBND" điều 3, 5\n' in done.source
    assert [(b.legal_basis.number, b.articles) for b in done.legal_bases] == [
        ("Quyết định 12/2026/QĐ-UBND", ["3", "5"])
    ]


def test_with_legal_bases_replaces_only_the_basis_lines(session):
    source = ruleset_source(test=PASSING_TEST)
    new = versions.with_legal_bases(
        source, [("Luật Cán bộ, công chức 2025", ["2"]), ("Nghị định 335/2025/NĐ-CP", [])]
    )
    old_lines, new_lines = source.split("\n"), new.split("\n")
    assert new_lines[2:4] == [
        '  căn cứ "Luật Cán bộ, công chức 2025" điều 2',
        '  căn cứ "Nghị định 335/2025/NĐ-CP"',
    ]
    assert new_lines[:2] == old_lines[:2] and new_lines[4:] == old_lines[3:]
    inserted = versions.with_legal_bases(_without_basis(), [("Nghị định 335/2025/NĐ-CP", ["14"])])
    assert inserted.split("\n")[2] == '  căn cứ "Nghị định 335/2025/NĐ-CP" điều 14'  # after the title


def test_bad_legal_bases_are_refused(session, units, admin):
    draft = rulesets.save_draft(_without_basis(), admin, units["TH"])
    for bases in ([('Nghị định "x"', [])], [("Nghị định 335", ["14 khoản 2"])], [("", ["3"])], []):
        with pytest.raises(ServiceError):
            versions.set_legal_bases(draft.id, bases, admin)
    assert session.get(RulesetVersion, draft.id).source == _without_basis()


def test_publish_preview_says_why(session, units, admin):
    draft = rulesets.save_draft(_without_basis(), admin, units["TH"])
    source, problems = versions.publish_preview(draft.id, admin, [])
    assert problems == [versions.NO_LEGAL_BASIS] and "căn cứ" not in source
    source, problems = versions.publish_preview(draft.id, admin, [("Nghị định 335/2025/NĐ-CP", ["14"])])
    assert problems == [] and 'căn cứ "Nghị định 335/2025/NĐ-CP" điều 14' in source
    assert session.get(RulesetVersion, draft.id).source == _without_basis()  # nothing saved


def test_ward_admin_cannot_set_the_province_bases(session, units, admin, ward_admin):
    draft = rulesets.save_draft(_without_basis(), admin, units["TH"])
    with pytest.raises(ServiceError) as err:
        versions.publish(draft.id, ward_admin, legal_bases=[("Nghị định 335/2025/NĐ-CP", [])])
    assert err.value.code == "forbidden"
