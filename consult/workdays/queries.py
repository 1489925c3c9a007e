"""Read-side of the working-day calendar: what the office's calendar page shows."""

from __future__ import annotations

from datetime import date
from typing import Any

from consult.workdays.models import CalendarChange, CalendarDay, CalendarYear
from consult.workdays.statutory import statutory_holidays


async def calendar_overview(today: date) -> dict[str, Any]:
    """The years entered with their counts of days, and this year or next if the State Council's
    notice is not entered yet (with the statutory holidays the platform assumes meanwhile)."""
    years = await CalendarYear.all().order_by("-year")
    counts: dict[int, dict[str, int]] = {}
    for day, is_workday in await CalendarDay.all().values_list("day", "is_workday"):
        by = counts.setdefault(day.year, {"holidays": 0, "workdays": 0})
        by["workdays" if is_workday else "holidays"] += 1
    known = {y.year for y in years}
    missing = [y for y in (today.year, today.year + 1) if y not in known]
    return {
        "years": years,
        "counts": counts,
        "missing": missing,
        "provisional": {y: statutory_holidays(y) for y in missing},
        "changes": await CalendarChange.all().limit(20),
    }
