"""The life of a ruleset version: save a draft, make a new draft from a published version, publish
(refused on any error or failing embedded test), retire. Published versions never change."""

from __future__ import annotations

from dsl.resolver import header_of, with_version
from dsl.text import canon

from ..extensions import db
from ..models import Adoption, Ruleset, RulesetVersion, Unit, User, VersionLegalBasis
from ..models.common import utcnow
from ..models.rulesets import DRAFT, PUBLISHED, RETIRED, STATUS_LABELS
from . import audit, catalog, legal_bases
from .errors import Conflict, NotFound, ServiceError
from .gate import find_version, render, validate
from .scope import Scope


def list_all_versions() -> list[RulesetVersion]:
    query = db.select(RulesetVersion).join(Ruleset).order_by(Ruleset.code, RulesetVersion.version)
    return list(db.session.scalars(query))


def get_version(version_id: int) -> RulesetVersion:
    version = db.session.get(RulesetVersion, version_id)
    if version is None:
        raise NotFound(f"không có phiên bản bộ quy tắc số {version_id}")
    return version


def get_ruleset(code: str) -> Ruleset:
    ruleset = db.session.scalar(db.select(Ruleset).where(Ruleset.code == canon(code)))
    if ruleset is None:
        raise NotFound(f'không có bộ quy tắc "{code}"')
    return ruleset


def version_by_code(code: str, version: int) -> RulesetVersion:
    found = find_version(code, version)
    if found is None:
        raise NotFound(f'không có bộ quy tắc "{code}" phiên bản {version}')
    return found


def _snapshot(version: RulesetVersion) -> dict:
    return audit.snapshot(version)


def _require_manager(user: User, unit: Unit | None, what: str) -> None:
    Scope.of_user(user).require_manage(unit, f"{what} bộ quy tắc")


def _apply_metadata(version: RulesetVersion, parsed, user: User) -> None:
    """Title, period, subjects, dates, legal bases and adoption from the parsed source (when parsable)."""
    version.legal_bases.clear()
    db.session.flush()
    if parsed is None:
        return
    header = parsed.header
    version.title = header.title or ""
    version.period = header.period
    version.rollup_from = header.rollup_from
    version.subjects = list(header.subjects)
    version.effective_from = header.effective_from
    version.effective_to = header.effective_to
    for position, basis in enumerate(header.bases):
        row = legal_bases.ensure(basis.document, basis.articles, user=user)
        if all(link.legal_basis_id != row.id for link in version.legal_bases):
            version.legal_bases.append(
                VersionLegalBasis(legal_basis=row, position=position, articles=list(basis.articles))
            )
    _link_adoption(version, parsed)


def _link_adoption(version: RulesetVersion, parsed) -> None:
    from dsl.diff import expr_text

    ref = parsed.header.adopts
    adopted = find_version(ref.code, ref.version) if ref is not None else None
    if adopted is None:
        if version.adoption is not None:
            version.adoption = None
        return
    overrides = {o.name: expr_text(o.value) for o in parsed.overrides}
    if version.adoption is None:
        version.adoption = Adoption(adopted=adopted, unit=version.ruleset.owner_unit, overrides=overrides)
    else:
        version.adoption.adopted = adopted
        version.adoption.overrides = overrides


def save_draft(source: str, author: User, owner_unit: Unit | None = None) -> RulesetVersion:
    """Create or update the draft named by the source's header (code + version). A draft may still have
    errors (publishing is the gate), but its header must be readable. A published or retired
    code+version is never saved again: make a new draft (`new_draft_from`)."""
    identity = header_of(source)
    if identity is None:
        raise ServiceError('không đọc được đầu tệp: cần dòng đầu dạng bộ quy tắc "MÃ" phiên bản N')
    code, number = canon(identity[0].strip()), identity[1]
    if not code or number < 1:
        raise ServiceError("mã bộ quy tắc không được để trống và số phiên bản phải từ 1 trở lên")
    ruleset = db.session.scalar(db.select(Ruleset).where(Ruleset.code == code))
    unit = owner_unit if ruleset is None else ruleset.owner_unit
    if ruleset is not None and owner_unit is not None and ruleset.owner_unit_id != owner_unit.id:
        owner = ruleset.owner_unit.name if ruleset.owner_unit else "cấp quốc gia"
        raise Conflict(f'mã bộ quy tắc "{code}" đã thuộc về {owner}')
    _require_manager(author, unit, "soạn")
    result = validate(source, filename=f"{code}@{number}.kpi", owner_unit=unit)
    if ruleset is None:
        ruleset = Ruleset(code=code, owner_unit=unit, title="")
        db.session.add(ruleset)
        db.session.flush()
        audit.record("ruleset.create", "rulesets", ruleset.id, user=author, after=audit.snapshot(ruleset))
    version = db.session.scalar(
        db.select(RulesetVersion).where(
            RulesetVersion.ruleset_id == ruleset.id, RulesetVersion.version == number
        )
    )
    if version is not None and version.status != DRAFT:
        nxt = next_version_number(ruleset)
        raise Conflict(
            f'bộ quy tắc "{code}" phiên bản {number} {STATUS_LABELS[version.status]}, không được sửa; '
            f"hãy tạo bản nháp mới (phiên bản {nxt})",
            code="published_immutable",
        )
    before = _snapshot(version) if version is not None else None
    if version is None:
        version = RulesetVersion(ruleset=ruleset, version=number, author=author, source="", sha256="")
        db.session.add(version)
    version.source = source
    version.sha256 = result.sha256
    version.status = DRAFT
    _apply_metadata(version, result.source_ruleset, author)
    if version.title:
        ruleset.title = version.title
    db.session.flush()
    action = "ruleset_version.create" if before is None else "ruleset_version.update"
    audit.record(action, "ruleset_versions", version.id, user=author, before=before, after=_snapshot(version))
    db.session.flush()
    version.check = result  # the diagnostics of what was saved, for the caller
    return version


def next_version_number(ruleset: Ruleset) -> int:
    numbers = db.session.scalars(
        db.select(RulesetVersion.version).where(RulesetVersion.ruleset_id == ruleset.id)
    )
    return max(numbers, default=0) + 1


def new_draft_from(version_id: int, author: User) -> RulesetVersion:
    """A new draft (next version number) with the source of `version_id`."""
    base = get_version(version_id)
    number = next_version_number(base.ruleset)
    source = with_version(base.source, number)
    if source is None:
        raise ServiceError("không tìm thấy số phiên bản trong đầu tệp của bộ quy tắc")
    return save_draft(source, author, base.ruleset.owner_unit)


def publish(version_id: int, user: User, effective_from=None) -> RulesetVersion:
    """Publish a draft after the gate and its embedded tests. `effective_from` (a date) replaces the header's start date in the database."""
    version = get_version(version_id)
    if version.status != DRAFT:
        raise Conflict(
            f"{version.label} {STATUS_LABELS[version.status]}, không công bố lại được",
            code="published_immutable",
        )
    _require_manager(user, version.ruleset.owner_unit, "công bố")
    result = validate(version.source, filename=version.filename, owner_unit=version.ruleset.owner_unit)
    if not result.ok or result.ruleset is None:
        lines = render(result.diagnostics, errors_only=True)
        raise ServiceError(
            f"không công bố được {version.label}: có {len(lines)} lỗi", lines, diagnostics=result.diagnostics
        )
    failures = _failing_tests(result)
    if failures:
        raise ServiceError(
            f"không công bố được {version.label}: có kiểm thử không đạt", failures, code="tests_failed"
        )
    if (
        effective_from is not None
        and version.effective_to is not None
        and effective_from > version.effective_to
    ):
        raise ServiceError("ngày bắt đầu hiệu lực sau ngày hết hiệu lực")
    before = _snapshot(version)
    version.status = PUBLISHED
    version.publisher = user
    version.published_at = utcnow()
    if effective_from is not None:
        version.effective_from = effective_from
    db.session.flush()
    catalog.register_declared(result.ruleset, user=user)
    audit.record(
        "ruleset_version.publish",
        "ruleset_versions",
        version.id,
        user=user,
        before=before,
        after=_snapshot(version),
    )
    db.session.flush()
    return version


def _failing_tests(result) -> list[str]:
    from dsl.testing import run_tests

    out = []
    for outcome in run_tests(result.ruleset, result.sha256, result.symbols):
        if not outcome.passed:
            reasons = "; ".join(outcome.failures) or "không đạt"
            out.append(f'kiểm thử "{outcome.name}" (dòng {outcome.span.line}): {reasons}')
    return out


def retire(version_id: int, user: User) -> RulesetVersion:
    """Published → retired (no longer resolved)."""
    version = get_version(version_id)
    if version.status != PUBLISHED:
        raise Conflict(
            f"chỉ ngừng áp dụng được phiên bản đã công bố; {version.label} {STATUS_LABELS[version.status]}"
        )
    _require_manager(user, version.ruleset.owner_unit, "ngừng áp dụng")
    before = _snapshot(version)
    version.status = RETIRED
    version.retired_at = utcnow()
    version.retired_by_id = user.id
    db.session.flush()
    audit.record(
        "ruleset_version.retire",
        "ruleset_versions",
        version.id,
        user=user,
        before=before,
        after=_snapshot(version),
    )
    db.session.flush()
    return version


def delete_draft(version_id: int, user: User) -> None:
    """Remove a draft (a published version is never deleted)."""
    version = get_version(version_id)
    if version.status != DRAFT:
        message = f"{version.label} {STATUS_LABELS[version.status]}, không xóa được"
        raise Conflict(message, code="published_immutable")
    _require_manager(user, version.ruleset.owner_unit, "xóa")
    audit.record(
        "ruleset_version.delete", "ruleset_versions", version.id, user=user, before=_snapshot(version)
    )
    db.session.delete(version)
    db.session.flush()
