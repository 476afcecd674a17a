"""The boundary of a user action: its one commit or rollback. Services flush and never commit; the CLI
command (`app.cli.appctx.with_app`), the API request (`app.api.transaction`) and the admin view call these.
"""

from __future__ import annotations

from contextlib import contextmanager

from .extensions import db


@contextmanager
def transaction():
    """Commit what the block did when it ends normally; roll everything back when it raises (also a
    CliError or a refused ServiceError), so a failing action leaves nothing behind."""
    try:
        yield db.session
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()
