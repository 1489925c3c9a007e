"""When the annual government-information reports are due (政府信息公开条例, 2019)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class AnnualReportDue:
    who: str  # "departments" or "government"
    due_on: date
    covers_year: int


def annual_report_due(today: date) -> list[AnnualReportDue]:
    """第四十九条: departments send the previous year's report to the government's information-disclosure
    office by 31 January; 第五十条 (with 第四十九条): governments at and above county level publish theirs
    by 31 March. Shown from 1 January until the day passes."""
    due = []
    if today <= date(today.year, 1, 31):
        due.append(AnnualReportDue("departments", date(today.year, 1, 31), today.year - 1))
    if today <= date(today.year, 3, 31):
        due.append(AnnualReportDue("government", date(today.year, 3, 31), today.year - 1))
    return due
