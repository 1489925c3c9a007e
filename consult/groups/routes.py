"""Staff pages for similar-comment groups, group answers and answer templates."""

from __future__ import annotations

from typing import Any, ClassVar

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consult import clock, forms
from consult.accounts.models import Department, User
from consult.accounts.permissions import is_admin
from consult.answers.pages import AnswerRow
from consult.comments.models import Comment
from consult.drafts.guards import consultation_for_staff
from consult.drafts.models import Consultation
from consult.errors import ValidationError
from consult.forms import number
from consult.groups.models import AnswerTemplate, CommentGroup
from consult.groups.queries import groups_view
from consult.groups.rules import ConcentratedRule
from consult.groups.services import (
    add_answer_template,
    answer_group,
    create_group,
    delete_answer_template,
    group_waiting_comments,
    merge_groups,
    rename_group,
    require_template_editor,
    split_comment,
)
from consult.review.models import AnswerStatus
from consult.web import (
    Action,
    ActionPage,
    FormPage,
    form_text,
    get_or_404,
    read_form,
    redirect,
    require_user,
    settings_of,
)


class _GroupsPage(FormPage):
    """The consultation's groups page, shown again with the errors of any of its forms."""

    template = "manage/groups.html"

    async def context(self, request: Request, target: tuple[User, Any, Consultation]) -> dict[str, Any]:
        return await groups_view(target[2], ConcentratedRule.of(settings_of(request)))


class GroupsPage(_GroupsPage):
    """GET the page; POST .../groups/new groups the chosen comments; .../detect groups at once the new
    comments still waiting for the job worker."""

    async def load(self, request: Request) -> tuple[User, None, Consultation]:
        user, consultation = await consultation_for_staff(request, request.path_params["id"])
        return user, None, consultation

    async def submit(self, request: Request, target: tuple[User, None, Consultation], form: FormData) -> Response:
        user, _none, consultation = target
        if request.url.path.endswith("/detect"):
            await group_waiting_comments(consultation.id, clock.now())
            return redirect(f"/manage/consultations/{consultation.id}/groups")
        ids = [i for i in (forms.bounded_int(v) for v in form.getlist("comment_ids")) if i is not None]
        group = await create_group(consultation, ids, form_text(form, "summary"), user, clock.now())
        return redirect(f"/manage/consultations/{consultation.id}/groups#group-{group.id}")


async def _rename(request: Request, target: tuple[User, CommentGroup, Consultation], form: FormData) -> CommentGroup:
    user, group, _consultation = target
    await rename_group(group, form_text(form, "summary"), user)
    return group


async def _merge(request: Request, target: tuple[User, CommentGroup, Consultation], form: FormData) -> CommentGroup:
    user, group, _consultation = target
    into = await CommentGroup.get_or_none(id=number(form, "target_id"), consultation_id=group.consultation_id)
    if into is None:
        raise ValidationError({"target_id": "Choose one of the options."})
    await merge_groups(into, group, user, clock.now())
    return into


async def _answer(request: Request, target: tuple[User, CommentGroup, Consultation], form: FormData) -> CommentGroup:
    user, group, consultation = target
    status = forms.one_of(form.get("status"), AnswerStatus, "status")
    template_id, department_id = number(form, "template_id"), consultation.decision.department_id
    template = await AnswerTemplate.get_or_none(id=template_id, department_id=department_id)
    await answer_group(group, status, form_text(form, "reason"), user, clock.now(), template)
    return group


class GroupPage(_GroupsPage, ActionPage):
    """POST /manage/groups/{id}/{action}: rename, merge into another, or answer the whole group."""

    actions: ClassVar[dict[str, Action]] = {"rename": _rename, "merge": _merge, "answer": _answer}

    async def load(self, request: Request) -> tuple[User, CommentGroup, Consultation]:
        user = await require_user(request)
        group = await get_or_404(CommentGroup, id=request.path_params["id"])
        _, consultation = await consultation_for_staff(request, group.consultation_id)
        return user, group, consultation

    def done(self, target: tuple[User, CommentGroup, Consultation], group: CommentGroup) -> str:
        """The group the action leaves: after a merge, the one merged into."""
        return f"/manage/consultations/{target[2].id}/groups#group-{group.id}"


class SplitRow(AnswerRow):
    """Take a comment out of its group, from its row in the answer queue."""

    async def submit(self, request: Request, target: tuple[User, Comment, Consultation], form: FormData) -> None:
        await split_comment(target[1], target[0])


# ---- answer templates --------------------------------------------------------------------------


class TemplatesPage(FormPage):
    """The department's saved reasons for answers (the office keeps every department's)."""

    template = "manage/templates.html"

    async def load(self, request: Request) -> tuple[User, list[Department]]:
        user = await require_user(request)
        departments = await Department.all() if is_admin(user) else [await Department.get(id=user.department_id)]
        return user, departments

    async def context(self, request: Request, target: tuple[User, list[Department]]) -> dict[str, Any]:
        departments = target[1]
        templates = AnswerTemplate.filter(department_id__in=[d.id for d in departments]).prefetch_related("department")
        return {"templates": await templates, "departments": departments}

    async def submit(self, request: Request, target: tuple[User, list[Department]], form: FormData) -> Response:
        department_id = number(form, "department_id")
        await add_answer_template(
            department_id, form_text(form, "title"), form_text(form, "text"), target[0], clock.now()
        )
        return redirect("/manage/templates")


async def template_delete(request: Request) -> Response:
    user = await require_user(request)
    template = await get_or_404(AnswerTemplate, id=request.path_params["id"])
    require_template_editor(template.department_id, user)  # before the form: others learn nothing
    await read_form(request)
    await delete_answer_template(template, user)
    return redirect("/manage/templates")


routes = [
    Route("/manage/consultations/{id:int}/groups", GroupsPage, methods=["GET"]),
    Route("/manage/consultations/{id:int}/groups/new", GroupsPage, methods=["POST"]),
    Route("/manage/consultations/{id:int}/groups/detect", GroupsPage, methods=["POST"]),
    *(Route(f"/manage/groups/{{id:int}}/{action}", GroupPage, methods=["POST"]) for action in GroupPage.actions),
    Route("/manage/comments/{id:int}/split", SplitRow, methods=["POST"]),
    Route("/manage/templates", TemplatesPage, methods=["GET", "POST"]),
    Route("/manage/templates/{id:int}/delete", template_delete, methods=["POST"]),
]
