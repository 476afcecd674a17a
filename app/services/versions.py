"""The life of a ruleset version: save a draft, make a new draft from a published version, publish
(refused on any error or failing embedded test), retire. Published versions never change."""

from __future__ import annotations

import re

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


def publish(
    version_id: int, user: User, effective_from=None, legal_bases: list[tuple[str, list[str]]] | None = None
) -> RulesetVersion:
    """Publish a draft after the gate, its embedded tests and the legal-basis rule (`publish_problems`).
    `effective_from` (a date) replaces the header's start date in the database; `legal_bases` (document,
    articles) pairs replace the `căn cứ` lines of the source first (`set_legal_bases`)."""
    version = get_version(version_id)
    if version.status != DRAFT:
        raise Conflict(
            f"{version.label} {STATUS_LABELS[version.status]}, không công bố lại được",
            code="published_immutable",
        )
    _require_manager(user, version.ruleset.owner_unit, "công bố")
    if legal_bases is not None:
        version = set_legal_bases(version.id, legal_bases, user)
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
    if not _bases_of(result):
        raise ServiceError(f"không công bố được {version.label}: {NO_LEGAL_BASIS}", code="no_legal_basis")
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


NO_LEGAL_BASIS = 'chưa có căn cứ pháp lý: thêm dòng căn cứ "…" điều … vào đầu bộ quy tắc'


def _bases_of(result) -> tuple:
    """The legal bases the source itself cites (an adopting ward cites its own: the province's do not
    count), from the parsed text."""
    parsed = result.source_ruleset
    return parsed.header.bases if parsed is not None else ()


def publish_problems(source: str, owner_unit: Unit | None, filename: str = "<bản nháp>") -> list[str]:
    """Why `source` would be refused by `publish` (errors, failing tests, no legal basis), one line
    each; empty when it may be published. For a form that shows the refusal before the final step."""
    result = validate(source, filename=filename, owner_unit=owner_unit)
    if not result.ok or result.ruleset is None:
        return render(result.diagnostics, errors_only=True)
    problems = _failing_tests(result)
    if not _bases_of(result):
        problems.append(NO_LEGAL_BASIS)
    return problems


_ARTICLE = re.compile(r"[^\W_][\w]*")


def clean_legal_bases(bases: list[tuple[str, list[str]]]) -> list[tuple[str, list[str]]]:
    """(document, articles) pairs as typed in a form, checked: a document name without quotes or line
    breaks, articles as numbers or names ("14", "14a"); empty rows dropped."""
    out: list[tuple[str, list[str]]] = []
    problems: list[str] = []
    for document, articles in bases:
        document = " ".join((document or "").split())
        articles = [a.strip() for a in articles if a and a.strip()]
        if not document:
            if articles:
                problems.append(f"điều {', '.join(articles)}: thiếu tên văn bản căn cứ")
            continue
        if '"' in document:
            problems.append(f'{document}: tên văn bản không được chứa dấu "')
        bad = [a for a in articles if not _ARTICLE.fullmatch(a)]
        if bad:
            problems.append(f"{document}: điều không hợp lệ: {', '.join(bad)} (viết số điều, ví dụ 14, 15)")
        out.append((document, articles))
    if problems:
        raise ServiceError("căn cứ pháp lý không hợp lệ", problems)
    return out


def with_legal_bases(source: str, bases: list[tuple[str, list[str]]]) -> str:
    """The source with its header's `căn cứ` lines replaced by `bases` (the rest unchanged)."""
    result = validate(source, filename="<căn cứ>")
    parsed = result.source_ruleset
    if parsed is None:
        raise ServiceError("không đọc được phần đầu của bộ quy tắc; sửa lỗi cú pháp trước")
    header = parsed.header
    lines = source.split("\n")
    old = sorted({b.span.line for b in header.bases})
    if old:
        at = old[0] - 1
    else:  # after the header line and its title, if any
        spans = dict(header.item_spans)
        at = spans["tên"].line if "tên" in spans else header.span.line
    kept = [line for number, line in enumerate(lines, start=1) if number not in old]
    at -= sum(1 for number in old if number <= at)
    new = [f'  căn cứ "{doc}"' + (f" điều {', '.join(arts)}" if arts else "") for doc, arts in bases]
    return "\n".join(kept[:at] + new + kept[at:])


def publish_preview(
    version_id: int, user: User, legal_bases: list[tuple[str, list[str]]]
) -> tuple[str, list]:
    """(the source `publish` would publish with these legal bases, why it would be refused: one line
    each, empty when it may be published). Nothing is saved."""
    version = get_version(version_id)
    if version.status != DRAFT:
        raise Conflict(
            f"{version.label} {STATUS_LABELS[version.status]}, không công bố lại được",
            code="published_immutable",
        )
    _require_manager(user, version.ruleset.owner_unit, "công bố")
    bases = clean_legal_bases(legal_bases)
    owner = version.ruleset.owner_unit
    try:
        source = with_legal_bases(version.source, bases)
    except ServiceError:  # the header does not parse: the errors say why
        return version.source, publish_problems(version.source, owner, version.filename)
    return source, publish_problems(source, owner, version.filename)


def set_legal_bases(version_id: int, bases: list[tuple[str, list[str]]], user: User) -> RulesetVersion:
    """Replace a draft's legal bases (the `căn cứ` lines of its source) and save it; unchanged when the
    source already cites exactly these."""
    version = get_version(version_id)
    if version.status != DRAFT:
        raise Conflict(
            f"{version.label} {STATUS_LABELS[version.status]}, không sửa được", code="published_immutable"
        )
    bases = clean_legal_bases(bases)
    if not bases:
        raise ServiceError(NO_LEGAL_BASIS)
    current = [(link.legal_basis.number, list(link.articles or [])) for link in version.legal_bases]
    if current == bases:
        return version
    return save_draft(with_legal_bases(version.source, bases), user, version.ruleset.owner_unit)


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
