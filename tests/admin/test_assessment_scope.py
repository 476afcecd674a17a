"""Every assessment URL with an id, tried by both wards' evaluators and administrators, the province, the
officials and nobody: another ward's assessment is 404 (as a missing one), officials 403, never a 500."""

from __future__ import annotations

import pytest

GETS = ("/", "/tien-do", "/dau-vao", "/ket-qua", "/ket-qua.xlsx", "/ket-qua?sap_xep=diem&giam=1&nhom=x")
POSTS = ("/chay", "/huy", "/dau-vao", "/phieu-danh-gia")
# user -> ward whose assessments they may open (None: every ward; "" : none, 403)
USERS = {"hacthanh.danhgia": "HT", "hacthanh.quantri": "HT", "dongson.danhgia": "DS", "dongson.quantri": "DS",
         "tinh.quantri": None, "HT0012": "", "DS0012": ""}  # fmt: skip


@pytest.fixture(scope="module")
def ids(web):
    """One stored assessment per ward (2026-01), run through the services."""
    from app.extensions import db
    from app.models import User
    from app.services import assessments
    from app.services.scope import Scope

    out = {}
    with web.app_context():
        for ward, username in (("HT", "hacthanh.danhgia"), ("DS", "dongson.danhgia")):
            user = db.session.scalar(db.select(User).where(User.username == username))
            report = assessments.run(ward, "2026-01", scope=Scope.of_user(user), user=user)
            db.session.commit()
            out[ward] = report.assessment.id
        db.session.remove()
    return out


@pytest.fixture(scope="module")
def sheets_jobs(web, ids, tmp_path_factory):
    """One finished PDF-of-every-sheet job per ward, built for its evaluator."""
    from support import Browser

    from app.services.assessments import web_runs

    web.config["KPI_SHEETS_FOLDER"] = str(tmp_path_factory.mktemp("phieu"))
    out = {}
    for ward, username in (("HT", "hacthanh.danhgia"), ("DS", "dongson.danhgia")):
        b = Browser(web)
        b.login(username)
        started = b.post(f"/admin/danh-gia/{ids[ward]}/phieu-danh-gia", data={"csrf_token": b.token()})
        out[ward] = int(started.headers["Location"].rpartition("phieu=")[2])
        assert web_runs.wait(out[ward], 300)
    return out


def _expected(username: str, ward: str, method: str, path: str) -> set[int]:
    allowed = USERS[username]
    if allowed == "":
        return {403}
    if allowed is not None and allowed != ward:
        return {404}
    if method == "GET":
        return {200}
    return {302, 409} if path not in ("/dau-vao", "/phieu-danh-gia") else {302}


CASES = [(u, w, m, p) for u in USERS for w in ("HT", "DS") for m, paths in (("GET", GETS), ("POST", POSTS))
         for p in paths]  # fmt: skip


@pytest.mark.parametrize(("username", "ward", "method", "path"), CASES)
def test_assessment_urls_by_role_and_ward(browser, ids, username, ward, method, path):
    b = browser(username)
    url = f"/admin/danh-gia/{ids[ward]}{path}"
    if method == "GET":
        response = b.get(url)
    else:
        if path == "/chay" and _expected(username, ward, method, path) & {302}:
            url = url.replace("/chay", "/huy")  # an allowed run is not wanted here (tested elsewhere)
        response = b.post(url, data={"csrf_token": b.token()}, headers={"X-CSRFToken": b.token()})
    assert response.status_code in _expected(username, ward, method, path), (url, response.status_code)
    if response.status_code in (403, 404):
        body = response.get_data(as_text=True)
        assert f"{ward}00" not in body and "Traceback" not in body
    if path == "/phieu-danh-gia" and response.status_code == 302 and "phieu=" in response.headers["Location"]:
        from app.services.assessments import web_runs

        assert web_runs.wait(int(response.headers["Location"].rpartition("phieu=")[2]), 300)


@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize("ward", ("HT", "DS"))
@pytest.mark.parametrize("suffix", ("", ".pdf"))
def test_sheets_job_urls_by_user_and_ward(browser, ids, sheets_jobs, username, ward, suffix):
    """A ward evaluator's PDF job (progress and file): theirs only; another ward, a colleague or the
    province 404, officials 403; a job id under the other ward's assessment 404 too."""
    owner = {"HT": "hacthanh.danhgia", "DS": "dongson.danhgia"}[ward]
    b = browser(username)
    url = f"/admin/danh-gia/{ids[ward]}/phieu-danh-gia/{sheets_jobs[ward]}{suffix}"
    expected = 403 if USERS[username] == "" else 200 if username == owner else 404
    response = b.get(url)
    assert response.status_code == expected, (url, response.status_code)
    if expected == 200 and suffix:
        assert response.data.startswith(b"%PDF")
    other = "DS" if ward == "HT" else "HT"
    crossed = b.get(f"/admin/danh-gia/{ids[other]}/phieu-danh-gia/{sheets_jobs[ward]}{suffix}")
    assert crossed.status_code == (403 if USERS[username] == "" else 404)


def test_foreign_run_is_refused_and_starts_nothing(browser, web, ids):
    from app.services.assessments import progress

    b = browser("dongson.danhgia")
    response = b.post(f"/admin/danh-gia/{ids['HT']}/chay", data={"csrf_token": b.token()})
    assert response.status_code == 404
    with web.app_context():
        assert progress.jobs(5, assessment_id=ids["HT"]) == []


def test_foreign_job_id_and_unknown_ids(browser, web, ids):
    from app.services.assessments import progress

    with web.app_context():
        ds_job = progress.queue("DS", "2026-01", "test", ids["DS"])
        progress.fail(ds_job, "thử")
    b = browser("hacthanh.danhgia")
    assert b.get(f"/admin/danh-gia/{ids['HT']}/tien-do?job={ds_job}").status_code == 404
    assert b.get(f"/admin/danh-gia/{ids['DS']}/tien-do?job={ds_job}").status_code == 404
    assert b.get("/admin/danh-gia/999999/").status_code == 404
    assert b.get("/admin/danh-gia/999999/ket-qua.xlsx").status_code == 404


def test_anonymous_goes_to_sign_in(browser, ids):
    b = browser()
    for path in (*GETS, "/phieu-danh-gia/1", "/phieu-danh-gia/1.pdf"):
        response = b.get(f"/admin/danh-gia/{ids['HT']}{path}")
        assert response.status_code == 302 and response.headers["Location"].startswith("/dang-nhap")
