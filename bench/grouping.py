"""Grouping 100,000 comments: several campaigns of edited copies plus individual comments.

    .venv/bin/python bench/grouping.py [--comments 100000]

Targets on our 2-core machine: under 30 s and under 1.5 GB for the batch, under 50 ms to check one
new comment against its consultation, precision and recall of at least 0.95 for the campaigns.
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


async def run(url: str, texts: list[str], truth: list[int]) -> None:
    from consult.comments.models import Channel, Comment, DisplayMode, SubmitterCategory
    from consult.groups.services import assign_new_comment, group_new_comments
    from consult.wiring import wire
    from tests.factories import make_consultation

    wire()  # the services' reactions, as the app connects them
    await apply_migrations(url)
    await connect(url)
    consultation = await make_consultation()
    now = datetime.now(clock.TZ)
    rows = [
        Comment(
            consultation_id=consultation.id,
            body=text,
            channel=Channel.ONLINE,
            category=SubmitterCategory.CITIZEN,
            submitter_name="测",
            contact_phone=f"139{i:08d}",
            display_mode=DisplayMode.MASKED,
            public_name="测*",
            receipt_code=f"G{i:011d}"[:4] + "-" + f"G{i:011d}"[4:8] + "-" + f"G{i:011d}"[8:],
            dedupe_key=hashlib.sha256(str(i).encode()).hexdigest(),
            received_on=consultation.starts_on,
            submitted_at=now,
        )
        for i, text in enumerate(texts)
    ]
    for start in range(0, len(rows), 5000):
        await Comment.bulk_create(rows[start : start + 5000])
    started = time.perf_counter()
    joined = await group_new_comments(consultation.id, now)
    elapsed = time.perf_counter() - started
    ids = await Comment.filter(consultation_id=consultation.id).order_by("id").values_list("id", "group_id")
    p, r = pair_scores([str(g) if g else None for _, g in ids], truth)
    print(f"database batch pass: {len(texts):,} comments in {elapsed:.1f} s, {joined:,} grouped; P={p:.4f} R={r:.4f}")
    # One new comment at a time, as the form delivers them (the process cache is warm after the first).
    # Half copies of campaigns (they meet a group's representative), half new individual comments
    # (they are compared with every comment still alone: the slow path).
    fresh, fresh_truth = generate(400, seed=7)
    samples = [t for t, c in zip(fresh, fresh_truth, strict=True) if c >= 0][:25]
    samples += [t for t, c in zip(fresh, fresh_truth, strict=True) if c < 0][:25]
    timings = []
    for i, text in enumerate(samples):
        comment = await Comment.create(
            consultation_id=consultation.id,
            body=text,
            channel=Channel.ONLINE,
            category=SubmitterCategory.CITIZEN,
            submitter_name="测",
            display_mode=DisplayMode.MASKED,
            public_name="测*",
            receipt_code=f"N{i:03d}-0000-0000",
            dedupe_key=f"new{i}",
            received_on=consultation.starts_on,
            submitted_at=now,
        )
        started = time.perf_counter()
        await assign_new_comment(comment, now)
        timings.append(time.perf_counter() - started)
    ordered = sorted(timings)
    print(
        f"one new comment against the consultation ({len(timings)} checks): median "
        f"{statistics.median(ordered) * 1000:.1f} ms, p95 {ordered[int(len(ordered) * 0.95)] * 1000:.1f} ms, "
        f"max {ordered[-1] * 1000:.0f} ms (the first individual one loads the process's cache)"
    )
    await disconnect()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--comments", type=int, default=100_000)
    args = parser.parse_args()
    texts, truth = generate(args.comments)
    campaigns = len({t for t in truth if t >= 0})
    print(f"{args.comments:,} comments: {sum(t >= 0 for t in truth):,} in {campaigns} campaigns, the rest individual")
    from consult.groups.similarity import cluster

    started = time.perf_counter()
    assignment, _ = cluster(texts)
    elapsed = time.perf_counter() - started
    p, r = pair_scores(assignment, truth)
    print(f"clustering alone (MinHash LSH + rapidfuzz): {elapsed:.1f} s; precision {p:.4f}, recall {r:.4f}")
    individuals = [a for a, t in zip(assignment, truth, strict=True) if t < 0]
    print(f"individual comments left alone: {sum(a is None for a in individuals) / len(individuals):.2%}")
    print(f"peak memory so far: {peak_mb():.0f} MB")
    asyncio.run(run(database_url("grouping"), texts, truth))
    print(f"peak memory of the whole run: {peak_mb():.0f} MB")


if __name__ == "__main__":
    main()
