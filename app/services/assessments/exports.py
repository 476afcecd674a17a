"""What the reports show, read from a stored assessment: the unit's results sheet and each official's
evaluation sheet (with the explanation re-derived from the pinned version and the stored inputs). The
decided level and its reason always travel beside the computed level. Rendering: reports_xlsx and
reports_pdf."""

from __future__ import annotations

from fractions import Fraction

from sqlalchemy import select

from ...extensions import db
from ...models import Person, Unit
from .report_data import Criterion, PersonSheet, ResultLine, SheetHeader, UnitSheet

SIGNERS = [("Người lập biểu", ""), ("Thủ trưởng đơn vị", "")]


def _exact(text) -> Fraction | None:
    return None if text in (None, "") else Fraction(str(text))


def _programs(assessment) -> list:
    from .engine import program_of
    from .queries import pinned_versions

    return [(v, program_of(v)) for v in pinned_versions(assessment)]


def header_of(assessment) -> SheetHeader:
    from .queries import revision_of
    from .workflow import label

    unit = assessment.unit
    programs = _programs(assessment)
    rev = revision_of(assessment)
    versions = [f"{v['code']} phiên bản {v['version']}" for v in rev.versions] or [
        v.label for v, _ in programs
    ]
    bases = []
    for version, _ in programs:
        for link in version.legal_bases:
            articles = ", ".join(link.articles or [])
            text = link.legal_basis.number + (f", điều {articles}" if articles else "")
            if text not in bases:
                bases.append(text)
    root = unit.ancestors()[-1]
    digits = programs[0][1].rounding.digits if programs else 2
    body = f"UBND {unit.name}" if unit.kind in ("phường", "xã", "đặc khu") else (unit.parent or unit).name
    return SheetHeader(body=body, unit=unit.name, period=assessment.period, rulesets=versions, revision=rev.number,
                       status=label(assessment.status), place=_place(root), legal_bases=bases, digits=digits)  # fmt: skip


def _place(root: Unit) -> str:
    for prefix in ("Tỉnh ", "Thành phố "):
        if root.name.startswith(prefix):
            return root.name[len(prefix) :]
    return root.name


def _lines(assessment, results) -> list[ResultLine]:
    from .workflow import feedback_of

    ids = [r.person_id for r in results]
    posts = (
        dict(db.session.execute(select(Person.id, Person.leadership_post).where(Person.id.in_(ids))).all())
        if ids
        else {}
    )
    units = (
        dict(
            db.session.execute(
                select(Unit.id, Unit.name).where(Unit.id.in_({r.unit_id for r in results}))
            ).all()
        )
        if ids
        else {}
    )
    feedback = feedback_of(assessment)
    out = []
    for r in results:
        own, comments = feedback.get(r.person_id, ("", []))
        out.append(ResultLine(
            person=r.person_code, name=r.person_name, unit=units.get(r.unit_id, r.unit_code), post=posts.get(r.person_id) or "",
            criteria={k: _exact(v) for k, v in (r.criteria or {}).items()}, score=_exact(r.score_text),
            level=None if r.not_rated else r.level, level_before_quota=r.level_before_quota, vetoes=list(r.vetoes or []),
            decided_level=r.decided_level, decision_reason=r.decided_reason or "", self_assessment=own, comments=comments,
            outputs=dict(r.outputs or {}),
        ))  # fmt: skip
    return out


def _readable(assessment, scope, user):
    """The results the caller may read: within `scope`, or, given a `user`, as `workflow.readable_results`
    decides (an official reads their unit's results once published)."""
    from .queries import results_of
    from .workflow import readable_results

    if user is not None:
        return readable_results(assessment, user)
    scope.require_unit(assessment.unit_id)
    return [r for r in results_of(assessment) if scope.sees_unit(r.unit_id)]


def unit_sheet(assessment, *, scope, user=None) -> UnitSheet:
    results = _readable(assessment, scope, user)
    criteria: list[tuple[str, str]] = []
    for _, program in _programs(assessment):
        for code, title, _citation in program.criteria:
            if code not in [c for c, _ in criteria]:
                criteria.append((code, title))
    return UnitSheet(header_of(assessment), criteria, _lines(assessment, results), _signers(assessment))


def person_sheets(assessment, *, scope, codes: list[str] | None = None, user=None,
                  progress=None) -> list[PersonSheet]:  # fmt: skip
    """Each official's sheet (all of the assessment's readable results, or `codes`); `progress(done,
    total)` after each one (the explanation re-derived per person is the long part)."""
    from ..scope import Scope
    from .explain import explain

    results = [r for r in _readable(assessment, scope, user) if codes is None or r.person_code in codes]
    if user is not None:
        scope = Scope.everything(user.username)  # access decided by readable_results above
    if codes is not None:
        missing = sorted(set(codes) - {r.person_code for r in results})
        if missing:
            from ..errors import NotFound

            raise NotFound(f"không có kết quả của cán bộ {', '.join(missing)} trong {assessment.label}")
    header = header_of(assessment)
    by_version = {v.id: p for v, p in _programs(assessment)}
    lines = {line.person: line for line in _lines(assessment, results)}
    signers = [("Người tự đánh giá", ""), ("Người đánh giá", ""), _signers(assessment)[1]]
    out = []
    for r in results:
        program = by_version[r.version_id]
        line = lines[r.person_code]
        signers[0] = ("Người tự đánh giá", r.person_name)
        criteria = [Criterion(code, title, line.criteria.get(code), citation)
                    for code, title, citation in program.criteria if code in line.criteria]  # fmt: skip
        explanation = explain(assessment, r.person_code, scope=scope).lines
        out.append(PersonSheet(header, line, criteria, explanation, program.levels_citation, list(signers)))
        if progress is not None:
            progress(len(out), len(results))
    return out


def _signers(assessment) -> list[tuple[str, str]]:
    """The preparer (blank) and the head of the unit (its leader without a manager, if one is recorded)."""
    head = db.session.scalar(
        select(Person.full_name).where(Person.unit_id == assessment.unit_id, Person.is_leader.is_(True),
                                       Person.manager_id.is_(None), Person.active.is_(True)).order_by(Person.code)
    )  # fmt: skip
    return [SIGNERS[0], (SIGNERS[1][0], head or "")]
