"""The statutory public holidays (全体公民放假的节日) fixed by 全国年节及纪念日放假办法, version by version.

The State Council's yearly notice (国务院办公厅关于…部分节假日安排的通知) builds each year's arrangement
around these days, adding bridge days and make-up workdays. Before the notice is out, a year counts
weekends and these days only, and every date computed from it is provisional (暂定).

Lunar dates and the solar term come from lunar-python (6tail's 寿星天文历-based calendar, pure Python,
1900–2100 and beyond, with the 24 solar terms computed in Beijing time), not from a hand-made table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from lunar_python import Lunar, Solar


@dataclass(frozen=True)
class HolidayLaw:
    """One version of 全国年节及纪念日放假办法 and the holidays it fixes (its Art.2)."""

    in_force_from: int  # first year it governs
    source: str
    # 春节: first day as an offset from 正月初一 (-1 is 除夕), and the number of days.
    spring_festival_start: int
    spring_festival_days: int
    labour_day_days: int  # from 1 May
    traditional_festivals: bool  # 清明节, 端午节, 中秋节 are holidays


# Newest last. A lawyer checks this table against the decrees; the tests check it against the
# official arrangements of every year since 2004.
HOLIDAY_LAWS = (
    HolidayLaw(2000, "国务院令第270号（1999年修订）", 0, 3, 3, False),
    HolidayLaw(2008, "国务院令第513号（2007年修订）", -1, 3, 1, True),
    HolidayLaw(2014, "国务院令第644号（2013年修订）", 0, 3, 1, True),
    HolidayLaw(2025, "国务院令第795号（2024年修订）", -1, 4, 2, True),
)
NATIONAL_DAY_DAYS = 3  # 国庆节 1–3 October in every version


def law_for(year: int) -> HolidayLaw:
    for law in reversed(HOLIDAY_LAWS):
        if year >= law.in_force_from:
            return law
    raise ValueError(f"no holiday law is recorded for {year}")


def _lunar(year: int, month: int, day: int) -> date:
    solar = Lunar.fromYmd(year, month, day).getSolar()
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def _qingming(year: int) -> date:
    """清明 is the day of the solar term (太阳到达黄经15°, Beijing time): 4, 5 or 6 April."""
    for day in range(3, 8):
        if Solar.fromYmd(year, 4, day).getLunar().getJieQi() == "清明":
            return date(year, 4, day)
    raise ValueError(f"no 清明 found in April {year}")


@lru_cache(maxsize=256)
def statutory_holidays(year: int) -> tuple[tuple[date, str], ...]:
    """Every statutory holiday of `year` with its name, in date order.

    春节 belongs to the lunar year that starts in `year`; its 除夕 can fall in January or February.
    """
    law = law_for(year)
    days: dict[date, str] = {date(year, 1, 1): "元旦"}
    first = _lunar(year, 1, 1) + timedelta(days=law.spring_festival_start)
    for i in range(law.spring_festival_days):
        days.setdefault(first + timedelta(days=i), "春节")
    for i in range(law.labour_day_days):
        days[date(year, 5, 1 + i)] = "劳动节"
    if law.traditional_festivals:
        days[_qingming(year)] = "清明节"
        days[_lunar(year, 5, 5)] = "端午节"
        days[_lunar(year, 8, 15)] = "中秋节"
    for i in range(NATIONAL_DAY_DAYS):
        days.setdefault(date(year, 10, 1 + i), "国庆节")  # 中秋 on 1 October (2020) keeps its name
    return tuple(sorted(days.items()))
