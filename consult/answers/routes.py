"""The department's answer queue and the reviewer's approval queue."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from tortoise.queryset import QuerySet

from consult import clock, forms
from consult.accounts.models import User
from consult.answers.models import Answer
from consult.answers.queries import answers_for
from consult.answers.services import answer_comment
from consult.comments.guards import comment_for_staff
from consult.comments.models import Comment, ModerationState
from consult.drafts.guards import consultation_for_staff
from consult.drafts.models import Article, Consultation
from consult.groups.models import CommentGroup
from consult.i18n import N_
from consult.review.models import AnswerStatus, ReviewState
from consult.web import (
    RowForm,
    back_to,
    form_text,
    int_param,
    page_number,
    paginate,
    render,
)

ANSWER_FILTERS = ("unanswered", "pending", "returned", "approved")


def _answer_filter(queryset: QuerySet[Comment], which: str) -> QuerySet[Comment]:
    if which == "unanswered":
        return queryset.filter(answer__id__isnull=True)
    if which in ("pending", "returned", "approved"):
        return queryset.filter(answer__review_state=ReviewState(which))
    return queryset


async def answer_queue(request: Request) -> Response:
    _user, consultation = await consultation_for_staff(request, request.path_params["id"])
    which = request.query_params.get("answer", "unanswered")
    if which not in ANSWER_FILTERS:
        which = "all"
    article = int_param(request, "article")
    group = int_param(request, "group")
    queryset = Comment.filter(consultation_id=consultation.id, state=ModerationState.PUBLISHED)
    if article is not None:
        queryset = queryset.filter(article_id=article)
    if group is not None:
        queryset = queryset.filter(group_id=group)
    queryset = _answer_filter(queryset, which).order_by("id").prefetch_related("article", "group")
    page = await paginate(queryset, page_number(request), 30)
    return await render(
        request,
        "manage/answers.html",
        {
            "consultation": consultation,
            "articles": await Article.filter(draft_id=consultation.draft_id),
            "article_filter": article,
            "which": which,
            "filters": ANSWER_FILTERS,
            "page": page,
            "answers": await answers_for(page.items),
            "statuses": list(AnswerStatus),
            "group_filter": await CommentGroup.get_or_none(id=group, consultation_id=consultation.id)
            if group
            else None,
        },
    )


class AnswerRow(RowForm):
    row_template = "manage/_answer_row.html"
    title = N_("Answer")

    async def load(self, request: Request) -> tuple[User, Comment, Consultation]:
        return await comment_for_staff(request, "article", "group")

    async def submit(self, request: Request, target: tuple[User, Comment, Consultation], form: FormData) -> None:
        user, comment, _consultation = target
        status = forms.one_of(form.get("status"), AnswerStatus, "status")
        await answer_comment(comment, status, form_text(form, "reason"), user, clock.now())

    async def row_context(self, request: Request, target: tuple[User, Comment, Consultation]) -> dict[str, Any]:
        _user, comment, consultation = target
        answer = await Answer.get_or_none(comment_id=comment.id)
        return {"comment": comment, "answer": answer, "statuses": list(AnswerStatus), "consultation": consultation}

    def back(self, target: tuple[User, Comment, Consultation], form: FormData) -> str:
        return back_to(form, f"/manage/consultations/{target[2].id}/answers")


routes = [
    Route("/manage/consultations/{id:int}/answers", answer_queue),
    Route("/manage/comments/{id:int}/answer", AnswerRow, methods=["POST"]),
]
