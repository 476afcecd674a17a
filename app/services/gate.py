"""The single validation gate for rulesets: the `dsl` check plus the database context.

`validate` runs `dsl.pipeline.check_source` with a resolver that finds adopted rulesets in the database
and with the field catalog's task fields and inputs, then adds what only the database knows: an adopted
version must be PUBLISHED (a draft is "not found", a retired one is refused), and owned by the
adopting unit's own ancestors or be national (E0604 otherwise). Unknown legal bases are
not an error: saving a version creates them (see legal_bases)."""

from __future__ import annotations

from dsl.diagnostics import Diagnostic, sorted_diagnostics
from dsl.pipeline import CheckResult, check_source
from dsl.text import canon, fold

from ..extensions import db
from ..models import Ruleset, RulesetVersion
from ..models.rulesets import DRAFT, PUBLISHED, RETIRED
from . import catalog


def find_version(code: str, version: int, statuses=(DRAFT, PUBLISHED, RETIRED)) -> RulesetVersion | None:
    """A version by ruleset code (compared after canon(), then folded) and number."""
    query = (
        db.select(RulesetVersion)
        .join(Ruleset)
        .where(RulesetVersion.version == int(version), RulesetVersion.status.in_(statuses))
    )
    exact = db.session.scalar(query.where(Ruleset.code == canon(code)))
    if exact is not None:
        return exact
    wanted = fold(canon(code))
    for candidate in db.session.scalars(query):
        if fold(candidate.ruleset.code) == wanted:
            return candidate
    return None


class DbResolver:
    """dsl.resolver.Resolver over the database: published (and retired, so that existing adopting
    versions still check) versions only; drafts are never adoptable."""

    def __init__(self, session=None):
        self.session = session or db.session

    def find(self, code: str, version: int) -> tuple[str, str] | None:
        found = find_version(code, version, (PUBLISHED, RETIRED))
        return None if found is None else (found.source, found.filename)

    def searched(self) -> str:
        """Where the lookup looked, for E0601."""
        return "đã tìm trong các phiên bản đã công bố của cơ sở dữ liệu"


def _context_diagnostics(result: CheckResult, owner_unit) -> list[Diagnostic]:
    parsed = result.source_ruleset
    ref = parsed.header.adopts if parsed is not None else None
    if ref is None:
        return []
    name = f'"{ref.code}" phiên bản {ref.version}'
    found = find_version(ref.code, ref.version)
    if found is not None and found.status == DRAFT:
        return [
            Diagnostic(
                "E0601", f"bộ quy tắc {name} được áp dụng chưa được công bố (đang là bản nháp)", ref.span
            )
        ]
    if found is not None and found.status == RETIRED:
        return [Diagnostic("E0601", f"bộ quy tắc {name} được áp dụng đã ngừng áp dụng", ref.span)]
    adopted_owner = found.ruleset.owner_unit if found is not None else None
    if owner_unit is not None and adopted_owner is not None and not owner_unit.is_within(adopted_owner):
        msg = f"{owner_unit.name} chỉ được áp dụng bộ quy tắc của cấp trên; {name} thuộc {adopted_owner.name}"
        return [Diagnostic("E0604", msg, ref.span)]
    return []


def validate(source: str, *, filename: str = "<nguồn>", owner_unit=None) -> CheckResult:
    """Check a ruleset source against the language and the database. Never raises for a bad source."""
    result = check_source(
        source,
        filename,
        resolver=DbResolver(),
        extra_task_fields=catalog.task_field_specs(),
        extra_inputs=catalog.input_specs(),
    )
    extra = _context_diagnostics(result, owner_unit)
    if extra:
        keep = [
            d for d in result.diagnostics if not (d.code == "E0601" and any(e.span == d.span for e in extra))
        ]
        result.diagnostics = sorted_diagnostics(
            keep + [d if d.file == filename else _with_file(d, filename) for d in extra]
        )
    return result


def _with_file(diag: Diagnostic, filename: str) -> Diagnostic:
    from dataclasses import replace

    return replace(diag, file=filename)


def render(diagnostics, *, errors_only: bool = False) -> list[str]:
    """One line per diagnostic, like the compiler output of `kpi check`."""
    return [d.render() for d in diagnostics if d.is_error or not errors_only]
