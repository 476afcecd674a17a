"""Publishing a draft from its page, in two steps: the form (legal bases with their articles, the effective
date) → a preview (why it would be refused: errors, failing tests, no legal basis; else the what-if
impact on the last stored period, or the data it would run on) → the final confirmation. The checks live
in `app.services.versions` (one home for CLI, API and admin); the impact in `app.services.impact`."""

from __future__ import annotations

import datetime as dt
import re

from flask import flash, redirect, request, url_for
from flask_admin import expose

from app.extensions import db
from app.services import impact, versions
from app.services.errors import ServiceError
from app.transaction import transaction

from ..i18n import parse_vn_date
from ..security import current_db_user, current_scope

ARTICLE_SPLIT = re.compile(r"[,;\s]+")


def parse_date(text: str) -> dt.date | None:
    """The form's date (dd/mm/yyyy, `admin.i18n.parse_vn_date`); ServiceError when unreadable."""
    try:
        return parse_vn_date(text)
    except ValueError as exc:
        raise ServiceError(str(exc)) from None


def form_bases() -> list[tuple[str, list[str]]]:
    """The (document, articles) rows of the publish form."""
    documents = request.form.getlist("basis_document")
    articles = request.form.getlist("basis_articles")
    articles = (articles + [""] * len(documents))[: len(documents)]
    return [
        (d, [a for a in ARTICLE_SPLIT.split(arts or "") if a])
        for d, arts in zip(documents, articles, strict=True)
    ]


def preset_bases(version) -> list[dict]:
    """The form's rows: the draft's own legal bases, else those of the version it adopts; one empty row."""
    links = list(version.legal_bases) or (
        list(version.adoption.adopted.legal_bases) if version.adoption else []
    )
    rows = [
        {"document": link.legal_basis.number, "articles": ", ".join(link.articles or [])} for link in links
    ]
    return rows + [{"document": "", "articles": ""}]


class PublishMixin:
    """Mixed into VersionPages (endpoint "ruleset"): needs `_managed` and `render`."""

    @expose("/phien-ban/<int:version_id>/cong-bo/xem-truoc", methods=["POST"])
    def publish_preview(self, version_id: int):
        version = self._managed(version_id)
        bases = form_bases()
        start_text = request.form.get("effective_from", "").strip()
        problems: list[str] = []
        found = None
        try:
            start = parse_date(start_text)
            source, problems = versions.publish_preview(version.id, current_db_user(), bases)
            if not problems:
                found = impact.of_publish(
                    source, version.ruleset.owner_unit, scope=current_scope(), filename=version.filename
                )
        except ServiceError as exc:
            problems = [exc.message, *exc.details]
            start = None
        db.session.rollback()  # a preview writes nothing
        rows = [{"document": d, "articles": ", ".join(a)} for d, a in bases if d.strip() or a]
        return self.render(
            "admin/kpi_publish.html",
            version=version,
            bases=rows,
            effective_from=start.strftime("%d/%m/%Y") if start else start_text,
            problems=problems,
            impact=found,
        ), (400 if problems else 200)

    @expose("/phien-ban/<int:version_id>/cong-bo", methods=["POST"])
    def publish(self, version_id: int):
        version = self._managed(version_id)
        if request.form.get("confirm") != "yes":
            flash(
                "Hãy xem trước ảnh hưởng rồi xác nhận căn cứ pháp lý và ngày hiệu lực trước khi công bố.",
                "error",
            )
            return redirect(url_for(".version", version_id=version.id))
        bases = form_bases() if "basis_document" in request.form else None
        try:
            start = parse_date(request.form.get("effective_from", ""))
            with transaction():
                done = versions.publish(version.id, current_db_user(), start, legal_bases=bases)
        except ServiceError as exc:
            db.session.rollback()
            flash("Chưa công bố: " + str(exc), "error")
            return redirect(url_for(".version", version_id=version.id))
        flash(f"Đã công bố {done.ruleset.code}@{done.version}.", "success")
        return redirect(url_for(".version", version_id=done.id))
