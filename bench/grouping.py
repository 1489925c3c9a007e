"""Grouping 100,000 comments: several campaigns of edited copies plus individual comments.

    .venv/bin/python bench/grouping.py [--comments 100000]

Targets on our 2-core machine: under 30 s and under 1.5 GB for the 100,000, precision and recall of at
least 0.95 for the campaigns, and a comment grouped well within a second of its arrival.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import resource
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import database_url  # noqa: E402
from bench.grouping_data import generate, pair_scores  # noqa: E402
from consult import clock  # noqa: E402
from consult.db import apply_migrations, connect, disconnect  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _comment(consultation, i: int, text: str, now: datetime):
    from consult.comments.models import Channel, Comment, DisplayMode, SubmitterCategory

    code = f"G{i:011d}"
    return Comment(
        consultation_id=consultation.id,
        body=text,
        channel=Channel.ONLINE,
        category=SubmitterCategory.CITIZEN,
        submitter_name="测",
        contact_phone=f"139{i:08d}",
        display_mode=DisplayMode.MASKED,
        public_name="测*",
        receipt_code=f"{code[:4]}-{code[4:8]}-{code[8:]}",
        dedupe_key=hashlib.sha256(str(i).encode()).hexdigest(),
        received_on=consultation.starts_on,
        submitted_at=now,
    )


async def run(url: str, texts: list[str], truth: list[int]) -> None:
    from consult.comments.events import GROUP_JOB
    from consult.comments.models import Comment
    from consult.jobs.queue import enqueue, work_until_empty
    from consult.wiring import wire
    from tests.factories import make_consultation

    wire()  # the services' reactions and the job kinds, as the app registers them
    await apply_migrations(url)
    await connect(url)
    consultation = await make_consultation()
    now = datetime.now(clock.TZ)
    rows = [_comment(consultation, i, text, now) for i, text in enumerate(texts)]
    for start in range(0, len(rows), 5000):
        await Comment.bulk_create(rows[start : start + 5000])
    ids = await Comment.filter(consultation_id=consultation.id).order_by("id").values_list("id", flat=True)
    # As the comment writer queues them: one grouping job per comment, done by the worker in batches.
    await enqueue(GROUP_JOB, [(consultation.id, cid) for cid in ids])
    started = time.perf_counter()
    done = await work_until_empty(clock.now, max_seconds=600)
    elapsed = time.perf_counter() - started
    groups = await Comment.filter(consultation_id=consultation.id).order_by("id").values_list("id", "group_id")
    p, r = pair_scores([str(g) if g else None for _, g in groups], truth)
    rate = done / elapsed
    print(f"the worker: {done:,} grouping jobs in {elapsed:.1f} s ({rate:,.0f} a second); P={p:.4f} R={r:.4f}")
    individuals = [g for (_, g), t in zip(groups, truth, strict=True) if t < 0]
    print(f"individual comments left alone: {sum(g is None for g in individuals) / len(individuals):.2%}")
    # One comment at a time, as a quiet consultation sends them: the worker's batch of one.
    # Half copies of campaigns (they meet a group), half new individual comments (they are looked up
    # among the comments still alone).
    fresh, fresh_truth = generate(400, seed=7)
    samples = [t for t, c in zip(fresh, fresh_truth, strict=True) if c >= 0][:25]
    samples += [t for t, c in zip(fresh, fresh_truth, strict=True) if c < 0][:25]
    timings = []
    for i, text in enumerate(samples):
        comment = _comment(consultation, len(texts) + i, text, now)
        await comment.save()
        await enqueue(GROUP_JOB, [(consultation.id, comment.id)])
        started = time.perf_counter()
        await work_until_empty(clock.now)
        timings.append(time.perf_counter() - started)
    ordered = sorted(timings)
    print(
        f"one new comment grouped by the worker ({len(timings)} arrivals, one at a time): median "
        f"{statistics.median(ordered) * 1000:.1f} ms, p95 {ordered[int(len(ordered) * 0.95)] * 1000:.1f} ms, "
        f"max {ordered[-1] * 1000:.0f} ms"
    )
    await disconnect()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--comments", type=int, default=100_000)
    args = parser.parse_args()
    texts, truth = generate(args.comments)
    campaigns = len({t for t in truth if t >= 0})
    print(f"{args.comments:,} comments: {sum(t >= 0 for t in truth):,} in {campaigns} campaigns, the rest individual")
    from consult.groups.similarity import ALONE_BANDS, GROUP_BANDS, Arrival, Known, assign, band_keys, normalise
    from consult.groups.similarity import signatures as signatures_of

    started = time.perf_counter()
    norms = [normalise(t) for t in texts]
    signatures = signatures_of([n or " " for n in norms])
    keys = zip(band_keys(signatures, 1, ALONE_BANDS), band_keys(signatures, 1, GROUP_BANDS), strict=True)
    plan = assign([Arrival(i, n, *k) for i, (n, k) in enumerate(zip(norms, keys, strict=True))], Known())
    elapsed = time.perf_counter() - started
    assignment: list[str | None] = [None] * len(texts)
    for first, (_, members) in plan.new_groups.items():
        for i in members:
            assignment[i] = str(first)
    p, r = pair_scores(assignment, truth)
    print(f"in memory, one batch (MinHash LSH + rapidfuzz): {elapsed:.1f} s; precision {p:.4f}, recall {r:.4f}")
    print(f"peak memory so far: {peak_mb():.0f} MB")
    asyncio.run(run(database_url("grouping"), texts, truth))
    print(f"peak memory of the whole run: {peak_mb():.0f} MB")


if __name__ == "__main__":
    main()
