"""Time in the government's zone. Services take `now`/`today` as arguments; only routes call these."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")


def now() -> datetime:
    return datetime.now(UTC)


def local_date(moment: datetime) -> date:
    """The calendar date in Asia/Shanghai of a UTC moment (a comment at 23:30 UTC is tomorrow there)."""
    return moment.astimezone(TZ).date()


def today() -> date:
    return local_date(now())
