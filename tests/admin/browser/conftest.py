"""Browser tests: headless Chromium (Debian's `chromium`) driven by Playwright against `kpi serve --demo`
(gunicorn) started on a free port with a fresh SQLite database. Screenshots go to tests/screenshots/."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"kpi serve stopped (exit {process.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"kpi serve did not answer at {url}")


@pytest.fixture(scope="session")
def live_database(tmp_path_factory) -> str:
    """The database URL `server` serves (a journey may run `kpi` commands on it beside the server)."""
    return f"sqlite:///{tmp_path_factory.mktemp('kpi-live') / 'kpi.sqlite3'}"


@pytest.fixture(scope="session")
def server(live_database):
    """The base URL of `kpi serve --demo` on a fresh SQLite database (stopped at the end)."""
    work = Path(live_database.removeprefix("sqlite:///")).parent
    port = _free_port()
    env = dict(os.environ, DATABASE_URL=live_database, SECRET_KEY="browser-tests", KPI_ENV="development",
               KPI_SHEETS_FOLDER=str(work / "phieu-pdf"))  # fmt: skip
    kpi = Path(sys.executable).with_name("kpi")
    log = (work / "serve.log").open("w")
    process = subprocess.Popen(
        [str(kpi), "serve", "--demo", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "60"],
        stdout=log, stderr=subprocess.STDOUT, env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base + "/dang-nhap", process)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="module")
def chromium():
    """Chromium for one test module: Playwright keeps a thread while it runs, and other tests (the
    two-process file reader) need this process to have a single thread once the journeys are over."""
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    assert executable, "cần gói chromium (apt-get install -y chromium)"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, server):
    context = chromium.new_context(base_url=server, viewport={"width": 1366, "height": 900}, locale="vi-VN")
    context.set_default_timeout(15000)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    context.close()
    assert not errors, errors  # no JavaScript error on any page
