"""/manage/dashboard: the government office's view of every department's deadlines."""

from __future__ import annotations

import asyncio

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consult import clock
from consult.answers.models import AnswerStatus
from consult.dashboard.charts import monthly_chart, status_chart
from consult.dashboard.queries import dashboard, meetings_panel, monthly_counts, status_by_department
from consult.web import int_param, render, require_user, settings_of
from consult.workdays.services import load_calendar


async def _data(request: Request) -> tuple[int, dict]:
    user = await require_user(request)
    settings = settings_of(request)
    today = clock.today()
    year = int_param(request, "year", 2000, 2100) or today.year
    if not 2000 <= year <= today.year + 1:
        year = today.year
    data = await dashboard(user, year, await load_calendar(), clock.now(), settings)
    return year, data


async def dashboard_page(request: Request) -> Response:
    year, data = await _data(request)
    today = clock.today()
    ids, department_of, names = data["consultation_ids"], data["department_of"], data["names"]
    return await render(
        request,
        "manage/dashboard.html",
        {
            **data,
            "year": year,
            "year_options": list(range(today.year + 1, today.year - 6, -1)),
            "min_days": settings_of(request).min_consultation_days,
            "monthly": await monthly_counts(ids, department_of, names),
            "status_table": await status_by_department(ids, department_of, names),
            "statuses": list(AnswerStatus),
            "meetings": await meetings_panel(year, today) if data["is_office"] else None,
            "meetings_target": settings_of(request).meetings_target,
        },
    )


async def dashboard_chart(request: Request) -> Response:
    _, data = await _data(request)
    ids, department_of, names = data["consultation_ids"], data["department_of"], data["names"]
    name = request.path_params["name"]
    if name == "monthly":
        svg = await asyncio.to_thread(monthly_chart, await monthly_counts(ids, department_of, names))
    elif name == "status":
        svg = await asyncio.to_thread(status_chart, await status_by_department(ids, department_of, names))
    else:
        raise HTTPException(404)
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "private, max-age=60"})


routes = [
    Route("/manage/dashboard", dashboard_page),
    Route("/manage/dashboard/charts/{name:str}.svg", dashboard_chart),
]
