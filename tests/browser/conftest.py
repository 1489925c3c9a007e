"""A real server process with demo data, and Debian's chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
CHROMIUM = "/usr/bin/chromium"
PASSWORDS: dict[str, str] = {}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(autouse=True)
def db() -> None:
    """The browser tests use their own server and database; no per-test truncation here (and no event
    loop, which Playwright's sync API would collide with)."""


def demo_settings() -> dict[str, str]:
    """The demo's settings, as scripts/demo sets them (the fictional government and site identity)."""
    lines = (ROOT / "scripts" / "demo.env").read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("live")
    env = {**demo_settings(), **os.environ, "CONSULT_DATA_DIR": str(data)}
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "consult", "migrate"], env=env, check=True, capture_output=True, timeout=120)
    demo = subprocess.run(
        [sys.executable, "-m", "consult", "demo"], env=env, check=True, capture_output=True, text=True, timeout=120
    )
    # The demo prints each staff account with its password once; the browser logs in with them.
    PASSWORDS.update(line.split()[:2] for line in demo.stdout.splitlines() if line.startswith("  "))
    port = _free_port()
    log = (Path(data) / "server.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "consult", "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            log.close()
            raise RuntimeError("the server did not start: " + (Path(data) / "server.log").read_text())
        time.sleep(0.1)  # polling a starting process, not waiting on the app's clock
    yield base
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


@pytest.fixture(scope="session")
def staff_passwords(live_server: str) -> dict[str, str]:
    return PASSWORDS


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    # Module scope: Playwright's sync API keeps an event loop of its own while it runs, which the
    # async tests of later modules must not find still open.
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("chromium is missing in CI: .ci/run installs it with apt-get")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
