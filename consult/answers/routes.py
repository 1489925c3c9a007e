"""The department's answer queue and the reviewer's approval queue."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from tortoise.queryset import QuerySet

from consult import clock, forms
from consult.answers.models import Answer
from consult.answers.queries import answers_for
from consult.answers.services import answer_comment
from consult.comments.guards import comment_for_staff
from consult.comments.models import Comment, ModerationState
from consult.drafts.guards import consultation_for_staff
from consult.drafts.models import Article
from consult.errors import Conflict, ValidationError
from consult.groups.models import CommentGroup
from consult.review.models import AnswerStatus, ReviewState
from consult.web import (
    int_param,
    is_htmx,
    page_number,
    paginate,
    read_form,
    redirect,
    render,
    translate,
    translated_errors,
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


async def answer(request: Request) -> Response:
    user, comment, consultation = await comment_for_staff(request, "article", "group")
    form = await read_form(request)
    errors = forms.Errors()
    status = forms.choice(form.get("status"), AnswerStatus, "status", errors)
    error = ""
    try:
        errors.raise_if_any()
        assert status is not None
        await answer_comment(comment, status, str(form.get("reason", "")), user, clock.now())
    except ValidationError as exc:
        error = next(iter(translated_errors(exc).values()))
    except Conflict as exc:
        error = translate(exc)
    if is_htmx(request) or error:
        return await render(
            request,
            "manage/_answer_row.html" if is_htmx(request) else "manage/answer_error.html",
            {
                "comment": comment,
                "answer": await Answer.get_or_none(comment_id=comment.id),
                "statuses": list(AnswerStatus),
                "row_error": error,
                "submitted": {"status": str(form.get("status", "")), "reason": str(form.get("reason", ""))},
                "consultation": consultation,
            },
            status_code=422 if error else 200,
        )
    back = str(form.get("back") or "")
    return redirect(back if back.startswith("/manage/") else f"/manage/consultations/{consultation.id}/answers")


routes = [
    Route("/manage/consultations/{id:int}/answers", answer_queue),
    Route("/manage/comments/{id:int}/answer", answer, methods=["POST"]),
]
