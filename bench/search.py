"""Search over 1,000,000 comments: p50/p95 of 2-, 3- and 4-character Chinese queries.

    .venv/bin/python bench/search.py [--docs 1000000] [--reuse]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/consult_search .venv/bin/python bench/search.py

Targets on our 2-core machine: p95 under 300 ms on SQLite and under 100 ms on PostgreSQL for a
two-character query, including the total, the facets and the first page. --reuse keeps documents
loaded by an earlier run (in bench/out/search-kept.sqlite3 on SQLite) instead of loading them again.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import OUT, database_url  # noqa: E402
from bench.grouping_data import generate  # noqa: E402
from consult.db import apply_migrations, connect, disconnect  # noqa: E402

# The same FTS5 rowids as consult.search.index.fts_rowid, set in bulk.
SQLITE_KEYED_INSERT = importlib.import_module("migrations.0007_search_newest_first").SQLITE_REKEY.split("; ", 1)[1]
PAGES = importlib.import_module("migrations.0016_search_pages_first").PAGES_FTS
SQLITE_PAGES_INSERT = PAGES.split("; ", 2)[2]
QUERIES = {
    2: ["补偿", "收费", "充电", "夜间", "医院", "执法", "车位", "学校", "共享", "罚款"],
    3: ["停车位", "充电桩", "停车场", "残疾人", "菜市场"],
    4: ["停车收费", "老旧小区", "临时停车", "消防通道", "收费标准"],
}
# Real words of the generated comments spread over the frequencies in 1,000,000 of them, from about
# 8,000 hits (紧张) to 210,000 (周末): where a newest-first scan and a bitmap scan cost the most.
SPREAD = ["紧张", "非常", "接送", "够用", "道路", "使用", "路口", "没有", "周末", "晚上"]
PAGE_KINDS = ("decision", "consultation", "report", "meeting")
ANSWER_STATUSES = ("unanswered", "adopted", "partly_adopted", "not_adopted")


async def load(db: Any, dialect: str, n: int) -> None:
    from consult.search.models import SearchDoc
    from consult.search.text import bigrams

    texts, _ = generate(n, campaign_share=0.3, seed=11)
    started = time.perf_counter()
    await db.execute_script("DELETE FROM search_doc")
    if dialect == "postgres":  # build the GIN index once at the end, as a bulk import would
        await db.execute_script("DROP INDEX IF EXISTS search_doc_tsv_gin")
    else:
        await db.execute_script("DELETE FROM search_fts; DELETE FROM search_pages_fts")
    day = date(2026, 1, 1)
    for start in range(0, n, 10_000):
        await SearchDoc.bulk_create(
            [
                SearchDoc(
                    # One document in 500 is a page (decision, consultation, report, meeting), which
                    # a search ranks first: 2,000 pages among a million documents.
                    kind=PAGE_KINDS[(i // 500) % 4] if i % 500 == 0 else "comment",
                    ref_id=i,
                    url=f"/c/{i}",
                    title="城区停车管理办法",
                    body=text,
                    department_id=1 + i % 5,
                    year=2026,
                    status=ANSWER_STATUSES[i % 4],
                    published_on=day + timedelta(days=i % 300),
                    bigrams=bigrams(text),
                )
                for i, text in enumerate(texts[start : start + 10_000], start=start)
            ],
            batch_size=2000,
        )
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    if dialect == "sqlite":
        await db.execute_script(SQLITE_KEYED_INSERT)
        await db.execute_script(SQLITE_PAGES_INSERT)
    else:
        await db.execute_script("CREATE INDEX search_doc_tsv_gin ON search_doc USING gin (tsv)")
    await db.execute_script("ANALYZE")
    indexed = time.perf_counter() - started
    print(f"{dialect}: {n:,} documents loaded in {loaded:.0f} s, text index built in {indexed:.0f} s")


async def timed(words: list[str], **options: Any) -> tuple[list[float], list[int]]:
    from consult.search.queries import search

    timings, hits = [], []
    for _ in range(3):
        for word in words:
            t0 = time.perf_counter()
            result = await search(word, **options)
            timings.append(time.perf_counter() - t0)
            hits.append(result.total + (1 if result.more else 0))
    timings.sort()
    return timings, hits


def figures(timings: list[float]) -> str:
    p95 = timings[int(len(timings) * 0.95) - 1]
    return f"p50 {statistics.median(timings) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms"


async def run(url: str, n: int, reuse: bool) -> None:
    from tortoise.connection import get_connection

    from consult.search.models import SearchDoc
    from consult.search.queries import COUNT_LIMIT

    await apply_migrations(url)
    await connect(url)
    db = get_connection("default")
    dialect = db.capabilities.dialect
    if reuse and await SearchDoc.all().count() == n:
        print(f"{dialect}: reusing {n:,} documents")
    else:
        await load(db, dialect, n)
    for length, words in QUERIES.items():
        timings, hits = await timed(words)
        capped = sum(1 for h in hits if h > COUNT_LIMIT)
        print(
            f"  {length}-character queries: {figures(timings)}; {capped} of {len(hits)} queries had more than "
            f"{COUNT_LIMIT:,} hits (total, facets and the first page of 20)"
        )
    timings, hits = await timed(SPREAD)
    print(f"  2-character words of every frequency: {figures(timings)}; hits per query up to {max(hits):,}")
    for label, options in (
        ("2 characters, one department", {"department": 3}),
        ("2 characters, adopted only", {"status": "adopted"}),
        ("2 characters, page 50", {"page": 50}),
    ):
        timings, _ = await timed(QUERIES[2], **options)
        print(f"  {label}: {figures(timings)}")
    await disconnect()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true", help="keep the documents of an earlier run")
    args = parser.parse_args()
    if args.reuse and not os.environ.get("DATABASE_URL"):
        OUT.mkdir(parents=True, exist_ok=True)
        url = f"sqlite://{OUT / 'search-kept.sqlite3'}?journal_mode=WAL"
    else:
        url = database_url("search")
    asyncio.run(run(url, args.docs, args.reuse))


if __name__ == "__main__":
    main()
