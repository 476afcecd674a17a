"""The PDF of every official's sheet written for the web admin's background job: progress per person,
the file in place only when whole, old files removed, the user it was built for read back from the
progress row's owner, and a clear refusal when the assessment has not run."""

from __future__ import annotations

import os
import time
from types import SimpleNamespace

import pytest
from run_fixtures import run

from app.services.errors import ServiceError


def _user(username: str):
    from app.extensions import db
    from app.models import User

    return db.session.scalar(db.select(User).where(User.username == username))


def test_build_reports_each_person_and_writes_the_file(demo, tmp_path):
    from app.services.assessments import sheet_files
    from app.services.scope import Scope

    a = run("HT", "2026-01").assessment
    old = tmp_path / "phieu-1.pdf"
    old.write_bytes(b"%PDF old")
    day_ago = time.time() - (sheet_files.KEEP_HOURS + 1) * 3600
    os.utime(old, (day_ago, day_ago))
    seen = []
    user = _user("hacthanh.danhgia")
    count = sheet_files.build(a, user=user, scope=Scope.of_user(user), folder=tmp_path, job_id=7,
                              progress=lambda done, total: seen.append((done, total)))  # fmt: skip
    assert count == 60 and seen == [(i, 60) for i in range(1, 61)]
    target = sheet_files.file_of(tmp_path, 7)
    assert target.read_bytes().startswith(b"%PDF") and not old.exists()
    assert sorted(p.name for p in tmp_path.glob("phieu-*")) == ["phieu-7.pdf"]  # no partial file left


def test_owner_names_the_user_and_marks_the_row():
    from app.services.assessments import sheet_files

    owner = sheet_files.owner_of("hacthanh.danhgia", "may-chu:123")
    assert owner.startswith(sheet_files.SHEETS)
    assert sheet_files.user_of(SimpleNamespace(owner=owner)) == "hacthanh.danhgia"
    assert sheet_files.user_of(SimpleNamespace(owner="hacthanh.danhgia@may-chu:123")) is None  # a run


def test_not_run_yet_is_refused(demo, tmp_path):
    from app.services.assessments import drafts, sheet_files
    from app.services.scope import Scope

    a = drafts.create("HT", "2026-03", scope=Scope.everything(), user=_user("hacthanh.danhgia"))
    with pytest.raises(ServiceError, match="chưa có kết quả: hãy chạy đánh giá trước"):
        sheet_files.build(a, user=None, scope=Scope.everything(), folder=tmp_path, job_id=1)
    assert not any(tmp_path.glob("phieu-*"))
