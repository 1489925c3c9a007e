"""How long a consultation runs at least, per kind of document: one function with its sources. The
figures are settings, because local rules differ; a shorter period needs a published reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from consult.decisions.models import DecisionKind
from consult.settings import Settings
from consult.workdays.calc import WorkCalendar, calendar_days, working_days_between


@dataclass(frozen=True)
class MinimumPeriod:
    length: int
    # Counted in working days on the calendar (weekends, holidays and 调休 included), not calendar days.
    working_days: bool = False


def minimum_period(kind: DecisionKind, market_related: bool, settings: Settings) -> MinimumPeriod:
    """- a major decision: 国务院令第713号 第十五条, 一般不少于30日;
    - a government rule: 规章制定程序条例 第十六条, 一般不少于30日;
    - a normative document: 国办发〔2018〕37号 (加强行政规范性文件制定和监督管理), 一般不少于7个工作日;
    - a normative document closely tied to market entities' business: 优化营商环境条例 第六十二条,
      一般不少于30日."""
    if kind is DecisionKind.GOVERNMENT_RULE:
        return MinimumPeriod(settings.min_rule_consultation_days)
    if kind is DecisionKind.NORMATIVE_DOCUMENT:
        if market_related:
            return MinimumPeriod(settings.min_market_normative_days)
        return MinimumPeriod(settings.min_normative_working_days, working_days=True)
    return MinimumPeriod(settings.min_consultation_days)


def period_length(calendar: WorkCalendar, starts_on: date, ends_on: date, minimum: MinimumPeriod) -> int:
    """The period in the unit its minimum is counted in; the opening day is not counted (Civil Code
    Art.201), the last day is."""
    if minimum.working_days:
        return working_days_between(calendar, starts_on, ends_on)[0]
    return calendar_days(starts_on, ends_on)


def is_short(calendar: WorkCalendar, starts_on: date, ends_on: date, minimum: MinimumPeriod) -> bool:
    return period_length(calendar, starts_on, ends_on, minimum) < minimum.length
