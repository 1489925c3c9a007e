"""The working-day calendar in the database: seeding, loading, and the office's yearly entry."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from importlib.metadata import version

from tortoise.transactions import in_transaction

from consult.accounts.models import User
from consult.accounts.permissions import is_admin
from consult.errors import PermissionDenied, ValidationError
from consult.i18n import N_
from consult.workdays.calc import Day, WorkCalendar
from consult.workdays.events import calendar_changed
from consult.workdays.models import CalendarChange, CalendarDay, CalendarSource, CalendarYear
from consult.workdays.statutory import statutory_holidays

HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}
LINE_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:\s*(?:~|～|至|--?)\s*(\d{4}-\d{2}-\d{2}))?\s*(.*)$")


async def load_calendar() -> WorkCalendar:
    """The whole table is a few thousand rows: loading it is cheaper than reasoning about which years."""
    days = await CalendarDay.all().values_list("day", "is_workday", "name")
    years = await CalendarYear.all().values_list("year", flat=True)
    return WorkCalendar(
        exceptions={d: Day(bool(w), n) for d, w, n in days}, official_years=frozenset(int(y) for y in years)
    )


def packaged_arrangements() -> dict[int, list[tuple[date, bool, str]]]:
    """Every year the chinese-calendar package knows: (day, is_workday, Chinese name) per exception."""
    # The package holds every year since 2004: read only when seeding, not by every process that starts.
    from chinese_calendar import constants

    by_year: dict[int, list[tuple[date, bool, str]]] = {}
    for day, name in constants.holidays.items():
        by_year.setdefault(day.year, []).append((day, False, HOLIDAY_NAMES.get(name, name)))
    for day, name in constants.workdays.items():
        by_year.setdefault(day.year, []).append((day, True, f"{HOLIDAY_NAMES.get(name, name)}调休上班"))
    return by_year


def packaged_calendar() -> WorkCalendar:
    """The packaged years as a calendar, without the database (tests and tools)."""
    arrangements = packaged_arrangements()
    return WorkCalendar(
        exceptions={d: Day(w, n) for days in arrangements.values() for d, w, n in days},
        official_years=frozenset(arrangements),
    )


async def seed_calendar(now: datetime) -> list[int]:
    """Insert every year chinese-calendar knows that the table does not have yet. Idempotent."""
    known = set(await CalendarYear.all().values_list("year", flat=True))
    notice = f"chinese-calendar {version('chinese_calendar')}"
    added = []
    async with in_transaction("default"):
        for year, days in sorted(packaged_arrangements().items()):
            if year in known:
                continue
            await CalendarDay.bulk_create(
                [CalendarDay(day=d, is_workday=w, name=n, source=CalendarSource.SEEDED) for d, w, n in days]
            )
            await CalendarYear.create(year=year, notice=notice, source=CalendarSource.SEEDED, updated_at=now)
            added.append(year)
    return added


def parse_days(text: str, year: int, field: str) -> list[tuple[date, str]]:
    """Lines of "2027-01-01 元旦" or "2027-02-15~2027-02-21 春节" (ranges inclusive)."""
    result: list[tuple[date, str]] = []
    for raw in text.replace("\r", "").split("\n"):
        line = raw.strip()
        if not line:
            continue
        match = LINE_RE.match(line)
        try:
            if match is None:
                raise ValueError(line)
            first = date.fromisoformat(match.group(1))
            last = date.fromisoformat(match.group(2)) if match.group(2) else first
        except ValueError as exc:
            raise ValidationError(
                {field: N_("Could not read the line “%(line)s”. Write a date or a range, then the name.")}, line=line
            ) from exc
        if last < first or first.year != year or last.year != year:
            raise ValidationError({field: N_("“%(line)s” is not a range within %(year)s.")}, line=line, year=year)
        day = first
        while day <= last:
            result.append((day, match.group(3).strip()[:50]))
            day += timedelta(days=1)
    return result


def check_statutory_holidays(year: int, holidays: set[date], workdays: set[date]) -> None:
    """An official arrangement keeps every statutory holiday a rest day (全国年节及纪念日放假办法 Art.2):
    a weekday one must be listed as a holiday, and none can be a make-up workday. An arrangement
    without holidays would turn the provisional rule into a wrong official one, so it is refused."""
    if not holidays:
        raise ValidationError(
            {"holidays": N_("List the year's holidays: an arrangement without them cannot be official.")}
        )
    for day, name in statutory_holidays(year):
        if day in workdays or (day.weekday() < 5 and day not in holidays):
            raise ValidationError(
                {"holidays": N_("%(day)s (%(name)s) is a statutory holiday: the arrangement must make it a rest day.")},
                day=day.isoformat(),
                name=name,
            )


async def set_year_arrangement(
    year: int, notice: str, holidays_text: str, workdays_text: str, actor: User, now: datetime
) -> None:
    """The office enters (or corrects) a year from the State Council notice; the change is audited."""
    if not is_admin(actor):
        raise PermissionDenied("Only the government office maintains the working-day calendar.")
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": N_("Enter a year between 2000 and 2100.")})
    if not notice.strip():
        raise ValidationError({"notice": N_("Name the State Council notice the arrangement comes from.")})
    holidays = parse_days(holidays_text, year, "holidays")
    workdays = parse_days(workdays_text, year, "workdays")
    clash = {d for d, _ in holidays} & {d for d, _ in workdays}
    if clash:
        raise ValidationError(
            {"workdays": N_("%(day)s is listed both as a holiday and as a make-up workday.")},
            day=min(clash).isoformat(),
        )
    weekday_workdays = [d for d, _ in workdays if d.weekday() < 5]
    if weekday_workdays:
        raise ValidationError(
            {"workdays": N_("%(day)s is a weekday: only weekend days can be make-up workdays.")},
            day=weekday_workdays[0].isoformat(),
        )
    check_statutory_holidays(year, {d for d, _ in holidays}, {d for d, _ in workdays})
    start, end = date(year, 1, 1), date(year, 12, 31)
    before = [
        [d.isoformat(), w, n]
        for d, w, n in await CalendarDay.filter(day__gte=start, day__lte=end).values_list("day", "is_workday", "name")
    ]
    after = sorted([[d.isoformat(), False, n] for d, n in holidays] + [[d.isoformat(), True, n] for d, n in workdays])
    async with in_transaction("default"):
        await CalendarDay.filter(day__gte=start, day__lte=end).delete()
        await CalendarDay.bulk_create(
            [CalendarDay(day=d, is_workday=False, name=n, source=CalendarSource.STAFF) for d, n in holidays]
            + [CalendarDay(day=d, is_workday=True, name=n, source=CalendarSource.STAFF) for d, n in workdays]
        )
        existing = await CalendarYear.get_or_none(year=year)
        if existing is None:
            await CalendarYear.create(
                year=year, notice=notice.strip(), source=CalendarSource.STAFF, updated_by=actor, updated_at=now
            )
        else:
            existing.notice, existing.source = notice.strip(), CalendarSource.STAFF
            existing.updated_by, existing.updated_at = actor, now
            await existing.save()
        await CalendarChange.create(
            year=year, notice=notice.strip(), before=before, after=after, actor=actor, created_at=now
        )
    await calendar_changed.send(now=now)
