"""Loading the shipped `rulesets/**/*.kpi` into the database, published by the system user.

- National rulesets live in `rulesets/quoc-gia/` (owner: none). Every other directory holds one
  province's (or city's) rulesets: the owner is the root unit whose code is the directory name, or whose
  name ends with its words ("thanh-hoa" → "Tỉnh Thanh Hóa"; case and diacritics ignored). A file named
  for a ward ("phuong-…", "xa-…", "dac-khu-…") belongs to the unit under that province whose name is
  the file's words ("phuong-hac-thanh" → "Phường Hạc Thành"). Missing units are created (code from the
  directory or file name, upper-case; name from the file's first comment, "# Đà Nẵng: …" → "Đà Nẵng"),
  so that local variants never pass for national ones. Load the demo or imported units first to have
  the rulesets attached to them.
- Adopting files are loaded after what they adopt (several passes).
- Idempotent: a version already stored with the same hash changes nothing; a published version stored
  with a different hash is reported, never overwritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from dsl.resolver import header_of, read_source
from dsl.text import canon, fold

from ..extensions import db
from ..models import Unit
from . import audit
from .errors import ServiceError
from .gate import find_version
from .users import system_user
from .versions import publish, save_draft

NATIONAL_DIR = "quoc-gia"


@dataclass
class LoadReport:
    loaded: list[str] = field(default_factory=list)  # "CODE phiên bản N (tệp)"
    unchanged: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    created_units: list[str] = field(default_factory=list)


def _words(text: str) -> str:
    return " ".join(re.split(r"[\s_-]+", fold(canon(text)).strip()))


WARD_PREFIXES = {"phuong": "phường", "xa": "xã", "dac khu": "đặc khu"}


def _comment_name(path: Path) -> str | None:
    first = next((ln for ln in read_source(path).splitlines() if ln.startswith("#")), "")
    match = re.match(r"#\s*([^:(]{2,80})[:(]", first)
    return match.group(1).strip() if match else None


def _match(units, words: str) -> Unit | None:
    for unit in units:
        name = _words(unit.name)
        if _words(unit.code) == words or name == words or name.endswith(" " + words):
            return unit
    return None


def _create(code: str, name: str, kind: str, parent: Unit | None, report: LoadReport) -> Unit:
    unit = Unit(code=code.upper(), name=name, kind=kind, parent=parent)
    db.session.add(unit)
    db.session.flush()
    audit.record("unit.create", "units", unit.id, user=system_user(), after=audit.snapshot(unit))
    report.created_units.append(f"{unit.code} ({unit.name})")
    return unit


def _owner(path: Path, root: Path, report: LoadReport) -> Unit | None:
    rel = path.relative_to(root)
    if len(rel.parts) < 2 or _words(rel.parts[0]) == _words(NATIONAL_DIR):
        return None
    directory, stem = rel.parts[0], _words(path.stem)
    ward_kind = next((kind for prefix, kind in WARD_PREFIXES.items() if stem.startswith(prefix + " ")), None)
    roots = db.session.scalars(db.select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.id))
    province = _match(list(roots), _words(directory))
    if province is None:
        name = directory if ward_kind else (_comment_name(path) or directory)
        province = _create(directory, name, "tỉnh", None, report)
    if ward_kind is None:
        return province
    below = [
        u
        for u in db.session.scalars(db.select(Unit).order_by(Unit.id))
        if u is not province and u.is_within(province)
    ]
    ward = _match(below, stem)
    if ward is None:
        name = _comment_name(path) or stem
        ward = _create(path.stem, name, ward_kind, province, report)
    return ward


def _adopted_ready(source: str) -> bool:
    match = re.search(
        r'^\s*(?:áp dụng|ap dung)\s+"([^"\n]*)"\s+(?:phiên bản|phien ban)\s+(\d+)', canon(source), re.M | re.I
    )
    return match is None or find_version(match.group(1), int(match.group(2)), ("published",)) is not None


def load_shipped(directory: str | Path) -> LoadReport:
    """Load and publish every *.kpi under `directory`. Each file in a savepoint: a refused file is reported
    and leaves nothing behind, the others stay (the caller commits)."""
    root = Path(directory)
    report = LoadReport()
    if not root.is_dir():
        raise ServiceError(f"không có thư mục bộ quy tắc {root}")
    pending = sorted(root.rglob("*.kpi"))
    user = system_user()
    while pending:
        progressed, waiting = False, []
        for path in pending:
            try:
                source = read_source(path)
            except (OSError, UnicodeDecodeError) as exc:
                report.errors.append(f"{path}: không đọc được tệp ({exc})")
                progressed = True
                continue
            if not _adopted_ready(source):
                waiting.append(path)
                continue
            progressed = True
            _load_one(path, root, source, user, report)
        if not progressed:
            report.errors += [
                f"{p}: bộ quy tắc được áp dụng không có hoặc chưa công bố được" for p in waiting
            ]
            break
        pending = waiting
    return report


def _load_one(path: Path, root: Path, source: str, user, report: LoadReport) -> None:
    identity = header_of(source)
    if identity is None:
        report.errors.append(f'{path}: không đọc được đầu tệp (bộ quy tắc "MÃ" phiên bản N)')
        return
    code, number = identity
    label = f'"{code}" phiên bản {number} ({path})'
    existing = find_version(code, number)
    if existing is not None and existing.status != "draft":
        from dsl.pipeline import source_hash

        if source_hash(source) == existing.sha256:
            report.unchanged.append(label)
        else:
            report.errors.append(f"{label}: khác với phiên bản đã công bố trong cơ sở dữ liệu; không ghi đè")
        return
    created = len(report.created_units)
    try:
        with db.session.begin_nested():
            owner = _owner(path, root, report)
            version = save_draft(source, user, owner)
            publish(version.id, user)
    except ServiceError as exc:
        del report.created_units[created:]  # undone with the savepoint
        report.errors.append(f"{label}: {exc}")
        return
    report.loaded.append(label)
