"""The department's answer queue and the reviewer's approval queue."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from tortoise.queryset import QuerySet

from consult import clock, forms
from consult.accounts.models import Role, User
from consult.accounts.permissions import can_edit_department_content
from consult.answers.models import Answer, AnswerStatus, ReviewState
from consult.answers.services import answer_comment, review_answer
from consult.comments.models import Comment, ModerationState
from consult.comments.queries import answers_for
from consult.drafts.models import Article
from consult.drafts.routes import comment_for_staff, consultation_for_staff
from consult.errors import Conflict, PermissionDenied, ValidationError
from consult.groups.models import CommentGroup, GroupAnswer
from consult.groups.services import contradicted_group_answers, group_size
from consult.meetings.models import OpinionAnswer
from consult.web import (
    int_param,
    is_htmx,
    page_number,
    paginate,
    read_form,
    redirect,
    render,
    require_user,
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


def _reviewable(user: User) -> QuerySet[Answer]:
    queryset = Answer.filter(review_state=ReviewState.PENDING)
    if user.role is not Role.ADMIN:
        queryset = queryset.filter(comment__consultation__decision__department_id=user.department_id)
    return queryset


async def review_queue(request: Request) -> Response:
    user = await require_user(request)
    if user.role not in (Role.ADMIN, Role.REVIEWER):
        raise PermissionDenied("Only reviewers approve answers.")
    queryset = (
        _reviewable(user)
        .order_by("answered_at", "id")
        .prefetch_related("comment__article", "comment__consultation__draft", "answered_by")
    )
    page = await paginate(queryset, page_number(request), 30)
    group_answers = GroupAnswer.filter(review_state=ReviewState.PENDING)
    if user.role is not Role.ADMIN:
        group_answers = group_answers.filter(group__consultation__decision__department_id=user.department_id)
    group_items = await group_answers.order_by("answered_at").prefetch_related(
        "group__consultation__draft", "answered_by"
    )
    opinion_answers = OpinionAnswer.filter(review_state=ReviewState.PENDING)
    if user.role is not Role.ADMIN:
        opinion_answers = opinion_answers.filter(opinion__topic__decision__department_id=user.department_id)
    return await render(
        request,
        "manage/reviews.html",
        {
            "opinion_items": await opinion_answers.prefetch_related("opinion__attendee", "opinion__topic"),
            "page": page,
            "own": {a.id for a in page.items if a.answered_by_id == user.id},
            "contradictions": await contradicted_group_answers(page.items),
            "group_items": group_items,
            "group_sizes": {g.group_id: await group_size(g.group_id) for g in group_items},
        },
    )


async def review(request: Request) -> Response:
    user = await require_user(request)
    item = await Answer.get_or_none(id=request.path_params["id"]).prefetch_related(
        "comment__consultation__decision", "comment__article", "comment__consultation__draft", "answered_by"
    )
    if item is None:
        raise HTTPException(404)
    if not can_edit_department_content(user, item.comment.consultation.decision.department_id):
        raise PermissionDenied("This decision belongs to another department.")
    form = await read_form(request)
    error = ""
    try:
        await review_answer(item, form.get("decision") == "approve", str(form.get("note", "")), user, clock.now())
    except ValidationError as exc:
        error = next(iter(translated_errors(exc).values()))
    except Conflict as exc:
        error = translate(exc)
    if is_htmx(request):
        return await render(
            request,
            "manage/_review_row.html",
            {
                "item": item,
                "row_error": error,
                "own": set(),
                "contradictions": await contradicted_group_answers([item]),
            },
            status_code=422 if error else 200,
        )
    if error:
        raise ValidationError(error)
    return redirect("/manage/reviews")


routes = [
    Route("/manage/consultations/{id:int}/answers", answer_queue),
    Route("/manage/comments/{id:int}/answer", answer, methods=["POST"]),
    Route("/manage/reviews", review_queue),
    Route("/manage/answers/{id:int}/review", review, methods=["POST"]),
]
