"""The rules before a decision, as tables a lawyer can read (consult/deliberation/rules.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from consult.deliberation.rules import (
    HEARING_REPORT_MISSING,
    LEGALITY_REVIEW_MISSING,
    HearingSchedule,
    hearing_schedule_errors,
    legality_review_time,
    missing_before_result,
    schedule_params,
)
from consult.settings import Settings
from consult.workdays.services import packaged_calendar

D = date


# 国务院令第713号 第二十七条: at least 7 working days for the legality review, counted after the day the
# material was sent, up to the day the opinion came back, on the 2026 arrangement (调休 included).
@pytest.mark.parametrize(
    ("sent", "returned", "working_days", "short", "why"),
    [
        (D(2026, 3, 2), D(2026, 3, 11), 7, False, "Mon to the next Wed: seven working days"),
        (D(2026, 3, 2), D(2026, 3, 10), 6, True, "one day short"),
        (D(2026, 9, 29), D(2026, 10, 12), 5, True, "13 calendar days over National Day count 5 (10 Oct is worked)"),
        (D(2026, 2, 13), D(2026, 2, 25), 3, True, "Spring Festival: Sat 14 Feb is a make-up workday"),
        (D(2026, 4, 29), D(2026, 5, 11), 6, True, "Labour Day, with Sat 9 May worked"),
        (D(2026, 4, 29), D(2026, 5, 12), 7, False, "one more day makes seven"),
        (D(2026, 3, 6), D(2026, 3, 6), 0, True, "sent and returned the same day"),
    ],
)
def test_legality_review_time_counts_working_days(
    sent: date, returned: date, working_days: int, short: bool, why: str
) -> None:
    time = legality_review_time(packaged_calendar(), sent, returned, Settings())
    assert (time.working_days, time.short) == (working_days, short), why


def test_the_legality_review_minimum_is_a_setting() -> None:
    local_rule = Settings(legality_review_min_working_days=5)
    time = legality_review_time(packaged_calendar(), D(2026, 9, 29), D(2026, 10, 12), local_rule)
    assert not time.short


HEARING_ON = D(2026, 12, 21)
GOOD = HearingSchedule(
    notice_on=D(2026, 12, 11), applications_close_on=D(2026, 12, 14), materials_on=D(2026, 12, 16), held_on=HEARING_ON
)


# 713号令 第十七条–第十八条 with the provincial lead times (defaults: notice 10 days, materials 5 days before).
@pytest.mark.parametrize(
    ("change", "settings", "refused", "why"),
    [
        ({}, Settings(), set(), "notice 10 days, materials 5 days before, applications closed before the materials"),
        ({"notice_on": D(2026, 12, 12)}, Settings(), {"notice_on"}, "a notice 9 days before is too late"),
        ({"materials_on": D(2026, 12, 17)}, Settings(), {"materials_on"}, "materials 4 days before are too late"),
        ({"applications_close_on": D(2026, 12, 16)}, Settings(), {"applications_close_on"}, "closing on the day"),
        ({"applications_close_on": D(2026, 12, 10)}, Settings(), {"applications_close_on"}, "closing before notice"),
        ({}, Settings(hearing_notice_days=15), {"notice_on"}, "a province asking 15 days"),
        ({}, Settings(hearing_materials_days=7), {"materials_on"}, "a province asking materials 7 days before"),
    ],
)
def test_hearing_lead_times(change: dict, settings: Settings, refused: set[str], why: str) -> None:
    assert set(hearing_schedule_errors(replace(GOOD, **change), settings)) == refused, why


def test_hearing_messages_name_the_latest_allowed_days() -> None:
    params = schedule_params(GOOD, Settings(hearing_notice_days=15))
    assert params["notice_by"] == "2026-12-06"
    assert params["materials_by"] == "2026-12-16"
    assert params["close_by"] == "2026-12-15"


# 713号令 第二十五条 (no decision without a legality review) and 第十七条–第十八条 (a required hearing's
# report comes first).
@pytest.mark.parametrize(
    ("reviewed", "needs_hearing", "reported", "missing"),
    [
        (True, False, False, []),
        (False, False, False, [LEGALITY_REVIEW_MISSING]),
        (True, True, False, [HEARING_REPORT_MISSING]),
        (True, True, True, []),
        (False, True, False, [LEGALITY_REVIEW_MISSING, HEARING_REPORT_MISSING]),
    ],
)
def test_what_must_exist_before_the_result(reviewed: bool, needs_hearing: bool, reported: bool, missing: list) -> None:
    assert missing_before_result(reviewed, needs_hearing, reported) == missing
