"""Staff pages for similar-comment groups, group answers and answer templates."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from tortoise.functions import Count

from consult import clock, forms
from consult.accounts.models import Department
from consult.accounts.permissions import is_admin
from consult.comments.guards import comment_for_staff
from consult.comments.models import Comment, ModerationState
from consult.drafts.guards import consultation_for_staff
from consult.drafts.models import Article
from consult.errors import Conflict, ValidationError
from consult.groups.models import AnswerTemplate, CommentGroup, GroupAnswer
from consult.groups.rules import ConcentratedRule
from consult.groups.services import (
    add_answer_template,
    answer_group,
    create_group,
    delete_answer_template,
    group_new_comments,
    merge_groups,
    rename_group,
    require_template_editor,
    split_comment,
)
from consult.groups.suggest import suggest
from consult.review.models import AnswerStatus
from consult.web import read_form, redirect, render, require_user, settings_of, translate, translated_errors


async def _templates_for(department_id: int) -> list[AnswerTemplate]:
    return await AnswerTemplate.filter(department_id=department_id)


async def _render_groups(request: Request, consultation: Any, errors: dict[str, str], status: int) -> Response:
    settings = settings_of(request)
    sizes = dict(
        await Comment.filter(consultation_id=consultation.id, group_id__isnull=False)
        .annotate(n=Count("id"))
        .group_by("group_id")
        .values_list("group_id", "n")
    )
    published = dict(
        await Comment.filter(consultation_id=consultation.id, group_id__isnull=False, state=ModerationState.PUBLISHED)
        .annotate(n=Count("id"))
        .group_by("group_id")
        .values_list("group_id", "n")
    )
    total = await Comment.filter(consultation_id=consultation.id, state=ModerationState.PUBLISHED).count()
    groups = await CommentGroup.filter(consultation_id=consultation.id).prefetch_related("article")
    answers = {a.group_id: a for a in await GroupAnswer.filter(group_id__in=[g.id for g in groups])}
    rows = await Comment.filter(
        consultation_id=consultation.id, state=ModerationState.PUBLISHED, group_id__isnull=True
    ).values_list("id", "article_id", "body")
    articles = {a.id: a for a in await Article.filter(draft_id=consultation.draft_id)}
    return await render(
        request,
        "manage/groups.html",
        {
            "consultation": consultation,
            "groups": sorted(groups, key=lambda g: -sizes.get(g.id, 0)),
            "sizes": sizes,
            "concentrated": {
                g.id for g in groups if ConcentratedRule.of(settings).is_concentrated(published.get(g.id, 0), total)
            },
            "answers": answers,
            "suggestions": suggest(rows)[:20],
            "articles": articles,
            "statuses": list(AnswerStatus),
            "templates": await _templates_for(consultation.decision.department_id),
            "rule": ConcentratedRule.of(settings),
            "errors": errors,
        },
        status_code=status,
    )


async def groups_page(request: Request) -> Response:
    _, consultation = await consultation_for_staff(request, request.path_params["id"])
    return await _render_groups(request, consultation, {}, 200)


async def groups_create(request: Request) -> Response:
    user, consultation = await consultation_for_staff(request, request.path_params["id"])
    form = await read_form(request)
    ids = [i for i in (forms.bounded_int(v) for v in form.getlist("comment_ids")) if i is not None]
    try:
        group = await create_group(consultation, ids, str(form.get("summary", "")), user, clock.now())
    except ValidationError as exc:
        return await _render_groups(request, consultation, translated_errors(exc), 422)
    return redirect(f"/manage/consultations/{consultation.id}/groups#group-{group.id}")


async def groups_detect(request: Request) -> Response:
    _, consultation = await consultation_for_staff(request, request.path_params["id"])
    await read_form(request)
    await group_new_comments(consultation.id, clock.now())
    return redirect(f"/manage/consultations/{consultation.id}/groups")


async def _group_for_staff(request: Request) -> tuple[Any, CommentGroup, Any]:
    user = await require_user(request)
    group = await CommentGroup.get_or_none(id=request.path_params["id"])
    if group is None:
        raise HTTPException(404)
    _, consultation = await consultation_for_staff(request, group.consultation_id)
    return user, group, consultation


async def group_action(request: Request) -> Response:
    user, group, consultation = await _group_for_staff(request)
    action = request.url.path.rsplit("/", 1)[-1]
    form = await read_form(request)
    errors = forms.Errors()
    try:
        if action == "rename":
            await rename_group(group, str(form.get("summary", "")), user)
        elif action == "merge":
            target_id = forms.parse_int(form.get("target_id"), "target_id", errors)
            errors.raise_if_any()
            target = await CommentGroup.get_or_none(id=target_id, consultation_id=group.consultation_id)
            if target is None:
                raise ValidationError({"target_id": "Choose one of the options."})
            await merge_groups(target, group, user, clock.now())
            group = target
        elif action == "answer":
            status = forms.choice(form.get("status"), AnswerStatus, "status", errors)
            errors.raise_if_any()
            assert status is not None
            template = await AnswerTemplate.get_or_none(
                id=forms.parse_int(form.get("template_id"), "template_id", errors, required=False) or 0,
                department_id=consultation.decision.department_id,
            )
            await answer_group(group, status, str(form.get("reason", "")), user, clock.now(), template)
        else:
            raise HTTPException(404)
    except ValidationError as exc:
        return await _render_groups(request, consultation, translated_errors(exc), 422)
    return redirect(f"/manage/consultations/{consultation.id}/groups#group-{group.id}")


async def split(request: Request) -> Response:
    user, comment, consultation = await comment_for_staff(request)
    form = await read_form(request)
    try:
        await split_comment(comment, user)
    except Conflict as exc:
        raise ValidationError(translate(exc)) from exc
    back = str(form.get("back") or "")
    return redirect(back if back.startswith("/manage/") else f"/manage/consultations/{consultation.id}/answers")


# ---- answer templates --------------------------------------------------------------------------


async def templates_page(request: Request) -> Response:
    user = await require_user(request)
    departments = await Department.all() if is_admin(user) else [await Department.get(id=user.department_id)]
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        form = await read_form(request)
        values = {k: str(v) for k, v in form.items() if k != "csrf_token"}
        field_errors = forms.Errors()
        department_id = forms.parse_int(form.get("department_id"), "department_id", field_errors)
        title = forms.text(form.get("title"), "title", field_errors, max_length=100)
        text = forms.text(form.get("text"), "text", field_errors, max_length=5000)
        try:
            field_errors.raise_if_any()
            await add_answer_template(department_id or 0, title, text, user, clock.now())
            return redirect("/manage/templates")
        except ValidationError as exc:
            errors, status = translated_errors(exc), 422
    templates = await AnswerTemplate.filter(department_id__in=[d.id for d in departments]).prefetch_related(
        "department"
    )
    return await render(
        request,
        "manage/templates.html",
        {"templates": templates, "departments": departments, "values": values, "errors": errors},
        status_code=status,
    )


async def template_delete(request: Request) -> Response:
    user = await require_user(request)
    template = await AnswerTemplate.get_or_none(id=request.path_params["id"])
    if template is None:
        raise HTTPException(404)
    require_template_editor(template.department_id, user)  # before the form: others learn nothing
    await read_form(request)
    await delete_answer_template(template, user)
    return redirect("/manage/templates")


routes = [
    Route("/manage/consultations/{id:int}/groups", groups_page),
    Route("/manage/consultations/{id:int}/groups/new", groups_create, methods=["POST"]),
    Route("/manage/consultations/{id:int}/groups/detect", groups_detect, methods=["POST"]),
    *[
        Route(f"/manage/groups/{{id:int}}/{action}", group_action, methods=["POST"])
        for action in ("rename", "merge", "answer")
    ],
    Route("/manage/comments/{id:int}/split", split, methods=["POST"]),
    Route("/manage/templates", templates_page, methods=["GET", "POST"]),
    Route("/manage/templates/{id:int}/delete", template_delete, methods=["POST"]),
]
