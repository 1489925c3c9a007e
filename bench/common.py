"""What every benchmark needs: a fresh database URL and a real server process on 127.0.0.1."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2 as httpx

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
OUT.mkdir(parents=True, exist_ok=True)  # benches write their logs and data here


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url(name: str) -> str:
    """DATABASE_URL when set (e.g. PostgreSQL), else a new SQLite file under bench/out/."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    path = OUT / f"{name}.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite://{path}?busy_timeout=15000&synchronous=NORMAL&journal_mode=WAL&wal_autocheckpoint=10000"


def start_server(url: str) -> tuple[subprocess.Popen[bytes], str]:
    """uvicorn with one worker and no background job, ready when it answers /healthz (30 s at most)."""
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "consult.app:create_app",
            "--factory",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env={**os.environ, "DATABASE_URL": url, "CONSULT_TICK_SECONDS": "0", "CONSULT_FORM_LIMITS": "0"},
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return server, base
        except httpx.HTTPError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("the server did not start")
