"""An issued decision's interpretations, execution updates and status changes: the public page of one
interpretation, and the forms on the decision's staff page."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any, ClassVar

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consult import clock, forms
from consult.accounts.models import User
from consult.accounts.permissions import can_edit_department_content
from consult.decisions.guards import decision_for_request, decision_for_staff
from consult.decisions.models import Decision
from consult.decisions.pages import DecisionAdminPage
from consult.decisions.visibility import public_decisions
from consult.drafts.guards import consultation_for_staff
from consult.drafts.uploads import Upload
from consult.errors import ValidationError
from consult.implementation.models import ChangeLink, ExecutionUpdate, Interpretation, InterpretationFile
from consult.implementation.queries import changes_view, proposals_by_article
from consult.implementation.services import (
    InterpretationInput,
    StatusChangeInput,
    add_execution_update,
    add_interpretation,
    link_comments,
    publish_execution_update,
    record_status_change,
    review_interpretation,
    unlink,
)
from consult.implementation.visibility import public_interpretations
from consult.web import (
    FormPage,
    current_user,
    file_response,
    form_text,
    get_or_404,
    redirect,
    render,
    require_user,
    settings_of,
)


async def changes_page(request: Request) -> Response:
    decision = await get_or_404(public_decisions().prefetch_related("department"), id=request.path_params["id"])
    view = await changes_view(decision)
    if view is None:
        raise HTTPException(404)
    return await render(request, "implementation/changes.html", {"decision": decision, "view": view})


async def interpretation_file(request: Request) -> Response:
    """The uploaded image or document: public with its interpretation, else only to the department."""
    item = await get_or_404(Interpretation.all().prefetch_related("decision"), id=request.path_params["iid"])
    public = await public_interpretations().filter(id=item.id).exists()
    if item.decision_id != request.path_params["id"]:
        raise HTTPException(404)
    if not public:
        user = await current_user(request)
        if user is None or not can_edit_department_content(user, item.decision.department_id):
            raise HTTPException(404)
    file = await get_or_404(InterpretationFile, interpretation_id=item.id)
    return file_response(bytes(file.data), file.filename, file.content_type, public=public)


async def interpretation_page(request: Request) -> Response:
    decision = await get_or_404(public_decisions().prefetch_related("department"), id=request.path_params["id"])
    item = await get_or_404(public_interpretations(), id=request.path_params["iid"], decision_id=decision.id)
    file = await InterpretationFile.get_or_none(interpretation_id=item.id).only(
        "id", "filename", "content_type", "size", "interpretation_id"
    )
    context = {"decision": decision, "item": item, "file": file}
    return await render(request, "implementation/interpretation.html", context)


def _date(form: FormData, name: str) -> date | None:
    errors = forms.Errors()
    parsed = forms.parse_date(form.get(name), name, errors, required=False)
    errors.raise_if_any()
    return parsed


def _prefixed(exc: ValidationError, prefix: str) -> ValidationError:
    """Several forms share the decision's page: each names its fields with its own prefix, so a
    message shows under the field it is about and not under a namesake in another form."""
    errors = {k if k == "__all__" else prefix + k: v for k, v in exc.errors.items()}
    return ValidationError(errors, **exc.params)


async def interpretation_input(form: FormData, max_bytes: int) -> InterpretationInput:
    upload = form.get("i_file")
    file = None
    if isinstance(upload, UploadFile) and upload.filename:
        file = Upload(upload.filename, await upload.read(max_bytes + 1), max_bytes)
    return InterpretationInput(
        form=form_text(form, "i_form"),
        title=form_text(form, "i_title"),
        interpreter=form_text(form, "i_interpreter"),
        published_on=_date(form, "i_published_on"),
        body=form_text(form, "i_body"),
        link=form_text(form, "i_link"),
        file=file,
    )


def status_input(form: FormData) -> StatusChangeInput:
    return StatusChangeInput(
        kind=form_text(form, "s_kind"),
        effective_on=_date(form, "s_effective_on"),
        reason=form_text(form, "s_reason"),
        document_number=form_text(form, "s_document_number"),
        link=form_text(form, "s_link"),
    )


async def _interpretation(decision: Decision, form: FormData, user: User, max_bytes: int) -> None:
    await add_interpretation(decision, await interpretation_input(form, max_bytes), user, clock.now())


async def _execution(decision: Decision, form: FormData, user: User, max_bytes: int) -> None:
    await add_execution_update(decision, _date(form, "u_reported_on"), form_text(form, "u_body"), user, clock.now())


async def _status(decision: Decision, form: FormData, user: User, max_bytes: int) -> None:
    await record_status_change(decision, status_input(form), user, clock.now())


class AfterIssueForms(DecisionAdminPage):
    """POST /manage/decisions/{id}/interpretations (the department), .../execution (the department) and
    .../status (the office): shown again on the decision's page when refused."""

    # The last segment of the path: what it does, and the prefix of its form's fields.
    actions: ClassVar[dict[str, tuple[Callable[[Decision, FormData, User, int], Awaitable[None]], str]]] = {
        "interpretations": (_interpretation, "i_"),
        "execution": (_execution, "u_"),
        "status": (_status, "s_"),
    }

    async def load(self, request: Request) -> tuple[User, Decision]:
        self.files = request.url.path.endswith("/interpretations")  # an image or a document may come
        return await super().load(request)

    async def submit(self, request: Request, target: tuple[User, Decision], form: FormData) -> Response:
        user, decision = target
        section = request.url.path.rsplit("/", 1)[-1]
        action, prefix = self.actions[section]
        try:
            await action(decision, form, user, settings_of(request).max_upload_bytes)
        except ValidationError as exc:
            if any(k.startswith(prefix) for k in exc.errors):
                raise
            raise _prefixed(exc, prefix) from exc
        return redirect(f"/manage/decisions/{decision.id}#{section}")


class InterpretationReview(DecisionAdminPage):
    """POST /manage/interpretations/{id}/review: approve (public at once) or return with a note."""

    async def load(self, request: Request) -> tuple[User, Decision]:
        user = await require_user(request)
        self.item = await get_or_404(Interpretation, id=request.path_params["id"])
        return user, await decision_for_staff(request, user, self.item.decision_id)

    async def submit(self, request: Request, target: tuple[User, Decision], form: FormData) -> Response:
        user, decision = target
        approve = form_text(form, "decision") == "approve"
        try:
            await review_interpretation(self.item, approve, form_text(form, "note"), user, clock.now())
        except ValidationError as exc:
            raise _prefixed(exc, f"r{self.item.id}_") from exc
        return redirect(f"/manage/decisions/{decision.id}#interpretation-{self.item.id}")


class ExecutionPublish(DecisionAdminPage):
    """POST /manage/execution-updates/{id}/publish: a reviewer makes an update public."""

    async def load(self, request: Request) -> tuple[User, Decision]:
        user = await require_user(request)
        self.update = await get_or_404(ExecutionUpdate, id=request.path_params["id"])
        return user, await decision_for_staff(request, user, self.update.decision_id)

    async def submit(self, request: Request, target: tuple[User, Decision], form: FormData) -> Response:
        user, decision = target
        await publish_execution_update(self.update, user, clock.now())
        return redirect(f"/manage/decisions/{decision.id}#update-{self.update.id}")


def comment_numbers(raw: str) -> list[int]:
    """ "#12, 15、１６": the numbers staff see beside each comment, however they are separated."""
    return [int(n) for n in re.findall(r"[0-9]{1,9}", unicodedata.normalize("NFKC", raw))]


class ChangesAdmin(FormPage):
    """GET /manage/decisions/{id}/changes: the draft against the issued text, with a form per article to
    link the comments that changed it; POST links them."""

    template = "manage/changes.html"

    async def load(self, request: Request) -> tuple[User, Decision]:
        return await decision_for_request(request)

    async def context(self, request: Request, target: tuple[User, Decision]) -> dict[str, Any]:
        return {"decision": target[1], "view": await changes_view(target[1])}

    async def submit(self, request: Request, target: tuple[User, Decision], form: FormData) -> Response:
        user, decision = target
        label = form_text(form, "article")
        await link_comments(decision, label, comment_numbers(form_text(form, "comments")), user, clock.now())
        return redirect(f"/manage/decisions/{decision.id}/changes#{label}")


class ChangeUnlink(ChangesAdmin):
    """POST /manage/change-links/{id}/delete: the link was a mistake."""

    async def load(self, request: Request) -> tuple[User, Decision]:
        user = await require_user(request)
        self.link = await get_or_404(ChangeLink, id=request.path_params["id"])
        return user, await decision_for_staff(request, user, self.link.decision_id)

    async def submit(self, request: Request, target: tuple[User, Decision], form: FormData) -> Response:
        await unlink(self.link, target[0])
        return redirect(f"/manage/decisions/{target[1].id}/changes#{self.link.article_label}")


async def proposals_page(request: Request) -> Response:
    """GET /manage/consultations/{id}/proposals: each article beside the wording proposed for it."""
    _user, consultation = await consultation_for_staff(request, request.path_params["id"])
    context = {"consultation": consultation, "articles": await proposals_by_article(consultation)}
    return await render(request, "manage/proposals.html", context)


routes = [
    Route("/manage/consultations/{id:int}/proposals", proposals_page),
    Route("/decisions/{id:int}/changes", changes_page),
    Route("/manage/decisions/{id:int}/changes", ChangesAdmin, methods=["GET", "POST"]),
    Route("/manage/change-links/{id:int}/delete", ChangeUnlink, methods=["POST"]),
    Route("/decisions/{id:int}/interpretations/{iid:int}", interpretation_page),
    Route("/decisions/{id:int}/interpretations/{iid:int}/file", interpretation_file),
    Route("/manage/decisions/{id:int}/interpretations", AfterIssueForms, methods=["POST"]),
    Route("/manage/decisions/{id:int}/execution", AfterIssueForms, methods=["POST"]),
    Route("/manage/decisions/{id:int}/status", AfterIssueForms, methods=["POST"]),
    Route("/manage/interpretations/{id:int}/review", InterpretationReview, methods=["POST"]),
    Route("/manage/execution-updates/{id:int}/publish", ExecutionPublish, methods=["POST"]),
]
