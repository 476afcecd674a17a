"""Dashboards (bảng điều khiển): the level distribution per unit against its quota, the monthly trend,
the criteria averages per unit and duty group, and which units have not run, decided or published the
period; a province's administrator sees the same across its wards and may open any of them.

Thin over `app.services.assessments.dashboards` (scope-limited there: another ward's code → 403). The
charts (Chart.js, vendored) draw from the JSON embedded in the page; a table under each chart holds the
same numbers. `/api/du-lieu` gives that JSON to other tools."""

from __future__ import annotations

from flask import jsonify, request
from flask_admin import expose

from app.services.assessments import dashboards
from app.transaction import transaction

from ..security import STAFF, current_scope
from .base import ScopedPage


def _page() -> int:
    return request.args.get("trang", 1, type=int) or 1


def _board():
    """The request's dashboard, the figures of the page asked for; its one commit stores the summaries of
    older revisions it read."""
    with transaction():
        board = dashboards.build(current_scope(), request.args.get("don_vi"), request.args.get("ky"), _page())
        return board, dashboards.to_json(board, board.shown)


class DashboardView(ScopedPage):
    roles = STAFF

    @expose("/")
    def index(self):
        board, data = _board()
        return self.render(
            "admin/kpi_dash.html",
            board=board,
            data=data,
            progress_labels=dashboards.PROGRESS_LABELS,
            page=data["page"],
            rows=board.page(board.shown),
            unit_averages=[(f"{r.code} — {r.name}", r.averages) for r in board.page(board.shown)],
        )

    @expose("/api/du-lieu")
    def data(self):
        return jsonify(_board()[1])
