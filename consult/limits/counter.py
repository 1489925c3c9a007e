"""Fixed-window counters per client, shared by all processes through the database."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.connection import get_connection
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from consult.limits.models import RateWindow
from consult.txn import marks


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
    allowed, else the seconds to wait. Call it inside a transaction (the comment writer's). One upsert
    adds each window's submissions and returns its new count: two processes counting the same window
    wait for each other's row instead of losing a count, and the keys go in one order (no deadlock)."""
    added = Counter(w.key for ws in windows for w in ws)
    if not added:
        return [None] * len(windows)
    starts = {w.key: w.start for ws in windows for w in ws}
    keys = sorted(added)
    conn = get_connection("default")
    place = marks(conn)
    if conn.capabilities.dialect == "postgres":
        source = f"SELECT * FROM unnest({next(place)}::text[], {next(place)}::integer[], {next(place)}::timestamptz[])"
        params: list[object] = [keys, [added[k] for k in keys], [starts[k] for k in keys]]
    else:
        source = "VALUES " + ", ".join(f"({next(place)}, {next(place)}, {next(place)})" for _ in keys)
        params = [value for key in keys for value in (key, added[key], starts[key])]
    rows = await conn.execute_query_dict(
        f"INSERT INTO api_rate_window (key, count, window_start) {source} "
        "ON CONFLICT (key) DO UPDATE SET count = api_rate_window.count + excluded.count RETURNING key, count",
        params,
    )
    # Each submission's place in its window: the count before this batch, then one by one.
    counts = {row["key"]: row["count"] - added[row["key"]] for row in rows}
    waits: list[int | None] = []
    for submission in windows:
        refused = []
        for w in submission:
            counts[w.key] += 1
            if counts[w.key] > w.limit:
                refused.append(w.retry_after(now))
        waits.append(max(refused) if refused else None)
    return waits


async def forget_old(now: datetime, older_than: timedelta = timedelta(days=2)) -> int:
    return await RateWindow.filter(window_start__lt=now - older_than).delete()
