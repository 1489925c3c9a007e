"""Comment load and faults against real server processes on 127.0.0.1.

    .venv/bin/python bench/load.py [--clients 200] [--seconds 60] [--kill-at 30]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/consult_load .venv/bin/python bench/load.py --workers 4
    DATABASE_URL=… .venv/bin/python bench/load.py --workers 4 --restart-postgres-at 30

Each client loads the consultation page once (for the CSRF cookie), then submits comments through
the real form as fast as the server answers, each with its own text. A 303 to a receipt is an
acknowledged comment. Afterwards every acknowledged receipt must be in the database (zero lost) and
no text may be stored twice; SQLite must pass its integrity check.

--kill-at S kills the server's whole process group with SIGKILL at S seconds and starts it again
(the clients see connection errors meanwhile). --restart-postgres-at S restarts the PostgreSQL
cluster (pg_ctlcluster, as root) at S seconds: the app must answer 503 while the database is down
and recover by itself. Printed: throughput, p50/p95/p99 latency, errors by kind, downtime. The
server's own log goes to bench/out/load-server.log.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sqlite3
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx2 as httpx  # noqa: E402

from bench.common import OUT, database_url, free_port  # noqa: E402
from consult.backup import sqlite_file  # noqa: E402


def consult(url: str, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": url}
    done = subprocess.run(
        [sys.executable, "-m", "consult", *args], env=env, capture_output=True, text=True, check=True, cwd=ROOT
    )
    return done.stdout


class Server:
    """`consult serve` in its own process group, so SIGKILL takes every worker down at once."""

    def __init__(self, url: str, workers: int) -> None:
        self.url, self.workers, self.port = url, workers, free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        # The load generator is one address sending thousands of comments: lift the public forms limits.
        env = {**os.environ, "DATABASE_URL": self.url, "CONSULT_TICK_SECONDS": "0", "CONSULT_FORM_LIMITS": "0"}
        OUT.mkdir(parents=True, exist_ok=True)
        with (OUT / "load-server.log").open("a") as log:  # the children keep their own descriptor
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "consult", "serve", "--port", str(self.port), "--workers", str(self.workers)],
                env=env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)  # polling a starting process
        raise RuntimeError("the server did not start")

    def kill(self) -> None:
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=30)


async def client(
    n: int, server: Server, consultation: int, until: float, acks: list[str], latencies: list[float], errors: Counter
) -> None:
    seq = 0
    token = ""
    async with httpx.AsyncClient(base_url=server.base, timeout=30) as http:
        while time.monotonic() < until:
            try:
                if not token or "consult_csrf" not in http.cookies:
                    # The form's token is in every page the server renders for this visitor's cookie.
                    page = (await http.get("/receipts")).text
                    token = page.split('"X-CSRF-Token": "', 1)[1].split('"', 1)[0]
                seq += 1
                body = f"负载测试第{n}号客户端的第{seq}条意见：建议延长免费停车时间，方便群众办事。"
                started = time.perf_counter()
                response = await http.post(
                    f"/consultations/{consultation}/comments",
                    data={
                        "csrf_token": token,
                        "body": body,
                        "category": "citizen",
                        "name": "负载",
                        "phone": f"139{n:04d}{seq:04d}"[:11],
                    },
                )
                latencies.append(time.perf_counter() - started)
                if response.status_code == 303 and "/receipts/" in response.headers.get("location", ""):
                    acks.append(response.headers["location"].split("/receipts/")[1].split("?")[0])
                else:
                    errors[f"HTTP {response.status_code}"] += 1
                    await asyncio.sleep(0.2)  # a refused or failing server: back off a little
            except httpx.HTTPError as exc:
                errors[type(exc).__name__] += 1
                await asyncio.sleep(0.2)  # the server is down (killed, restarting): back off a little


async def watch_health(server: Server, until: float, samples: list[tuple[float, int]]) -> None:
    async with httpx.AsyncClient(base_url=server.base, timeout=2) as http:
        while time.monotonic() < until:
            try:
                status = (await http.get("/healthz")).status_code
            except httpx.HTTPError:
                status = 0
            samples.append((time.monotonic(), status))
            await asyncio.sleep(0.25)  # a sampling interval, not a wait on the app


def stored(url: str) -> tuple[set[str], int, str]:
    """Receipt codes in the database, texts stored more than once, and SQLite's integrity verdict."""
    path = sqlite_file(url)
    query = "SELECT receipt_code, body FROM comment WHERE body LIKE '负载测试%'"
    if path is not None:
        with sqlite3.connect(path) as db:
            rows = db.execute(query).fetchall()
            verdict = db.execute("PRAGMA integrity_check").fetchone()[0]
    else:
        import asyncpg

        async def fetch() -> list:
            conn = await asyncpg.connect(url)
            try:
                return await conn.fetch(query)
            finally:
                await conn.close()

        rows, verdict = [tuple(r) for r in asyncio.run(fetch())], "n/a (PostgreSQL)"
    bodies = Counter(body for _, body in rows)
    return {code for code, _ in rows}, sum(n - 1 for n in bodies.values() if n > 1), verdict


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--kill-at", type=float, default=None)
    parser.add_argument("--restart-postgres-at", type=float, default=None)
    args = parser.parse_args()
    url = database_url("load")
    if url.startswith("sqlite") and args.workers > 1:
        parser.error("SQLite is served by one worker")
    consult(url, "migrate")
    consult(url, "demo", "--if-empty")
    server = Server(url, args.workers)
    server.start()
    open_ones = httpx.get(f"{server.base}/api/v1/consultations?status=open").json()["data"]
    consultation = open_ones[0]["id"]
    acks: list[str] = []
    latencies: list[float] = []
    errors: Counter = Counter()
    health: list[tuple[float, int]] = []

    async def run() -> float:
        started = time.monotonic()
        until = started + args.seconds
        tasks = [
            asyncio.create_task(client(n, server, consultation, until, acks, latencies, errors))
            for n in range(args.clients)
        ]
        tasks.append(asyncio.create_task(watch_health(server, until, health)))
        if args.kill_at is not None:
            await asyncio.sleep(args.kill_at)  # the moment of the fault, on the benchmark's own clock
            print(f"  SIGKILL to the server after {len(acks):,} acknowledged comments")
            await asyncio.to_thread(server.kill)
            await asyncio.to_thread(server.start)
            print(f"  restarted after {time.monotonic() - started - args.kill_at:.1f} s")
        if args.restart_postgres_at is not None:
            await asyncio.sleep(args.restart_postgres_at)
            print("  restarting PostgreSQL")
            await asyncio.to_thread(
                subprocess.run, ["pg_ctlcluster", "15", "main", "restart", "--mode=fast"], check=True
            )
        await asyncio.gather(*tasks)
        return time.monotonic() - started

    elapsed = asyncio.run(run())
    server.stop()
    codes, duplicates, verdict = stored(url)
    lost = [code for code in acks if code not in codes]
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000

    down = [t for t, status in health if status != 200]
    statuses = Counter(status for _, status in health)
    print(f"{url.split(':', 1)[0]}, {args.workers} worker(s), {args.clients} clients, {elapsed:.0f} s:")
    print(f"  acknowledged comments: {len(acks):,} ({len(acks) / elapsed:.0f}/s)")
    if latencies:
        p50 = statistics.median(latencies) * 1000
        print(f"  latency p50 {p50:.0f} ms, p95 {pct(0.95):.0f} ms, p99 {pct(0.99):.0f} ms")
    print(f"  errors: {dict(errors) or 'none'}")
    print(f"  health checks: {dict(statuses)}; not 200 for {len(down) * 0.25:.1f} s")
    print(f"  lost (acknowledged, not stored): {len(lost)}; stored twice: {duplicates}; integrity: {verdict}")
    if lost or duplicates:
        sys.exit(1)


if __name__ == "__main__":
    main()
