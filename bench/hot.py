"""A hot consultation at full speed: the consultation page and the comment form under a surge.

    .venv/bin/python bench/hot.py                                   # SQLite, one worker each
    createdb -U postgres -T template0 -E UTF8 --lc-collate=C.UTF-8 --lc-ctype=C.UTF-8 consult_hot
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/consult_hot .venv/bin/python bench/hot.py --workers 2

Seeds one consultation with 100,000 comments (bench/consultation_page.py's seed, with the texts of
bench/grouping_data.py: campaigns copied with edits, and people's own comments) and has the worker
group them, then serves the bare reference page (bench/bare_app.py) and consult side by side, with the
same uvicorn settings and worker count, and drives both with wrk (Debian package), one after the other:

- the bare page, then consult's consultation page (first page, page 4,000, the article filter),
  8 connections each, and the first page once more from a server whose page cache is off;
- comment submission through the real form (bench/wrk/submit.lua): 200 connections, each comment with
  its own form token, phone and client address, the form limits on, and a text like the seeded ones;
  once as fast as the server answers (the most it takes), once paced at `--paced-rate` (1,100 a
  second: the job queue's lag at a steady surge, when the web workers do not take every core).

It prints one table (requests a second, p50 and p99, and the share of the bare page), the job queue's
greatest lag during the submission run and how long it took to drain after it, the server's memory,
and then checks the database: every acknowledged comment stored once, and grouped exactly once.
`--submit-seconds 600` is the ten-minute run for memory; `--profile` samples the server's processes
during the submission run (py-spy) and prints where their time goes.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx2 as httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import OUT, database_url, free_port  # noqa: E402
from bench.consultation_page import seed  # noqa: E402
from bench.grouping_data import generate  # noqa: E402
from bench.profile import record, summarise  # noqa: E402

WRK = shutil.which("wrk")


@dataclass
class Row:
    name: str
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    note: str = ""


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(base: str, path: str, name: str, *, connections: int, seconds: int, script: str = "", args=()) -> Row:
    command = [WRK, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if script:
        command += ["-s", str(ROOT / "bench" / "wrk" / script)]
    command += [base + (path if not script else ""), *(["--", path, *args] if script else [])]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = int(bad.group(1)) if bad else 0
    errors += sum(int(n) for n in socket_errors.groups()) if socket_errors else 0
    return Row(name, rps, p50, p99, errors)


class Server:
    def __init__(self, name: str, command: list[str], env: dict[str, str]) -> None:
        self.name, self.port = name, free_port()
        self.log = open(OUT / f"hot-{name}.log", "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [*command, "--port", str(self.port)],
            env={**os.environ, **env},
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx.get(self.base + "/", timeout=2)
                return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError(f"{name} did not start; see {self.log.name}")

    def memory_mb(self) -> float:
        """Resident memory of the server and its workers."""
        pids = [self.process.pid]
        children = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True)
        pids += [int(p) for p in children.stdout.split()]
        total = 0
        for pid in pids:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except FileNotFoundError:
                continue
            total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
        return total / 1024

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)
        self.log.close()


def start_consult(url: str, workers: int, name: str, **env: str) -> Server:
    command = [sys.executable, "-m", "consult", "serve", "--workers", str(workers), "--no-access-log"]
    command += ["--forwarded-allow-ips", "127.0.0.1"]  # wrk's X-Forwarded-For stands for each citizen's address
    return Server(name, command, {"DATABASE_URL": url, "CONSULT_TICK_SECONDS": "0", **env})


def start_bare(workers: int) -> Server:
    command = [sys.executable, "-m", "uvicorn", "bench.bare_app:app", "--workers", str(workers)]
    return Server("bare", [*command, "--no-access-log", "--log-level", "warning"], {})


class QueueWatch(threading.Thread):
    """Samples the job queue every half second (how many wait, and how old the oldest is), and the
    server's memory every `memory_every` seconds (does it grow with the run, or level off?)."""

    def __init__(self, url: str, memory: Callable[[], float], memory_every: float = 60.0) -> None:
        super().__init__(daemon=True)
        self.url, self.stop_at, self.samples = url, None, []
        self.memory, self.memory_every, self.memory_samples = memory, memory_every, []

    def run(self) -> None:
        asyncio.run(self._watch())

    async def _watch(self) -> None:
        from consult import clock
        from consult.db import connect, disconnect
        from consult.jobs.queue import waiting

        await connect(self.url)
        started, next_memory = time.monotonic(), time.monotonic() + self.memory_every
        try:
            while self.stop_at is None or time.monotonic() < self.stop_at:
                count, oldest = await waiting(clock.now())
                self.samples.append((time.monotonic(), count, oldest))
                if self.stop_at is None and time.monotonic() >= next_memory:
                    self.memory_samples.append((time.monotonic() - started, self.memory()))
                    next_memory += self.memory_every
                if self.stop_at is not None and count == 0:
                    break
                await asyncio.sleep(0.5)
        finally:
            await disconnect()


async def grouped(url: str, consultation_id: int) -> float:
    """Queue a grouping job for every seeded comment, as the writer does for arrivals, and time the worker."""
    from consult import clock
    from consult.comments.events import GROUP_JOB
    from consult.comments.models import Comment
    from consult.db import connect, disconnect
    from consult.jobs.queue import enqueue, work_until_empty

    await connect(url)
    try:
        ids = await Comment.filter(consultation_id=consultation_id).order_by("id").values_list("id", flat=True)
        await enqueue(GROUP_JOB, [(consultation_id, cid) for cid in ids])
        started = time.perf_counter()
        await work_until_empty(clock.now, max_seconds=600)
        return time.perf_counter() - started
    finally:
        await disconnect()


async def analyze(url: str) -> None:
    """PostgreSQL: statistics and the visibility map after the bulk load, as autovacuum would give them
    within a minute on a production server. The server on these machines runs with autovacuum off, and
    the planner, left with no statistics, joins the similarity index by a full scan (400 ms a batch
    instead of 35 ms)."""
    if not url.startswith("postgres"):
        return
    from tortoise.connection import connections

    from consult.db import connect, disconnect

    await connect(url)
    try:
        await connections.get("default").execute_script("VACUUM ANALYZE")
    finally:
        await disconnect()


async def check(url: str, consultation_id: int, acknowledged: list[str], before: int) -> tuple[list[str], int, int]:
    """What the database says of the submission run; returns the problems found."""
    from consult.comments.models import Comment
    from consult.db import connect, disconnect
    from consult.groups.models import SimilarityKey
    from consult.groups.similarity import ALONE_BANDS, normalise
    from consult.jobs.models import Job

    await connect(url)
    try:
        problems = []
        stored = {}
        for start in range(0, len(acknowledged), 5000):
            chunk = acknowledged[start : start + 5000]
            stored.update(dict(await Comment.filter(receipt_code__in=chunk).values_list("receipt_code", "id")))
        missing = set(acknowledged) - set(stored)
        if missing:
            problems.append(f"{len(missing)} acknowledged comments are not stored")
        if len(set(acknowledged)) != len(acknowledged):
            problems.append(f"{len(acknowledged) - len(set(acknowledged))} receipts acknowledged twice")
        new = await Comment.filter(consultation_id=consultation_id, id__gt=before).values_list("id", "group_id", "body")
        if len(new) < len(set(acknowledged)):
            problems.append(f"{len(new)} comments stored for {len(set(acknowledged))} acknowledged")
        if await Job.all().count():
            problems.append(f"{await Job.all().count()} jobs still waiting")
        keys: dict[int, int] = {}
        for start in range(0, len(new), 5000):
            ids = [row[0] for row in new[start : start + 5000]]
            for cid in await SimilarityKey.filter(comment_id__in=ids).values_list("comment_id", flat=True):
                keys[cid] = keys.get(cid, 0) + 1
        # Grouped exactly once: a new comment is in a group, or alone with one set of keys.
        full = ALONE_BANDS.bands
        wrong = [cid for cid, group, body in new if normalise(body) and (group is None) != (keys.get(cid) == full)]
        wrong += [cid for cid, n in keys.items() if n != full]
        if wrong:
            problems.append(f"{len(set(wrong))} new comments not grouped exactly once")
        return problems, len(new), sum(1 for _, group, _ in new if group is not None)
    finally:
        await disconnect()


def submit(
    server: Server,
    url: str,
    consultation_id: int,
    page: str,
    script_args: list[str],
    *,
    clients: int,
    seconds: int,
    rate: int,
    profile: bool,
) -> tuple[Row, list[str], list[str]]:
    """One submission run (as fast as the clients go, or paced at about `rate` a second), then the
    queue's lag and the database's check; the row, the problems found and the notes."""
    label = f"{rate:,}/s" if rate else "as fast as answered"
    receipts_dir = OUT / "hot-receipts"
    shutil.rmtree(receipts_dir, ignore_errors=True)
    receipts_dir.mkdir(parents=True)
    before = asyncio.run(_last_comment_id(url))
    memory_before = server.memory_mb()
    watch = QueueWatch(url, server.memory_mb, memory_every=max(10.0, seconds / 10))
    watch.start()
    samples = OUT / "hot-profile.txt"
    sampler = record(server.process.pid, seconds, samples) if profile else None
    # A connection waits `pace` after each answer: the answer's own time (about 40 ms at such a rate,
    # the writer gathering a batch) is taken off, so that the rate reached is near the one asked for.
    pace_ms = max(0.0, clients * 1000 / rate - 40) if rate else 0
    started = time.monotonic()
    row = wrk(
        server.base,
        page,
        f"comment submission, {label}",
        connections=clients,
        seconds=seconds,
        script="submit.lua",
        args=(str(receipts_dir), *script_args, f"{pace_ms:.0f}"),
    )
    ended = time.monotonic()
    notes = [f"{label}:"]
    if sampler is not None:
        sampler.wait(timeout=120)
        notes += ["  profile of the run (py-spy, bench/profile.py):", *("  " + line for line in summarise(samples))]
    memory_after = server.memory_mb()
    watch.stop_at = ended + 120
    watch.join()
    acknowledged = [code for f in receipts_dir.glob("receipts-*.txt") for code in f.read_text().split()]
    row.note = f"{len(acknowledged) / (ended - started):,.0f} acknowledged/s"
    during = [oldest for at, _, oldest in watch.samples if at <= ended]
    drained = next((at - ended for at, count, _ in watch.samples if at > ended and count == 0), None)
    notes.append(
        f"  job queue: greatest lag during the run {max(during, default=0):.1f} s; "
        + (f"drained {drained:.1f} s after the run" if drained is not None else "not drained in 120 s")
    )
    during_run = ", ".join(f"{mb:.0f}" for _, mb in watch.memory_samples)
    notes.append(
        f"  server memory: {memory_before:.0f} MB before the run, {memory_after:.0f} MB after"
        + (f" (every {watch.memory_every:.0f} s during it: {during_run})" if during_run else "")
    )
    problems, stored, in_groups = asyncio.run(check(url, consultation_id, acknowledged, before))
    notes.append(
        f"  database: {len(acknowledged):,} acknowledged, {stored:,} stored, {in_groups:,} of them in groups; "
        + ("every acknowledged comment stored once and grouped once" if not problems else "; ".join(problems))
    )
    return row, problems, notes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--seconds", type=int, default=15, help="each page scenario")
    parser.add_argument("--submit-seconds", type=int, default=30)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--paced-rate", type=int, default=1100, help="comments a second of the paced run (0: none)")
    parser.add_argument("--paced-only", action="store_true", help="no run as fast as answered (the memory run)")
    parser.add_argument("--profile", action="store_true", help="sample the server during submission (py-spy)")
    args = parser.parse_args()
    if WRK is None:
        raise SystemExit("wrk is needed (apt-get install wrk)")
    url = database_url("hot")
    database = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    texts, _ = generate(args.comments + 200_000, seed=11)
    consultation_id, articles = asyncio.run(seed(url, args.comments, texts[: args.comments]))
    arriving = OUT / "hot-texts.txt"
    arriving.write_text("\n".join(t.replace("\n", " ") for t in texts[args.comments :]) + "\n")
    print(f"grouping {args.comments:,} comments by the job worker: {asyncio.run(grouped(url, consultation_id)):.1f} s")
    asyncio.run(analyze(url))
    page = f"/consultations/{consultation_id}"
    article_list = ",".join(map(str, articles))
    rows, notes = [], []

    bare = start_bare(args.workers)
    try:
        rows.append(wrk(bare.base, "/", "bare Starlette + Jinja page", connections=8, seconds=args.seconds))
    finally:
        bare.stop()

    uncached = start_consult(url, args.workers, "uncached", CONSULT_PAGE_CACHE_SECONDS="0")
    try:
        row = wrk(uncached.base, page, "first page, page cache off", connections=8, seconds=args.seconds)
        rows.append(row)
    finally:
        uncached.stop()

    server = start_consult(url, args.workers, "consult")
    try:
        seconds = args.seconds
        rows.append(wrk(server.base, page, "consultation, first page", connections=8, seconds=seconds))
        rows.append(wrk(server.base, page + "?page=4000", "consultation, page 4,000", connections=8, seconds=seconds))
        rows.append(
            wrk(
                server.base,
                page,
                "consultation, article filter",
                connections=8,
                seconds=seconds,
                script="pages.lua",
                args=("article", article_list),
            )
        )
        problems = []
        rates = ([] if args.paced_only else [0]) + ([args.paced_rate] if args.paced_rate else [])
        for rate in rates:
            row, found, seen = submit(
                server,
                url,
                consultation_id,
                page,
                [article_list, str(arriving)],
                clients=args.clients,
                seconds=args.submit_seconds,
                rate=rate,
                profile=args.profile and not rate,
            )
            rows.append(row)
            notes += seen
            problems += found
    finally:
        server.stop()

    bare_rps = rows[0].rps
    print(f"\n{database}, {args.workers} worker(s) each, wrk -t2; {args.comments:,} comments in the consultation;")
    print(f"pages with 8 connections, submissions with {args.clients}")
    print(f"{'what':<42} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'of bare':>8} {'errors':>7}")
    for row in rows:
        share = f"{row.rps / bare_rps:.0%}" if not row.name.startswith("comment") else ""
        figures = f"{row.rps:>9,.0f} {row.p50_ms:>8.1f} {row.p99_ms:>8.1f} {share:>8} {row.errors:>7}"
        print(f"{row.name:<42} {figures}  {row.note}")
    for note in notes:
        print(note)
    if problems:
        raise SystemExit(1)


async def _last_comment_id(url: str) -> int:
    from consult.comments.models import Comment
    from consult.db import connect, disconnect

    await connect(url)
    try:
        last = await Comment.all().order_by("-id").first()
        return last.id if last else 0
    finally:
        await disconnect()


if __name__ == "__main__":
    main()
