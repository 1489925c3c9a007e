"""The government office's and the reviewers' pages: the compliance dashboard and the review queue."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consult import clock
from consult.accounts.guards import require_reviewer
from consult.accounts.models import User
from consult.answers.models import Answer
from consult.dashboard.charts import monthly_chart, status_chart
from consult.dashboard.queries import dashboard, meetings_panel, monthly_counts, status_by_department
from consult.errors import Conflict, ValidationError
from consult.groups.models import GroupAnswer
from consult.groups.services import contradicted_group_answers, group_size, group_sizes
from consult.review.guards import reviewed_item_for_staff
from consult.review.models import AnswerStatus, ReviewedAnswer
from consult.review.services import KINDS, ReviewKind, pending_for, review
from consult.web import (
    form_text,
    int_param,
    is_htmx,
    page_number,
    paginate,
    read_form,
    redirect,
    render,
    require_user,
    settings_of,
    translate,
    translated_errors,
)
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


# ---- the review queue: every kind of reviewed answer, one workflow (consult.review) ----------------

# URL segment → reviewed kind, as registered in consult/wiring.py.
REVIEW_SEGMENTS = {"answers": "answer", "group-answers": "group_answer", "opinion-answers": "opinion_answer"}


async def review_or_error(item: ReviewedAnswer, approve: bool, note: str, user: User) -> str:
    """Review it; "" when done, else what the reviewer must fix, in their language."""
    try:
        await review(item, approve, note, user, clock.now())
    except ValidationError as exc:
        return next(iter(translated_errors(exc).values()))
    except Conflict as exc:
        return translate(exc)
    return ""


async def review_row_context(item: ReviewedAnswer) -> dict[str, Any]:
    if isinstance(item, Answer):
        return {"contradiction": (await contradicted_group_answers([item])).get(item.id)}
    if isinstance(item, GroupAnswer):
        return {"group_size": await group_size(item.group_id)}
    return {}


async def review_queue(request: Request) -> Response:
    user = await require_reviewer(request)
    page = await paginate(pending_for(KINDS["answer"], user), page_number(request), 30)
    group_items = await pending_for(KINDS["group_answer"], user)
    context = {
        "page": page,
        "contradictions": await contradicted_group_answers(page.items),
        "group_items": group_items,
        "group_sizes": await group_sizes([g.group_id for g in group_items]),
        "opinion_items": await pending_for(KINDS["opinion_answer"], user),
    }
    return await render(request, "manage/reviews.html", context)


def review_action(segment: str) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        return await _review_action(request, KINDS[REVIEW_SEGMENTS[segment]])

    return endpoint


async def _review_action(request: Request, kind: ReviewKind) -> Response:
    user = await require_user(request)
    item = await reviewed_item_for_staff(kind, request.path_params["id"], user)
    form = await read_form(request)
    error = await review_or_error(item, form_text(form, "decision") == "approve", form_text(form, "note"), user)
    if not is_htmx(request):
        if error:
            raise ValidationError(error)
        return redirect("/manage/reviews")
    context = {"kind": kind.name, "item": item, "row_error": error, **await review_row_context(item)}
    return await render(request, "manage/_review_row.html", context, status_code=422 if error else 200)


routes = [
    Route("/manage/reviews", review_queue),
    *(Route(f"/manage/{s}/{{id:int}}/review", review_action(s), methods=["POST"]) for s in REVIEW_SEGMENTS),
    Route("/manage/dashboard", dashboard_page),
    Route("/manage/dashboard/charts/{name:str}.svg", dashboard_chart),
]
