"""The admin menu: which views exist, under which Vietnamese names and URLs."""

from __future__ import annotations

from flask_admin import Admin

from app.models import (
    FieldDefinition,
    LegalBasis,
    PeriodInput,
    Person,
    Position,
    RulesetVersion,
    StandardProduct,
    Task,
    Unit,
)

from . import assessment_workflow, dashboards, data, editor, imports, me, rulesets, versions
from .home import HomeView

DATA = "Dữ liệu"
CATALOGS = "Danh mục"
RULES = "Bộ quy tắc"


def home_view() -> HomeView:
    return HomeView(name="Trang chủ", url="/admin", endpoint="admin")


def add_views(admin: Admin) -> None:
    admin.add_view(me.MyPage(name="Trang của tôi", endpoint="me", url="cua-toi"))
    admin.add_view(data.UnitView(Unit, "Đơn vị", CATALOGS, endpoint="units", url="don-vi"))
    admin.add_view(
        data.PositionView(Position, "Vị trí việc làm", CATALOGS, endpoint="positions", url="vi-tri")
    )
    admin.add_view(
        data.StandardProductView(
            StandardProduct, "Sản phẩm chuẩn", CATALOGS, endpoint="products", url="san-pham-chuan"
        )
    )
    admin.add_view(
        data.FieldView(FieldDefinition, "Danh mục trường", CATALOGS, endpoint="fields", url="truong")
    )
    admin.add_view(
        data.LegalBasisView(LegalBasis, "Căn cứ pháp lý", CATALOGS, endpoint="legal", url="can-cu")
    )
    admin.add_view(data.PersonView(Person, "Cán bộ", DATA, endpoint="people", url="can-bo"))
    admin.add_view(data.TaskView(Task, "Nhiệm vụ", DATA, endpoint="tasks", url="nhiem-vu"))
    admin.add_view(
        data.PeriodInputView(PeriodInput, "Đầu vào theo kỳ", DATA, endpoint="inputs", url="dau-vao")
    )
    admin.add_view(imports.ImportView(name="Nhập dữ liệu", category=DATA, endpoint="imports", url="nhap"))
    admin.add_view(
        rulesets.VersionListView(
            RulesetVersion, "Danh sách phiên bản", RULES, endpoint="rulesets", url="bo-quy-tac"
        )
    )
    admin.add_view(editor.EditorView(name="Soạn thảo", category=RULES, endpoint="editor", url="soan-thao"))
    admin.add_view(
        versions.VersionPages(name="So sánh phiên bản", category=RULES, endpoint="ruleset", url="quy-tac")
    )
    assessment_workflow.add_views(admin)
    admin.add_view(
        dashboards.DashboardView(name="Bảng điều khiển", endpoint="dashboards", url="bang-dieu-khien")
    )
