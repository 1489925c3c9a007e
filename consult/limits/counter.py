"""A fixed-window counter per client, shared by all processes through the database."""

from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from consult.limits.models import RateWindow


async def hit(bucket: str, client: str, now: datetime, limit: int, window_seconds: int) -> int | None:
    """Count one request; None when allowed, else the seconds until the window ends (Retry-After)."""
    start_ts = int(now.timestamp()) // window_seconds * window_seconds
    start = datetime.fromtimestamp(start_ts, tz=now.tzinfo)
    key = f"{bucket}:{client}:{start_ts}"[:120]
    try:
        await RateWindow.create(key=key, count=1, window_start=start)
    except IntegrityError:
        await RateWindow.filter(key=key).update(count=F("count") + 1)
    count = (await RateWindow.get(key=key)).count
    if start_ts % (window_seconds * 60) == 0:  # now and then, forget old windows
        await RateWindow.filter(window_start__lt=now - timedelta(seconds=window_seconds * 2)).delete()
    if count <= limit:
        return None
    return max(1, start_ts + window_seconds - int(now.timestamp()))
