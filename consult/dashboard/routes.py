"""The staff's own pages: their workspace, the review queue, and the office's compliance dashboard."""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consult import clock
from consult.accounts.guards import require_reviewer
from consult.accounts.models import User
from consult.accounts.permissions import is_admin
from consult.answers.models import Answer
from consult.dashboard.charts import monthly_chart, status_chart
from consult.dashboard.queries import (
    dashboard,
    dashboard_panels,
    monthly_counts,
    status_by_department,
    workspace,
)
from consult.groups.models import GroupAnswer
from consult.groups.services import contradicted_group_answers, group_size, group_sizes
from consult.i18n import N_
from consult.implementation.queries import interpretations_to_review
from consult.reports.deadline import ReportRule
from consult.review.guards import reviewed_item_for_staff
from consult.review.models import ReviewedAnswer
from consult.review.services import KINDS, pending_for, review
from consult.web import (
    RowForm,
    form_text,
    int_param,
    page_number,
    paginate,
    render,
    require_user,
    settings_of,
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
    context = await dashboard_panels(data, year, clock.today(), settings_of(request))
    return await render(request, "manage/dashboard.html", context)


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
REVIEW_SEGMENTS = {
    "answers": "answer",
    "group-answers": "group_answer",
    "opinion-answers": "opinion_answer",
    "evaluation-opinion-answers": "evaluation_opinion_answer",
}


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
        "evaluation_items": await pending_for(KINDS["evaluation_opinion_answer"], user),
        "interpretations": await interpretations_to_review(user.department_id, is_admin(user)),
    }
    return await render(request, "manage/reviews.html", context)


class ReviewRow(RowForm):
    """Approve or return one answer of any reviewed kind (`kind`, one subclass per URL segment)."""

    row_template = "manage/_review_row.html"
    title = N_("Answers to review")
    kind: ClassVar[str]

    async def load(self, request: Request) -> tuple[User, ReviewedAnswer]:
        user = await require_user(request)
        return user, await reviewed_item_for_staff(KINDS[self.kind], request.path_params["id"], user)

    async def submit(self, request: Request, target: tuple[User, ReviewedAnswer], form: FormData) -> None:
        user, item = target
        await review(item, form_text(form, "decision") == "approve", form_text(form, "note"), user, clock.now())

    async def row_context(self, request: Request, target: tuple[User, ReviewedAnswer]) -> dict[str, Any]:
        item = target[1]
        context: dict[str, Any] = {"kind": self.kind, "item": item, "contradiction": None, "group_size": 0}
        if isinstance(item, Answer):
            context["contradiction"] = (await contradicted_group_answers([item])).get(item.id)
        if isinstance(item, GroupAnswer):
            context["group_size"] = await group_size(item.group_id)
        return context

    def back(self, target: tuple[User, ReviewedAnswer], form: FormData) -> str:
        return "/manage/reviews"


def _review_route(segment: str, kind: str) -> Route:
    endpoint = type(f"ReviewRow_{kind}", (ReviewRow,), {"kind": kind})
    return Route(f"/manage/{segment}/{{id:int}}/review", endpoint, methods=["POST"])


async def manage_home(request: Request) -> Response:
    user = await require_user(request)
    rule = ReportRule.of(settings_of(request))
    return await render(request, "manage/home.html", await workspace(user, await load_calendar(), rule, clock.now()))


routes = [
    Route("/manage/", manage_home),
    Route("/manage/reviews", review_queue),
    *(_review_route(segment, kind) for segment, kind in REVIEW_SEGMENTS.items()),
    Route("/manage/dashboard", dashboard_page),
    Route("/manage/dashboard/charts/{name:str}.svg", dashboard_chart),
]
