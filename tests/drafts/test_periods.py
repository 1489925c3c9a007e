"""How long a consultation runs at least, per kind of document (consult/drafts/periods.py), as a table
a lawyer can read, then on the real calendar across a weekend and holidays."""

from __future__ import annotations

from datetime import date

import pytest

from consult.decisions.models import DecisionKind
from consult.drafts.periods import MinimumPeriod, is_short, minimum_period, period_length
from consult.settings import Settings
from consult.workdays.services import packaged_calendar

K = DecisionKind


@pytest.mark.parametrize(
    ("kind", "market_related", "minimum", "source"),
    [
        (K.MAJOR_DECISION, False, MinimumPeriod(30), "国务院令第713号 第十五条"),
        (K.MAJOR_DECISION, True, MinimumPeriod(30), "a major decision's period does not depend on it"),
        (K.GOVERNMENT_RULE, False, MinimumPeriod(30), "规章制定程序条例 第十六条"),
        (K.NORMATIVE_DOCUMENT, False, MinimumPeriod(7, working_days=True), "国办发〔2018〕37号"),
        (K.NORMATIVE_DOCUMENT, True, MinimumPeriod(30), "优化营商环境条例 第六十二条"),
    ],
)
def test_minimum_periods(kind: DecisionKind, market_related: bool, minimum: MinimumPeriod, source: str) -> None:
    assert minimum_period(kind, market_related, Settings()) == minimum, source


def test_the_figures_are_settings() -> None:
    local = Settings(min_normative_working_days=10, min_rule_consultation_days=45, min_market_normative_days=35)
    assert minimum_period(K.NORMATIVE_DOCUMENT, False, local) == MinimumPeriod(10, working_days=True)
    assert minimum_period(K.GOVERNMENT_RULE, False, local) == MinimumPeriod(45)
    assert minimum_period(K.NORMATIVE_DOCUMENT, True, local) == MinimumPeriod(35)


SEVEN_WORKING = MinimumPeriod(7, working_days=True)


# The opening day is not counted; the last day is. 2026 arrangement (中秋 25–27 Sep, 国庆 1–7 Oct,
# 10 Oct worked).
@pytest.mark.parametrize(
    ("starts", "ends", "length", "short", "why"),
    [
        (date(2026, 3, 6), date(2026, 3, 17), 7, False, "opened on a Friday: a weekend in between, 11 days"),
        (date(2026, 3, 6), date(2026, 3, 16), 6, True, "one working day short"),
        (date(2026, 9, 24), date(2026, 10, 12), 7, False, "18 calendar days over two holidays are 7 working days"),
        (date(2026, 9, 24), date(2026, 10, 11), 6, True, "17 calendar days are 6: 11 Oct is a Sunday"),
        (date(2026, 9, 30), date(2026, 10, 10), 3, True, "the make-up Saturday counts"),
    ],
)
def test_seven_working_days_on_the_calendar(starts: date, ends: date, length: int, short: bool, why: str) -> None:
    calendar = packaged_calendar()
    assert period_length(calendar, starts, ends, SEVEN_WORKING) == length, why
    assert is_short(calendar, starts, ends, SEVEN_WORKING) is short, why


def test_calendar_day_minimums_count_calendar_days() -> None:
    assert period_length(packaged_calendar(), date(2026, 9, 24), date(2026, 10, 24), MinimumPeriod(30)) == 30
