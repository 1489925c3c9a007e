"""Fixed-window counters per client, shared by all processes through the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.connection import get_connection
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from consult.limits.models import RateWindow
from consult.txn import marks, set_column


@dataclass(frozen=True)
class Window:
    """One client's count in the current window: its key, the window's start, and the limit."""

    key: str
    start: datetime
    limit: int
    ends_at: int  # the window's end, as a Unix timestamp

    def retry_after(self, now: datetime) -> int:
        return max(1, self.ends_at - int(now.timestamp()))


def window(bucket: str, client: str, now: datetime, limit: int, window_seconds: int) -> Window:
    start_ts = int(now.timestamp()) // window_seconds * window_seconds
    start = datetime.fromtimestamp(start_ts, tz=now.tzinfo)
    return Window(f"{bucket}:{client}:{start_ts}"[:120], start, limit, start_ts + window_seconds)


async def hit(bucket: str, client: str, now: datetime, limit: int, window_seconds: int) -> int | None:
    """Count one request; None when allowed, else the seconds until the window ends (Retry-After)."""
    current = window(bucket, client, now, limit, window_seconds)
    try:
        await RateWindow.create(key=current.key, count=1, window_start=current.start)
    except IntegrityError:
        await RateWindow.filter(key=current.key).update(count=F("count") + 1)
    count = (await RateWindow.get(key=current.key)).count
    if int(current.start.timestamp()) % (window_seconds * 60) == 0:  # now and then, forget old windows
        await RateWindow.filter(window_start__lt=now - timedelta(seconds=window_seconds * 2)).delete()
    if count <= limit:
        return None
    return current.retry_after(now)


async def count_all(windows: list[list[Window]], now: datetime) -> list[int | None]:
    """Count one submission in each of its windows, for many submissions at once; for each, None when
    allowed, else the seconds to wait. Call it inside a transaction (the comment writer's): the rows are
    created and then locked in key order, so two processes counting the same windows wait for each
    other instead of losing a count (or deadlocking)."""
    keys = sorted({w.key for ws in windows for w in ws})
    if not keys:
        return [None] * len(windows)
    starts = {w.key: w.start for ws in windows for w in ws}
    conn = get_connection("default")
    place = marks(conn)
    values = f"({next(place)}, 0, {next(place)})"
    insert = f"INSERT INTO api_rate_window (key, count, window_start) VALUES {values} ON CONFLICT (key) DO NOTHING"
    await conn.execute_many(insert, [[key, starts[key]] for key in keys])
    counts: dict[str, int] = {}
    for start in range(0, len(keys), 500):
        counts.update(await _locked_counts(keys[start : start + 500]))
    waits: list[int | None] = []
    for submission in windows:
        refused = []
        for w in submission:
            counts[w.key] += 1
            if counts[w.key] > w.limit:
                refused.append(w.retry_after(now))
        waits.append(max(refused) if refused else None)
    # The rows are locked, so the counts written are exact.
    await set_column(conn, "api_rate_window", "count", {key: counts[key] for key in keys}, cast="INTEGER", key="key")
    return waits


async def _locked_counts(keys: list[str]) -> dict[str, int]:
    """The rows' counts, locked in key order (PostgreSQL; SQLite's transaction holds the write lock)."""
    conn = get_connection("default")
    place = marks(conn)
    lock = " FOR UPDATE" if conn.capabilities.dialect == "postgres" else ""
    query = f"SELECT key, count FROM api_rate_window WHERE key IN ({', '.join(next(place) for _ in keys)})"
    _, rows = await conn.execute_query(f"{query} ORDER BY key{lock}", keys)
    return {row["key"]: row["count"] for row in rows}
