"""The year in figures: the public page with its charts and CSV, and the office's annual-report view."""

from __future__ import annotations

import asyncio
import csv
import io
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consult import clock
from consult.accounts.guards import require_admin
from consult.i18n import get_language, language
from consult.reports.deadline import ReportRule
from consult.web import render, settings_of
from consult.workdays.services import load_calendar
from consult.yearly.charts import CHART_NAMES, bar_chart
from consult.yearly.queries import year_in_figures


def _year(request: Request) -> int:
    year = request.path_params["year"]
    if not 2000 <= year <= clock.today().year:
        raise HTTPException(404)
    return year


async def _figures(request: Request) -> dict[str, Any]:
    settings = settings_of(request)
    return await year_in_figures(_year(request), await load_calendar(), ReportRule.of(settings), clock.now(), settings)


async def year_page(request: Request) -> Response:
    return await render(request, "yearly/year.html", await _figures(request))


async def year_chart(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in CHART_NAMES:
        raise HTTPException(404)
    figures = await _figures(request)
    total = figures["total"]
    counts = (
        [(c, total.by_channel[c]) for c in figures["channels"]]
        if name == "channels"
        else [(s, total.answers[s]) for s in figures["statuses"]]
    )
    svg = await asyncio.to_thread(bar_chart, counts, get_language())
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=600"})


COLUMNS = [
    "单位", "目录事项", "调出目录", "作出决策", "征求意见次数", "平均征求意见天数", "期限短于法定", "收到意见",
    "公开意见", "未予公开", "已答复", "采纳率", "较集中意见", "报告按时公开", "报告逾期公开", "报告待公开",
    "已解读文件", "解读形式不足", "问卷", "答卷",
]  # fmt: skip


def _csv_text(figures: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    with language("zh"):
        for row in [*figures["rows"], figures["total"]]:
            rate = f"{row.adoption_rate:.1%}" if row.adoption_rate is not None else ""
            average = f"{row.average_period:.1f}" if row.average_period is not None else ""
            writer.writerow([
                row.name, row.listed, row.removed, row.issued, row.consultations, average, row.short_periods,
                row.received, row.published, row.withheld, row.answered, rate, row.concentrated,
                row.reports_on_time, row.reports_late, row.reports_due, row.documents_interpreted,
                row.interpretation_short, row.surveys, row.responses,
            ])  # fmt: skip
    return "\ufeff" + buffer.getvalue()


async def year_csv(request: Request) -> Response:
    """The same figures as the page, one row per department and the total (UTF-8 with BOM, for Excel)."""
    figures = await _figures(request)
    headers = {"Content-Disposition": f'attachment; filename="year-{figures["year"]}.csv"'}
    return Response(_csv_text(figures), media_type="text/csv; charset=utf-8", headers=headers)


async def annual_report(request: Request) -> Response:
    """The office's view of the year in the shape of the annual government-information report's parts
    on decisions and public participation, to copy into it (printable)."""
    await require_admin(request, "Only the government office prepares the annual report.")
    return await render(request, "yearly/annual_report.html", await _figures(request))


routes = [
    Route("/years/{year:int}", year_page),
    Route("/years/{year:int}.csv", year_csv),
    Route("/years/{year:int}/charts/{name:str}.svg", year_chart),
    Route("/manage/years/{year:int}/annual-report", annual_report),
]
