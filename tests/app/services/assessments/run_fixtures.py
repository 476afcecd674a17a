"""Shortcuts for the assessment run tests: scopes and a run that commits like the CLI."""

from __future__ import annotations


def everything():
    from app.services.scope import Scope

    return Scope.everything()


def scope_of(username: str):
    from app.extensions import db
    from app.models import User
    from app.services.scope import Scope

    return Scope.of_user(db.session.scalar(db.select(User).where(User.username == username)))


def run(unit: str, period: str, **options):
    from app.extensions import db
    from app.services import assessments

    options.setdefault("scope", everything())
    report = assessments.run(unit, period, **options)
    db.session.commit()
    return report
