"""The adoption report of a consultation with 100,000 comments: build, page, PDF, CSV, memory.

    .venv/bin/python bench/report.py [--comments 100000]

Targets on our 2-core machine: figures built under 5 s, first HTML page under 1 s, PDF under 30 s,
CSV streamed, peak memory under 500 MB (the server process's VmHWM).
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import time
from datetime import timedelta
from pathlib import Path

import httpx2 as httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import database_url, start_server  # noqa: E402
from bench.consultation_page import seed  # noqa: E402
from consult import clock  # noqa: E402
from consult.db import connect, disconnect  # noqa: E402


async def prepare(database_url: str, n: int) -> tuple[int, float, float]:
    consultation_id, _ = await seed(database_url, n)
    await connect(database_url)
    try:
        return await _prepare(consultation_id)
    finally:
        await disconnect()


async def _prepare(consultation_id: int) -> tuple[int, float, float]:
    from consult.accounts.models import Role
    from consult.decisions.models import Decision
    from consult.drafts.models import Consultation
    from consult.reports.deadline import ReportRule
    from consult.reports.figures import build_figures
    from consult.reports.models import AdoptionReport, PublicationKind
    from consult.reports.services import ResultInput, publish_report, record_result
    from consult.workdays.services import load_calendar
    from tests.factories import make_legality_review, make_user

    today = clock.today()
    # Move the consultation into the past so that a result can be recorded.
    await Consultation.filter(id=consultation_id).update(
        starts_on=today - timedelta(days=60), ends_on=today - timedelta(days=30)
    )
    consultation = await Consultation.get(id=consultation_id).prefetch_related("draft")
    decision = await Decision.get(id=consultation.decision_id)
    reviewer = await make_user(Role.REVIEWER, await decision.department)
    await make_legality_review(decision, today)  # no result without one (713号令 第二十五条)
    await record_result(
        decision,
        ResultInput(document_number=f"平政办发〔{today.year}〕1号", issued_on=today, text="文本"),
        reviewer,
        clock.now(),
        await load_calendar(),
        ReportRule(),
    )
    started = time.perf_counter()
    await build_figures(consultation)
    build = time.perf_counter() - started
    report = await AdoptionReport.get(consultation_id=consultation_id)
    started = time.perf_counter()
    await publish_report(report, PublicationKind.DEADLINE, clock.now())
    publish = time.perf_counter() - started
    return report.id, build, publish


def timed_get(client: httpx.Client, url: str) -> tuple[float, int]:
    started = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return time.perf_counter() - started, len(response.content)


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--comments", type=int, default=100_000)
    args = parser.parse_args()
    url = database_url("report")
    report_id, build, publish = asyncio.run(prepare(url, args.comments))
    print(f"figures built from SQL aggregates: {build:.2f} s; publication (claim + freeze + outbox): {publish:.2f} s")
    print(f"bench process peak RSS so far: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    server, base = start_server(url)
    try:
        with httpx.Client(base_url=base, timeout=120) as client:
            page = f"/reports/{report_id}"
            cold, _ = timed_get(client, page)
            charts = sum(
                timed_get(client, f"{page}/charts/{n}.svg")[0] for n in ("status", "per_day", "per_article", "channels")
            )
            warm = min(timed_get(client, page)[0] for _ in range(5))
            deep, _ = timed_get(client, page + "?page=1000")
            print(
                f"report page: first {cold * 1000:.0f} ms, warm {warm * 1000:.0f} ms, page 1,000 {deep * 1000:.0f} ms"
            )
            print(f"four charts rendered on first request: {charts:.2f} s (then stored)")
            pdf, size = timed_get(client, page + ".pdf")
            cached, _ = timed_get(client, page + ".pdf")
            print(
                f"PDF (first 2,000 comments, Chinese fonts embedded): {pdf:.1f} s, {size / 1e6:.1f} MB; "
                f"cached {cached * 1000:.0f} ms"
            )
            started = time.perf_counter()
            first_byte = None
            total = 0
            with client.stream("GET", page + ".csv") as response:
                for chunk in response.iter_bytes():
                    if first_byte is None:
                        first_byte = time.perf_counter() - started
                    total += len(chunk)
            print(
                f"CSV streamed: first byte {first_byte * 1000:.0f} ms, all {total / 1e6:.1f} MB in "
                f"{time.perf_counter() - started:.1f} s"
            )
        print(f"server peak memory (VmHWM): {peak_rss_mb(server.pid):.0f} MB")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
