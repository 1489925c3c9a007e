"""The office enters a year's arrangement; others cannot; every change is audited."""

from __future__ import annotations

from datetime import date

import pytest

from consult import clock
from consult.accounts.models import Role
from consult.errors import PermissionDenied, ValidationError
from consult.workdays.models import CalendarChange, CalendarDay, CalendarYear
from consult.workdays.services import load_calendar, set_year_arrangement
from tests.factories import freeze, log_in, make_user, post

# A complete arrangement for 2027 in the notice's form (dates as the lunar calendar gives them).
HOLIDAYS_2027 = "\n".join(
    [
        "2027-01-01~2027-01-03 元旦",
        "2027-02-05~2027-02-13 春节",
        "2027-04-05 清明节",
        "2027-05-01~2027-05-05 劳动节",
        "2027-06-09 端午节",
        "2027-09-15 中秋节",
        "2027-10-01~2027-10-07 国庆节",
    ]
)
FORM = {
    "year": "2027",
    "notice": "国务院办公厅关于2027年部分节假日安排的通知",
    "holidays": HOLIDAYS_2027,
    "workdays": "2027-02-20 春节调休上班",
}


async def test_office_enters_a_year_and_it_is_used_and_audited(client, calendar, monkeypatch) -> None:
    freeze(monkeypatch, date(2026, 12, 1))  # 2027 is next year and not entered yet
    admin = await make_user(Role.ADMIN)
    await log_in(client, admin)
    page = await client.get("/manage/calendar")
    assert "尚未录入2027年的节假日安排" in page.text
    assert (await post(client, "/manage/calendar", FORM)).status_code == 303
    cal = await load_calendar()
    assert 2027 in cal.official_years
    assert not cal.is_workday(date(2027, 2, 8)) and cal.is_workday(date(2027, 2, 20))
    change = await CalendarChange.get(year=2027)
    assert change.before == [] and len(change.after) == 3 + 9 + 1 + 5 + 1 + 1 + 7 + 1
    corrected = HOLIDAYS_2027.replace("2027-05-01~2027-05-05", "2027-05-01~2027-05-03")
    await set_year_arrangement(2027, FORM["notice"], corrected, "", admin, clock.now())
    assert await CalendarDay.filter(day__gte=date(2027, 1, 1)).count() == 3 + 9 + 1 + 3 + 1 + 1 + 7
    assert await CalendarChange.filter(year=2027).count() == 2


@pytest.mark.parametrize(
    ("field", "holidays", "workdays", "message"),
    [
        ("workdays", HOLIDAYS_2027, "2027-02-22 调休", "是工作日"),
        ("workdays", HOLIDAYS_2027, "2027-02-06 调休", "同时被列为"),
        ("holidays", "2028-01-01 元旦", "", "不在2027年范围内"),
        ("holidays", "春节 二月", "", "无法识别"),
        ("holidays", "", "", "没有节假日"),
        ("holidays", HOLIDAYS_2027.replace("2027-02-05~", "2027-02-06~"), "", "2027-02-05（春节）是法定节假日"),
        (
            "holidays",
            HOLIDAYS_2027.replace("2027-05-01~", "2027-05-03~"),
            "2027-05-02 调休",
            "2027-05-02（劳动节）是法定节假日",
        ),
    ],
)
async def test_bad_arrangements_are_refused_with_a_message(client, field, holidays, workdays, message) -> None:
    admin = await make_user(Role.ADMIN)
    await log_in(client, admin)
    response = await post(client, "/manage/calendar", {**FORM, "holidays": holidays, "workdays": workdays})
    assert response.status_code == 422 and message in response.text
    assert not await CalendarYear.filter(year=2027).exists()


async def test_only_the_office_maintains_the_calendar(client) -> None:
    reviewer = await make_user(Role.REVIEWER)
    with pytest.raises(PermissionDenied):
        await set_year_arrangement(2027, "x", "", "", reviewer, clock.now())
    await log_in(client, reviewer)
    assert (await client.get("/manage/calendar")).status_code == 403
    with pytest.raises(ValidationError):
        await set_year_arrangement(2027, "", "", "", await make_user(Role.ADMIN), clock.now())
