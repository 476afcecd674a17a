"""The home page, one per role: what the user may do, the figures of their scope and what needs them
(adoptions made outdated by a newer province version)."""

from __future__ import annotations

from flask import current_app, redirect, request, url_for
from flask_admin import AdminIndexView, expose
from flask_login import current_user

from app.extensions import db
from app.models import Person, Unit
from app.models.users import ROLE_LABELS

from ..security import current_db_user, current_scope


class HomeView(AdminIndexView):
    def is_accessible(self) -> bool:
        return current_user.is_authenticated

    def inaccessible_callback(self, name, **kwargs):
        return redirect(url_for("auth.login", next=request.full_path))

    @expose("/")
    def index(self):
        user = current_db_user()
        if user.role == "official" and user.person_id is not None:  # an official's home is their own page
            return redirect(url_for("me.index"))
        scope = current_scope()
        figures = {}
        if user.role != "official":
            figures["units"] = db.session.scalar(
                db.select(db.func.count(Unit.id)).where(scope.where_unit(Unit.id))
            )
            figures["people"] = db.session.scalar(
                db.select(db.func.count(Person.id)).where(scope.where_unit(Person.unit_id))
            )
        me = db.session.get(Person, user.person_id) if user.person_id else None
        return self.render(
            "admin/kpi_home.html",
            user=user,
            role_label=ROLE_LABELS.get(user.role, user.role),
            figures=figures,
            me=me,
            outdated=_outdated(user, scope),
            admin_endpoints=set(current_app.view_functions),
        )


def _outdated(user, scope) -> list:
    """Adoptions in the user's scope whose province version has a newer published one."""
    if user.role not in ("province_admin", "ward_admin"):
        return []
    from app.services.adoption import needs_review

    return [item for item in needs_review() if item.unit is not None and scope.sees_unit(item.unit.id)]
