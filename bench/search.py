"""Search over 1,000,000 comments: p50/p95 of 2-, 3- and 4-character Chinese queries.

    .venv/bin/python bench/search.py [--docs 1000000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/consult_search .venv/bin/python bench/search.py

Targets on our 2-core machine: p95 under 300 ms on SQLite and under 100 ms on PostgreSQL for a
two-character query, including the total, the facets and the first page.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import database_url  # noqa: E402
from bench.grouping_data import generate  # noqa: E402
from consult.db import apply_migrations, connect, disconnect  # noqa: E402

QUERIES = {
    2: ["补偿", "收费", "充电", "夜间", "医院", "执法", "车位", "学校", "共享", "罚款"],
    3: ["停车位", "充电桩", "停车场", "残疾人", "菜市场"],
    4: ["停车收费", "老旧小区", "临时停车", "消防通道", "收费标准"],
}


async def run(url: str, n: int) -> None:
    from tortoise.connection import get_connection

    from consult.search.models import SearchDoc
    from consult.search.queries import search
    from consult.search.text import bigrams

    await apply_migrations(url)
    await connect(url)
    db = get_connection("default")
    dialect = db.capabilities.dialect
    texts, _ = generate(n, campaign_share=0.3, seed=11)
    started = time.perf_counter()
    if dialect == "postgres":  # build the GIN index once at the end, as a bulk import would
        await db.execute_script("DROP INDEX IF EXISTS search_doc_bigrams_gin")
    day = date(2026, 1, 1)
    for start in range(0, n, 10_000):
        await SearchDoc.bulk_create(
            [
                SearchDoc(
                    kind="comment",
                    ref_id=i,
                    url=f"/c/{i}",
                    title="城区停车管理办法",
                    body=text,
                    department_id=1 + i % 5,
                    year=2026,
                    status="published",
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
        await db.execute_script("INSERT INTO search_fts(rowid, bigrams) SELECT id, bigrams FROM search_doc")
    else:
        await db.execute_script(
            "CREATE INDEX search_doc_bigrams_gin ON search_doc USING gin (to_tsvector('simple', bigrams))"
        )
        await db.execute_script("ANALYZE search_doc")
    indexed = time.perf_counter() - started
    print(f"{dialect}: {n:,} comments loaded in {loaded:.0f} s, text index built in {indexed:.0f} s")
    for length, words in QUERIES.items():
        timings, hits = [], []
        for _ in range(3):
            for word in words:
                t0 = time.perf_counter()
                result = await search(word)
                timings.append(time.perf_counter() - t0)
                hits.append(result.total)
        timings.sort()
        print(
            f"  {length}-character queries: p50 {statistics.median(timings) * 1000:.0f} ms, "
            f"p95 {timings[int(len(timings) * 0.95) - 1] * 1000:.0f} ms; hits per query "
            f"{min(hits):,}–{max(hits):,} (total, facets and the first page of 20)"
        )
    await disconnect()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=1_000_000)
    args = parser.parse_args()
    asyncio.run(run(database_url("search"), args.docs))


if __name__ == "__main__":
    main()
