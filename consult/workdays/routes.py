"""/manage/calendar: the government office enters each year's holidays and make-up workdays."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consult import clock, forms
from consult.accounts.guards import require_admin
from consult.drafts.services import recompute_legal_ends
from consult.errors import ValidationError
from consult.web import read_form, redirect, render, translated_errors
from consult.workdays.models import CalendarChange, CalendarDay, CalendarYear
from consult.workdays.services import set_year_arrangement
from consult.workdays.statutory import statutory_holidays


async def calendar_page(request: Request) -> Response:
    user = await require_admin(request, "Only the government office maintains the working-day calendar.")
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        form = await read_form(request)
        values = {k: str(v) for k, v in form.items() if k != "csrf_token"}
        field_errors = forms.Errors()
        year = forms.parse_int(form.get("year"), "year", field_errors)
        try:
            field_errors.raise_if_any()
            await set_year_arrangement(
                year or 0,
                values.get("notice", ""),
                values.get("holidays", ""),
                values.get("workdays", ""),
                user,
                clock.now(),
            )
            await recompute_legal_ends(clock.today())
            return redirect("/manage/calendar")
        except ValidationError as exc:
            errors, status = translated_errors(exc), 422
    years = await CalendarYear.all().order_by("-year")
    counts: dict[int, dict[str, int]] = {}
    for day, is_workday in await CalendarDay.all().values_list("day", "is_workday"):
        by = counts.setdefault(day.year, {"holidays": 0, "workdays": 0})
        by["workdays" if is_workday else "holidays"] += 1
    known = {y.year for y in years}
    this_year = clock.today().year
    return await render(
        request,
        "manage/calendar.html",
        {
            "years": years,
            "counts": counts,
            "missing": [y for y in (this_year, this_year + 1) if y not in known],
            "provisional": {y: statutory_holidays(y) for y in (this_year, this_year + 1) if y not in known},
            "changes": await CalendarChange.all().limit(20),
            "values": values,
            "errors": errors,
        },
        status_code=status,
    )


routes = [Route("/manage/calendar", calendar_page, methods=["GET", "POST"])]
