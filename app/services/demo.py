"""A realistic, deterministic demo data set, loaded through the ordinary services (imports, loader,
catalog, users, tokens), so running it twice changes nothing.

Tỉnh Thanh Hóa with phường Hạc Thành and phường Đông Sơn, their departments, 60 people each (leaders,
deputies, staff with `người quản lý`), duty groups, job positions with standard products, three months of
tasks (2026-01..03) of varied quality, period inputs, the shipped rulesets, one user per role and an API
token for a demo task-assignment system. The passwords and the token are for the demo only."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..extensions import db
from ..models import FieldDefinition, Person, User
from . import catalog
from .api_tokens import authenticate, create_token
from .demo_people import WARDS, ensure_positions, people_rows, units_rows
from .demo_tasks import add_discipline, tasks_and_inputs
from .errors import Conflict, ServiceError
from .imports import import_rows
from .users import create_user, system_user

DEMO_SYSTEM = "giao-viec-demo"
DEMO_TOKEN = "kpi_demo_hac_thanh_chi_dung_thu_nghiem"  # demo only: never in production
SEED = 2026
CATALOG = (
    ("task", "số_hồ_sơ", "Số hồ sơ giải quyết", {"low": "0"}),
    ("task", "số_hồ_sơ_đúng_hạn", "Số hồ sơ giải quyết đúng hạn", {"low": "0"}),
    ("input", "điểm_khả_năng_tổ_chức", "Điểm khả năng tổ chức", {"low": "0", "high": "100"}),
    ("input", "điểm_năng_lực_tập_hợp", "Điểm năng lực tập hợp", {"low": "0", "high": "100"}),
)
# username, password (demo only), role, unit, full name, person code (officials)
ACCOUNTS = (
    ("tinh.quantri", "demo-tinh-2026", "province_admin", "TH", "Quản trị Sở Nội vụ tỉnh Thanh Hóa", None),
    ("hacthanh.quantri", "demo-hacthanh-2026", "ward_admin", "HT", "Quản trị phường Hạc Thành", None),
    ("dongson.quantri", "demo-dongson-2026", "ward_admin", "DS", "Quản trị phường Đông Sơn", None),
    ("hacthanh.danhgia", "demo-danhgia-2026", "evaluator", "HT", "", "HT0001"),
    ("dongson.danhgia", "demo-danhgia-2026", "evaluator", "DS", "", "DS0001"),
    ("HT0012", "demo-canbo-2026", "official", "HT-VP", "", "HT0012"),
    ("DS0012", "demo-canbo-2026", "official", "DS-VP", "", "DS0012"),
)
ROLE_LABELS = {"province_admin": "quản trị tỉnh", "ward_admin": "quản trị phường", "evaluator": "người đánh giá",
               "official": "cán bộ, công chức"}  # fmt: skip


@dataclass
class DemoReport:
    imports: list = field(default_factory=list)  # ImportReport of units, people, tasks, inputs
    rulesets: object = None  # loader.LoadReport (None when the loader is absent)
    accounts: list[tuple[str, str, str, str]] = field(default_factory=list)  # user, password, role, unit
    created_accounts: list[str] = field(default_factory=list)
    token: str = DEMO_TOKEN
    token_created: bool = False
    notes: list[str] = field(default_factory=list)


def _check(report) -> None:
    if report.errors:
        raise ServiceError(
            f"dữ liệu mẫu không nhập được ({report.kind})", [e.render() for e in report.errors[:20]]
        )


def foreign_data() -> list[str]:
    """What in this database is not demo data (empty: an empty or a demo database). The demo's fixed
    passwords and API token must never land beside real data."""
    from ..models import ApiToken, Task
    from ..models.users import SYSTEM_USERNAME, hash_token

    found = []
    usernames = {a[0] for a in ACCOUNTS} | {SYSTEM_USERNAME}
    users = [u for u in db.session.scalars(db.select(User.username)) if u not in usernames]
    if users:
        found.append(f"{len(users)} người dùng khác tài khoản mẫu (ví dụ {users[0]})")
    tokens = db.session.scalar(
        db.select(db.func.count(ApiToken.id)).where(ApiToken.token_hash != hash_token(DEMO_TOKEN))
    )
    if tokens:
        found.append(f"{tokens} mã truy cập API khác mã mẫu")
    wards = tuple(code for code, _ in WARDS)
    people = [c for c in db.session.scalars(db.select(Person.code)) if not _demo_person(c, wards)]
    if people:
        found.append(f"{len(people)} cán bộ không thuộc dữ liệu mẫu (ví dụ {people[0]})")
    tasks = db.session.scalar(db.select(db.func.count(Task.id)).where(Task.source_system != DEMO_SYSTEM))
    if tasks:
        found.append(f"{tasks} nhiệm vụ không thuộc dữ liệu mẫu")
    return found


def _demo_person(code: str, wards: tuple[str, ...]) -> bool:
    return len(code) == 6 and code[:2] in wards and code[2:].isdigit()


def run_demo(rulesets_dir: str | None = None) -> DemoReport:
    """Load (or top up) the demo data; idempotent. Refuses (Conflict) a database that holds anything but
    demo data. Raises ServiceError if some part is refused."""
    foreign = foreign_data()
    if foreign:
        raise Conflict(
            "cơ sở dữ liệu này có dữ liệu không phải dữ liệu mẫu; dữ liệu mẫu (mật khẩu và mã truy cập công "
            "khai) chỉ được nạp vào cơ sở dữ liệu trống hoặc cơ sở dữ liệu mẫu",
            foreign,
        )
    out = DemoReport()
    user = system_user()
    units = import_rows("units", units_rows(), "don-vi.json", user=user)
    _check(units)
    out.imports.append(units)
    if ensure_positions(db):
        out.notes.append("đã tạo danh mục vị trí việc làm và sản phẩm chuẩn")
    db.session.flush()
    out.rulesets = _load_rulesets(rulesets_dir)
    _ensure_catalog(user, out)
    people, tasks, inputs = [], [], []
    for index, (ward, _) in enumerate(WARDS):
        rows = people_rows(ward, SEED + index)
        people += rows
        ward_tasks, ward_inputs = tasks_and_inputs(rows, SEED * 10 + index, rows[0]["Họ và tên"])
        tasks += ward_tasks
        inputs += ward_inputs
    add_discipline(inputs, "DS0025", "2026-02", "khiển trách")
    add_discipline(inputs, "HT0040", "2026-03", "cảnh cáo")
    for kind, rows, name in (("people", people, "nguoi.json"), ("tasks", tasks, "nhiem-vu.json"),
                             ("inputs", inputs, "dau-vao.json")):  # fmt: skip
        report = import_rows(kind, rows, name, user=user, source_system=DEMO_SYSTEM)
        _check(report)
        out.imports.append(report)
    _ensure_accounts(out)
    if authenticate(DEMO_TOKEN) is None:
        create_token("HT", DEMO_SYSTEM, user=user, secret=DEMO_TOKEN)
        out.token_created = True
    return out


def _load_rulesets(rulesets_dir: str | None):
    from flask import current_app

    try:
        from .loader import load_shipped
    except ImportError:  # the loader is another part of the project
        return None
    return load_shipped(rulesets_dir or current_app.config["KPI_RULESETS_DIR"])


def _ensure_catalog(user: User, out: DemoReport) -> None:
    for scope, name, label, bounds in CATALOG:
        exists = db.session.scalar(
            db.select(FieldDefinition.id).where(FieldDefinition.scope == scope, FieldDefinition.name == name)
        )
        if exists is None:
            catalog.add_field(scope, name, label, "số", user=user, **bounds)
            out.notes.append(f'đã thêm trường "{label}" vào danh mục')


def _ensure_accounts(out: DemoReport) -> None:
    for username, password, role, unit, full_name, person_code in ACCOUNTS:
        person = (
            db.session.scalar(db.select(Person).where(Person.code == person_code)) if person_code else None
        )
        out.accounts.append((username, password, ROLE_LABELS[role], unit))
        if db.session.scalar(db.select(User.id).where(User.username == username)) is not None:
            continue
        account = create_user(
            username, password, role, unit, full_name or (person.full_name if person else "")
        )
        if person is not None:
            account.person_id = person.id
            db.session.flush()
        out.created_accounts.append(username)
