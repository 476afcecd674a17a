"""Legal bases (căn cứ pháp lý) and their articles.

Decision: a ruleset header may cite a basis the database does not know yet; saving the version creates
it with its number only (`ensure`), and its articles from the header. Full details (title, issuer,
dates) come from `upsert` (bundles, the admin). So validation never fails for an unknown basis."""

from __future__ import annotations

import datetime as dt

from dsl.text import canon

from ..extensions import db
from ..models import LegalArticle, LegalBasis, User
from ..tabular.errors import shorten
from . import audit
from .errors import ServiceError


def fits(value: object, column, what: str) -> str:
    """`value` as text if it fits the String(n) `column` (both databases alike), else ServiceError."""
    text = "" if value is None else str(value)
    limit = column.type.length
    if limit is not None and len(text) > limit:
        raise ServiceError(f'{what} "{shorten(text)}" dài {len(text)} ký tự; tối đa {limit} ký tự')
    return text


def find(number: str) -> LegalBasis | None:
    return db.session.scalar(db.select(LegalBasis).where(LegalBasis.number == canon(number.strip())))


def list_all() -> list[LegalBasis]:
    return list(db.session.scalars(db.select(LegalBasis).order_by(LegalBasis.number)))


def _add_articles(basis: LegalBasis, articles) -> None:
    known = {a.number for a in basis.articles}
    for number in articles:
        number = str(number).strip()
        if number and number not in known:
            basis.articles.append(LegalArticle(number=fits(number, LegalArticle.number, "số điều")))
            known.add(number)


def ensure(number: str, articles=(), *, user: User) -> LegalBasis:
    """The basis with this number, created (number only) when missing; adds missing articles. Does not
    commit."""
    basis = find(number)
    if basis is None:
        basis = LegalBasis(number=fits(canon(number.strip()), LegalBasis.number, "số hiệu căn cứ pháp lý"))
        db.session.add(basis)
        _add_articles(basis, articles)
        db.session.flush()
        audit.record("legal_basis.create", "legal_bases", basis.id, user=user, after=audit.snapshot(basis))
    else:
        _add_articles(basis, articles)
    return basis


def upsert(
    number: str,
    *,
    user: User,
    title: str | None = None,
    issuer: str | None = None,
    issued_on: dt.date | None = None,
    effective_on: dt.date | None = None,
    articles: list[dict] | None = None,
) -> LegalBasis:
    """Create or complete a basis (empty fields are filled, given values replace). Does not commit."""
    basis = ensure(number, user=user)
    before = audit.snapshot(basis)
    for attr, value in (
        ("title", title),
        ("issuer", issuer),
        ("issued_on", issued_on),
        ("effective_on", effective_on),
    ):
        if value is not None and value != "":
            if attr in ("title", "issuer"):
                value = fits(
                    value, getattr(LegalBasis, attr), "tên" if attr == "title" else "cơ quan ban hành"
                )
            setattr(basis, attr, value)
    for art in articles or ():
        number_ = str(art.get("number", "")).strip()
        if not number_:
            continue
        existing = next((a for a in basis.articles if a.number == number_), None)
        if existing is None:
            existing = LegalArticle(number=fits(number_, LegalArticle.number, "số điều"))
            basis.articles.append(existing)
        existing.title = fits(art.get("title") or existing.title or "", LegalArticle.title, "tên điều")
        existing.text = art.get("text") or existing.text or ""
    db.session.flush()
    after = audit.snapshot(basis)
    if after != before:
        audit.record("legal_basis.update", "legal_bases", basis.id, user=user, before=before, after=after)
    return basis


def to_json(basis: LegalBasis) -> dict:
    return {
        "number": basis.number,
        "title": basis.title,
        "issuer": basis.issuer,
        "issued_on": basis.issued_on.isoformat() if basis.issued_on else None,
        "effective_on": basis.effective_on.isoformat() if basis.effective_on else None,
        "articles": [{"number": a.number, "title": a.title, "text": a.text} for a in basis.articles],
    }
