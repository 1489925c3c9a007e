"""A real `consult serve` process with demo data, on the database this pass tests, for schemathesis."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
import schemathesis

from tests.conftest import BACKEND, PG_SERVER, _create_pg_database, _drop_pg_database

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def db() -> None:
    """This server has its own database; no per-test truncation (and no event loop: hypothesis drives)."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _consult(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "consult", *args], env=env, cwd=ROOT, check=True, capture_output=True)


@pytest.fixture(scope="session")
def api_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    name = None
    if BACKEND == "postgres":  # its own UTF-8 database, made and dropped as the suite's is
        name = asyncio.run(_create_pg_database())
        url = f"{PG_SERVER}/{name}"
    else:
        url = f"sqlite://{tmp_path_factory.mktemp('schema') / 'api.sqlite3'}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "CONSULT_TICK_SECONDS": "0",
        # Thousands of generated submissions from one address: the limits would answer 429 to most.
        "CONSULT_FORM_LIMITS": "0",
        "CONSULT_API_COMMENTS_PER_MINUTE": "1000000",
    }
    _consult(env, "migrate")
    _consult(env, "demo")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "consult", "serve", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise RuntimeError("consult serve did not start")
        yield base
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=20)
        # Every unhandled error is logged with its type; none may have happened.
        assert "unhandled" not in errors, errors[-3000:]
        if name is not None:
            asyncio.run(_drop_pg_database(name))


@pytest.fixture(scope="session")
def api_schema(api_server: str) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(f"{api_server}/api/v1/openapi.json")
