"""Moments of the demo's story, in Asia/Shanghai."""

from __future__ import annotations

from datetime import date, datetime, time

from consult import clock


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=clock.TZ)
